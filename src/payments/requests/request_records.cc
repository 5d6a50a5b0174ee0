#include "payments/requests/request_records.h"

#include <array>
#include <utility>

namespace mpay::requests {
namespace {

constexpr std::array<std::pair<PaymentStatus, std::string_view>, 9> kStatusNames{{
    {PaymentStatus::awaiting_confirmation, "awaiting_confirmation"},
    {PaymentStatus::declined, "declined"},
    {PaymentStatus::expired, "expired"},
    {PaymentStatus::cancelled, "cancelled"},
    {PaymentStatus::failed, "failed"},
    {PaymentStatus::succeeded, "succeeded"},
    {PaymentStatus::authorized, "authorized"},
    {PaymentStatus::captured, "captured"},
    {PaymentStatus::voided, "voided"},
}};

constexpr std::array<std::pair<FundingSource, std::string_view>, 3> kFundingNames{{
    {FundingSource::wallet, "wallet"},
    {FundingSource::bank, "bank"},
    {FundingSource::phone_bill, "phone_bill"},
}};

}  // namespace

std::string_view status_name(PaymentStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<PaymentStatus> status_from_name(std::string_view name) {
  for (const auto& [value, known] : kStatusNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

bool is_final(PaymentStatus status) {
  return status != PaymentStatus::awaiting_confirmation && status != PaymentStatus::authorized;
}

std::string_view funding_name(FundingSource source) {
  for (const auto& [value, name] : kFundingNames) {
    if (value == source) return name;
  }
  return "none";
}

std::optional<FundingSource> funding_from_name(std::string_view name) {
  for (const auto& [value, known] : kFundingNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string_view failure_name(FailureReason reason) {
  switch (reason) {
    case FailureReason::none: return "none";
    case FailureReason::insufficient_funds: return "insufficient_funds";
    case FailureReason::bank_declined: return "bank_declined";
    case FailureReason::bank_timed_out: return "bank_timed_out";
    case FailureReason::phone_bill_allowance_exceeded: return "phone_bill_allowance_exceeded";
    case FailureReason::ledger_rejected: return "ledger_rejected";
    case FailureReason::spending_limit_exceeded:
      return "spending_limit_exceeded";
  }
  return "unknown";
}

std::string_view refund_status_name(RefundStatus status) {
  switch (status) {
    case RefundStatus::pending: return "pending";
    case RefundStatus::succeeded: return "succeeded";
    case RefundStatus::failed: return "failed";
  }
  return "unknown";
}

}  // namespace mpay::requests
