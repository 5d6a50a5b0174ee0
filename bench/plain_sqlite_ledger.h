// The plain alternative the ledger engine is measured against: what one would build first — one
// SQLite transaction per transfer (read both balances, check, update two rows, insert the
// transfer), WAL with synchronous=FULL, so each acknowledged transfer is as durable as the
// engine's.
#pragma once

#include <cstdint>
#include <string>

namespace mpay::bench {

struct PlainRunResult {
  uint64_t transfers = 0;
  double seconds = 0;
  int64_t latency_p50_ns = 0;
  int64_t latency_p99_ns = 0;
};

PlainRunResult run_plain_sqlite_ledger(const std::string& directory, uint32_t accounts,
                                       double seconds);

}  // namespace mpay::bench
