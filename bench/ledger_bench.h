// `mpay-bench ledger`: the journal-first engine against the plain one-transaction-per-transfer
// alternative, in the same run, plus the projector's sustained rate and lag, and memory per
// account and per transfer. Ends with the RESULT line that outside checks read.
#pragma once

#include <string>

namespace mpay::bench {

struct LedgerBenchOptions {
  std::string directory;      // where scratch data goes (removed afterwards)
  uint32_t accounts = 100000;
  double seconds_per_run = 3.0;
  uint32_t only_batch_size = 0;  // 0 = all of 1, 100, 1000, 8000
  uint32_t pipeline_depth = 4;
};

int run_ledger_bench(const LedgerBenchOptions& options);

}  // namespace mpay::bench
