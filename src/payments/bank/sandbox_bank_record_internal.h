// Internal to SandboxBank (sandbox, not a bank): the records of its append-only file, one JSON
// object per line.
//
//   {"record":"link","bank_account_token":"...","bank_code":"ICBC","account_number":"...",
//    "holder_name":"..."}
//   {"record":"order","reference":"...","direction":"debit","bank_account_token":"...",
//    "amount_minor":1250,"currency":"CNY","outcome":"confirmed","decline_code":"",
//    "bank_transaction_id":"SBX000000000001","value_date":"2024-06-11"}
//
// Only final order results are recorded. The encoder writes strings as JSON strings (quote,
// backslash and control characters escaped, other bytes as they are); the decoder is strict
// JSON for flat objects of strings and integers (\uXXXX escapes outside the surrogate range
// accepted), refuses duplicate keys, missing fields and values of the wrong type, and ignores
// unknown keys (a newer sandbox may add some). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "core/error.h"
#include "payments/bank/bank_connector.h"

namespace mpay::bank {

inline constexpr size_t kSandboxRecordBytesMax = 4096;

struct SandboxLinkRecord {
  std::string bank_account_token;
  BankAccount account;
};

struct SandboxOrderRecord {
  BankOrderDirection direction = BankOrderDirection::debit;
  BankOrder order;
  BankOrderResult result;
  std::string value_date;  // "YYYY-MM-DD" (UTC) of the bank's answer; empty on timed_out
};

using SandboxRecord = std::variant<SandboxLinkRecord, SandboxOrderRecord>;

// One line, ending in '\n'.
std::string encode_sandbox_record(const SandboxRecord& record);

// `line` without its '\n'. Errors: sandbox_record_invalid (the message says what is wrong).
Result<SandboxRecord> decode_sandbox_record(std::string_view line);

}  // namespace mpay::bank
