// Internal to SandboxBank (sandbox, not a bank): days and the daily statement file.
//
// A statement is CSV, lines ending in '\n', no quoting needed (no field can hold a comma or a
// quote: references are [A-Za-z0-9._:-]):
//
//   value_date,reference,bank_transaction_id,direction,masked_account_number,amount_minor,currency
//   2024-06-11,topup-1,SBX000000000001,debit,6222 **** **** 1234,1250,CNY     (one per confirmed
//   ...                                                                         order, in the order
//   total,<orders>,<debit total minor>,<credit total minor>,<currency>          the bank confirmed)
//
// The last line is the trailer: the number of order lines, the sums of debits and of credits in
// minor units, and the currency (a sandbox holds one currency). Pure functions are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "payments/bank/bank_connector.h"

namespace mpay::bank {

// "YYYY-MM-DD", the UTC day of a Unix time in nanoseconds.
std::string utc_day_of(int64_t unix_ns);

// True for a real calendar day written "YYYY-MM-DD" (years 0001 to 9999).
bool is_valid_day(std::string_view day);

struct StatementLine {
  std::string value_date;
  std::string reference;
  std::string bank_transaction_id;
  BankOrderDirection direction = BankOrderDirection::debit;
  std::string masked_account_number;
  int64_t amount_minor = 0;
  std::string currency;
};

inline constexpr std::string_view kStatementHeader =
    "value_date,reference,bank_transaction_id,direction,masked_account_number,amount_minor,"
    "currency";

// The whole file. Errors: statement_total_overflow (a total does not fit in int64).
Result<std::string> format_statement(const std::vector<StatementLine>& lines,
                                     std::string_view currency);

// Writes `contents` to `path` through a temporary file in the same directory, fsynced, then
// renamed over `path`: a reader sees the old file or the new one, never half of one.
// Errors: statement_write_failed.
Status write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace mpay::bank
