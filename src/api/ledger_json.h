// JSON <-> ledger types for the HTTP API. Field names follow TigerBeetle's where they exist.
//
// Parsing is strict and total: every mistake in an item becomes a 400-class Error whose field is
// the dotted path ("[3].amount"); values the ledger itself judges (a negative amount, an unknown
// account) pass through and come back as per-item results. Pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ids.h"
#include "ledger/ledger.h"
#include "ledger/storage.h"
#include "ledger/types.h"

namespace mpay::api {

// Items without an "id" get a fresh time-ordered one from `ids` (UUIDv7); it comes back in the
// results. A client that may retry should choose its own ids: only they make a retry idempotent.

// A JSON array of account objects:
//   {"id": uuid, "currency": "CNY", "kind": "user_wallet", "flags": [...], "code": n, "user_data": n}
Result<std::vector<ledger::Account>> parse_accounts(const nlohmann::json& body, size_t items_max,
                                                    UuidV7Generator& ids);

// A JSON array of transfer objects:
//   {"id", "debit_account_id", "credit_account_id", "amount", "currency",
//    "flags": ["linked"|"pending"|"post_pending_transfer"|"void_pending_transfer"],
//    "pending_id", "timeout_s", "code", "user_data"}
// Post/void may leave out debit_account_id, credit_account_id, currency and amount.
Result<std::vector<ledger::Transfer>> parse_transfers(const nlohmann::json& body, size_t items_max,
                                                      UuidV7Generator& ids);

// [{"id": uuid, "status": "created" | "exists" | <rejection code>}, ...]
nlohmann::json account_results_json(const std::vector<ledger::EventOutcome>& outcomes);
nlohmann::json transfer_results_json(const std::vector<ledger::EventOutcome>& outcomes);

nlohmann::json account_json(const ledger::AccountState& account);
nlohmann::json transfer_json(const ledger::TransferRecord& record);

// "CNY" <-> 156; unknown numbers print as their digits.
std::string currency_code(uint16_t numeric);

}  // namespace mpay::api
