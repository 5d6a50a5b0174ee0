// mpay-bench: the benchmarks. Each subcommand prints its figures and ends with a RESULT line.
#include <CLI/CLI.hpp>

#include <cstdlib>

#include "ledger_bench.h"

int main(int argc, char** argv) {
  CLI::App app{"mpay benchmarks"};
  app.require_subcommand(1);

  mpay::bench::LedgerBenchOptions ledger_options;
  const char* temporary = std::getenv("TMPDIR");
  ledger_options.directory = temporary ? temporary : "/tmp";
  CLI::App* ledger = app.add_subcommand("ledger", "journal-first engine vs one SQL transaction per transfer");
  ledger->add_option("--dir", ledger_options.directory, "parent directory for scratch data");
  ledger->add_option("--accounts", ledger_options.accounts, "wallet accounts")->check(CLI::Range(2u, 10000000u));
  ledger->add_option("--seconds", ledger_options.seconds_per_run, "seconds per run")->check(CLI::Range(0.5, 600.0));

  ledger->add_option("--batch", ledger_options.only_batch_size, "run only this batch size (1, 100, 1000, 8000)");
  ledger->add_option("--pipeline-depth", ledger_options.pipeline_depth, "ledger pipeline depth")->check(CLI::Range(1u, 16u));

  CLI11_PARSE(app, argc, argv);
  if (ledger->parsed()) return mpay::bench::run_ledger_bench(ledger_options);
  return 0;
}
