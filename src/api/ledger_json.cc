#include "api/ledger_json.h"

#include <array>
#include <string_view>

#include "api/json_body.h"
#include "core/amount_limit.h"
#include "core/currency.h"
#include "ledger/result_codes.h"

namespace mpay::api {
namespace {

using nlohmann::json;

struct NamedFlag {
  std::string_view name;
  uint16_t bit;
};

constexpr std::array<NamedFlag, 2> kAccountFlags{{
    {"debits_must_not_exceed_credits", ledger::account_flags::debits_must_not_exceed_credits},
    {"credits_must_not_exceed_debits", ledger::account_flags::credits_must_not_exceed_debits},
}};

constexpr std::array<NamedFlag, 4> kTransferFlags{{
    {"linked", ledger::transfer_flags::linked},
    {"pending", ledger::transfer_flags::pending},
    {"post_pending_transfer", ledger::transfer_flags::post_pending_transfer},
    {"void_pending_transfer", ledger::transfer_flags::void_pending_transfer},
}};

constexpr std::array<std::string_view, ledger::kAccountKindMax + 1> kAccountKinds{
    "", "user_wallet", "merchant", "fee_income", "bank_clearing", "carrier_receivable",
    "settlement", "suspense", "system",
};

constexpr std::array<std::string_view, 5> kPendingStatuses{"", "pending", "posted", "voided",
                                                           "expired"};

// Built by appending: GCC 12 at -O3 reports a false -Wrestrict on "[" + std::string + "]".
std::string item_prefix(size_t index) {
  std::string prefix = "[";
  prefix += std::to_string(index);
  prefix += ']';
  return prefix;
}

Result<const json*> require_array(const json& body, size_t items_max) {
  if (!body.is_array()) return Error("json_wrong_type", "expected a JSON array of items");
  if (body.empty()) return Error("no_events", "the array is empty");
  if (body.size() > items_max) {
    return Error("too_many_events", "at most " + std::to_string(items_max) + " items per request");
  }
  return &body;
}

Result<Id128> read_id(JsonObjectReader& reader, std::string_view key, bool required) {
  Result<std::optional<std::string>> text = reader.optional_string(key, 64);
  if (!text.ok()) return text.error();
  if (!text->has_value()) {
    if (required) return Error("json_missing_field", std::string(key) + " is required", reader.field_path(key));
    return Id128{};
  }
  std::optional<Id128> id = parse_uuid_text(**text);
  if (!id) {
    return Error("invalid_id", std::string(key) + " must be a UUID (8-4-4-4-12 hex digits)",
                 reader.field_path(key));
  }
  return *id;
}

Result<uint16_t> read_currency(JsonObjectReader& reader, bool required) {
  Result<std::optional<std::string>> code = reader.optional_string("currency", 8);
  if (!code.ok()) return code.error();
  if (!code->has_value()) {
    if (required) return Error("json_missing_field", "currency is required", reader.field_path("currency"));
    return uint16_t{0};
  }
  std::optional<Currency> currency = currency_by_code(**code);
  if (!currency) {
    return Error("currency_unknown", "unknown ISO 4217 currency \"" + **code + "\"",
                 reader.field_path("currency"));
  }
  return currency->numeric;
}

template <size_t N>
Result<uint16_t> read_flags(JsonObjectReader& reader, const std::array<NamedFlag, N>& names) {
  Result<std::vector<std::string>> listed = reader.optional_string_array("flags", 64);
  if (!listed.ok()) return listed.error();
  uint16_t flags = 0;
  for (const std::string& name : *listed) {
    bool known = false;
    for (const NamedFlag& flag : names) {
      if (flag.name == name) {
        if (flags & flag.bit) {
          return Error("duplicate_flag", "flag " + name + " is listed twice", reader.field_path("flags"));
        }
        flags |= flag.bit;
        known = true;
      }
    }
    if (!known) return Error("unknown_flag", "unknown flag \"" + name + "\"", reader.field_path("flags"));
  }
  return flags;
}

template <size_t N>
json flags_json(uint16_t flags, const std::array<NamedFlag, N>& names) {
  json list = json::array();
  for (const NamedFlag& flag : names) {
    if (flags & flag.bit) list.push_back(flag.name);
  }
  return list;
}

// The item's "id", or a generated one when it has none.
Result<Id128> read_or_generate_id(JsonObjectReader& reader, UuidV7Generator& ids) {
  Result<std::optional<std::string>> text = reader.optional_string("id", 64);
  if (!text.ok()) return text.error();
  if (!text->has_value()) return ids.next();
  return read_id(reader, "id", true);
}

Result<ledger::Account> parse_account(const json& item, size_t index, UuidV7Generator& ids) {
  JsonObjectReader reader(item, item_prefix(index));
  ledger::Account account;
  Result<Id128> id = read_or_generate_id(reader, ids);
  if (!id.ok()) return id.error();
  account.id = AccountId(*id);
  Result<uint16_t> currency = read_currency(reader, true);
  if (!currency.ok()) return currency.error();
  account.currency = *currency;
  Result<std::string> kind = reader.required_string("kind", 32);
  if (!kind.ok()) return kind.error();
  bool kind_known = false;
  for (size_t k = 1; k < kAccountKinds.size(); ++k) {
    if (kAccountKinds[k] == *kind) {
      account.kind = static_cast<ledger::AccountKind>(k);
      kind_known = true;
    }
  }
  if (!kind_known) return Error("kind_unknown", "unknown account kind \"" + *kind + "\"", reader.field_path("kind"));
  Result<uint16_t> flags = read_flags(reader, kAccountFlags);
  if (!flags.ok()) return flags.error();
  account.flags = *flags;
  Result<std::optional<uint16_t>> code = reader.optional_uint16("code");
  if (!code.ok()) return code.error();
  account.code = code->value_or(0);
  Result<std::optional<uint64_t>> user_data = reader.optional_uint64("user_data");
  if (!user_data.ok()) return user_data.error();
  account.user_data = user_data->value_or(0);
  Status unknown = reader.reject_unknown_fields();
  if (!unknown.ok()) return unknown.error();
  return account;
}

Result<ledger::Transfer> parse_transfer(const json& item, size_t index, UuidV7Generator& ids) {
  JsonObjectReader reader(item, item_prefix(index));
  ledger::Transfer t;
  Result<Id128> id = read_or_generate_id(reader, ids);
  if (!id.ok()) return id.error();
  t.id = TransferId(*id);
  Result<uint16_t> flags = read_flags(reader, kTransferFlags);
  if (!flags.ok()) return flags.error();
  t.flags = *flags;
  // Post and void take what they leave out from the pending transfer; everything else needs it all.
  const bool second_phase = (t.flags & (ledger::transfer_flags::post_pending_transfer |
                                        ledger::transfer_flags::void_pending_transfer)) != 0;
  Result<Id128> debit = read_id(reader, "debit_account_id", !second_phase);
  if (!debit.ok()) return debit.error();
  t.debit_account_id = AccountId(*debit);
  Result<Id128> credit = read_id(reader, "credit_account_id", !second_phase);
  if (!credit.ok()) return credit.error();
  t.credit_account_id = AccountId(*credit);
  Result<Id128> pending = read_id(reader, "pending_id", false);
  if (!pending.ok()) return pending.error();
  t.pending_id = TransferId(*pending);
  if (second_phase) {
    Result<std::optional<int64_t>> amount = reader.optional_int64("amount");
    if (!amount.ok()) return amount.error();
    t.amount = amount->value_or(0);
  } else {
    Result<int64_t> amount = reader.required_int64("amount");
    if (!amount.ok()) return amount.error();
    t.amount = *amount;
  }
  Result<uint16_t> currency = read_currency(reader, !second_phase);
  if (!currency.ok()) return currency.error();
  t.currency = *currency;
  // The most one operation may move (core/amount_limit.h), here as on every other route.
  if (t.amount > kAmountMinorMax) {
    std::optional<Currency> known = currency_by_numeric(t.currency);
    if (known) return amount_too_large(*known, reader.field_path("amount"));
    return Error("amount_too_large",
                 "the amount is at most " + std::to_string(kAmountMinorMax) + " minor units",
                 reader.field_path("amount"));
  }
  Result<std::optional<uint32_t>> timeout = reader.optional_uint32("timeout_s");
  if (!timeout.ok()) return timeout.error();
  t.timeout_s = timeout->value_or(0);
  Result<std::optional<uint16_t>> code = reader.optional_uint16("code");
  if (!code.ok()) return code.error();
  t.code = code->value_or(0);
  Result<std::optional<uint64_t>> user_data = reader.optional_uint64("user_data");
  if (!user_data.ok()) return user_data.error();
  t.user_data = user_data->value_or(0);
  Status unknown = reader.reject_unknown_fields();
  if (!unknown.ok()) return unknown.error();
  return t;
}

}  // namespace

std::string currency_code(uint16_t numeric) {
  std::optional<Currency> currency = currency_by_numeric(numeric);
  return currency ? std::string(currency->code) : std::to_string(numeric);
}

Result<std::vector<ledger::Account>> parse_accounts(const json& body, size_t items_max,
                                                    UuidV7Generator& ids) {
  Result<const json*> array = require_array(body, items_max);
  if (!array.ok()) return array.error();
  std::vector<ledger::Account> accounts;
  accounts.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    Result<ledger::Account> account = parse_account(body[i], i, ids);
    if (!account.ok()) return account.error();
    accounts.push_back(*account);
  }
  return accounts;
}

Result<std::vector<ledger::Transfer>> parse_transfers(const json& body, size_t items_max,
                                                      UuidV7Generator& ids) {
  Result<const json*> array = require_array(body, items_max);
  if (!array.ok()) return array.error();
  std::vector<ledger::Transfer> transfers;
  transfers.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    Result<ledger::Transfer> transfer = parse_transfer(body[i], i, ids);
    if (!transfer.ok()) return transfer.error();
    transfers.push_back(*transfer);
  }
  return transfers;
}

json account_results_json(const std::vector<ledger::EventOutcome>& outcomes) {
  json results = json::array();
  for (const ledger::EventOutcome& o : outcomes) {
    auto result = static_cast<ledger::CreateAccountResult>(o.result);
    results.push_back({{"id", to_uuid_text(o.id)}, {"status", ledger::result_name(result)}});
  }
  return results;
}

json transfer_results_json(const std::vector<ledger::EventOutcome>& outcomes) {
  json results = json::array();
  for (const ledger::EventOutcome& o : outcomes) {
    auto result = static_cast<ledger::CreateTransferResult>(o.result);
    results.push_back({{"id", to_uuid_text(o.id)}, {"status", ledger::result_name(result)}});
  }
  return results;
}

json account_json(const ledger::AccountState& state) {
  const ledger::Account& a = state.account;
  uint16_t kind = static_cast<uint16_t>(a.kind);
  return {
      {"id", a.id.to_string()},
      {"currency", currency_code(a.currency)},
      {"kind", kind < kAccountKinds.size() ? std::string(kAccountKinds[kind]) : std::to_string(kind)},
      {"flags", flags_json(a.flags, kAccountFlags)},
      {"code", a.code},
      {"user_data", a.user_data},
      {"debits_pending", state.balances.debits_pending},
      {"debits_posted", state.balances.debits_posted},
      {"credits_pending", state.balances.credits_pending},
      {"credits_posted", state.balances.credits_posted},
      {"timestamp", state.timestamp},
  };
}

json transfer_json(const ledger::TransferRecord& record) {
  const ledger::JournalEntry& e = record.entry;
  const bool voids = (e.flags & ledger::transfer_flags::void_pending_transfer) != 0;
  json body = {
      {"id", to_uuid_text(e.id)},
      {"debit_account_id", to_uuid_text(e.debit_account_id)},
      {"credit_account_id", to_uuid_text(e.credit_account_id)},
      // What moved (or, for a pending transfer, what is reserved; for a void, what was released).
      {"amount", voids ? e.amount_released : e.amount_applied},
      {"currency", currency_code(e.currency)},
      {"flags", flags_json(e.flags, kTransferFlags)},
      {"timeout_s", e.timeout_s},
      {"code", e.code},
      {"user_data", e.user_data},
      {"timestamp", e.timestamp},
  };
  if (!e.pending_id.is_zero()) body["pending_id"] = to_uuid_text(e.pending_id);
  auto status = static_cast<size_t>(record.status);
  if (record.status != ledger::PendingStatus::none && status < kPendingStatuses.size()) {
    body["pending_status"] = kPendingStatuses[status];
    if (record.resolved_timestamp != 0) body["resolved_timestamp"] = record.resolved_timestamp;
  }
  return body;
}

}  // namespace mpay::api
