// The ledger's HTTP endpoints, added to a Router:
//
//   GET  /healthz                                  public: liveness and ledger positions
//   POST /v1/ledger/accounts                       operator: create accounts (JSON array)
//   POST /v1/ledger/transfers                      operator: create transfers (JSON array)
//   GET  /v1/ledger/accounts/{id}                  operator: an account with its balances
//   GET  /v1/ledger/transfers/{id}                 operator: a transfer
//   GET  /v1/ledger/accounts/{id}/transfers        operator: history, ?limit=&after=&order=
//
// POSTs answer 200 with one result per item, in order, once the batch holding them is durable;
// they are declared idempotent (Idempotency-Key, api/idempotency.h).
// docs/api.md describes requests and responses. The Ledger must outlive the router.
#pragma once

#include "api/router.h"
#include "core/ids.h"
#include "ledger/ledger.h"

namespace mpay::api {

inline constexpr size_t kLedgerBodyBytesMax = 4 * 1024 * 1024;  // 8190 items fit comfortably
inline constexpr uint32_t kHistoryPageDefault = 50;
inline constexpr uint32_t kHistoryPageMax = 1000;

// `ids` makes ids for items that come without one. Both must outlive the router.
void add_ledger_routes(Router& router, ledger::Ledger& ledger, UuidV7Generator& ids);

}  // namespace mpay::api
