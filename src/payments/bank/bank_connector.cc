#include "payments/bank/bank_connector.h"

namespace mpay::bank {

std::string_view to_string(BankOrderDirection direction) {
  switch (direction) {
    case BankOrderDirection::debit:
      return "debit";
    case BankOrderDirection::credit:
      return "credit";
  }
  return "unknown";
}

std::string_view to_string(BankOrderOutcome outcome) {
  switch (outcome) {
    case BankOrderOutcome::confirmed:
      return "confirmed";
    case BankOrderOutcome::declined:
      return "declined";
    case BankOrderOutcome::timed_out:
      return "timed_out";
  }
  return "unknown";
}

}  // namespace mpay::bank
