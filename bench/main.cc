// mpay-bench: the benchmarks. Each subcommand prints its figures and ends with a RESULT line.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "http_bench.h"
#include "request_to_pay_bench.h"
#include "ledger_bench.h"

namespace {

// mpayd next to this binary: build/mpay-bench -> build/mpayd (via /proc/self/exe when the binary
// was found on PATH).
std::string mpayd_next_to(const char* argv0) {
  std::filesystem::path self = argv0;
  if (!self.has_parent_path()) {
    std::error_code ec;
    self = std::filesystem::read_symlink("/proc/self/exe", ec);
  }
  return (self.parent_path() / "mpayd").string();
}

}  // namespace

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

  mpay::bench::HttpBenchOptions http_options;
  http_options.directory = ledger_options.directory;
  http_options.mpayd_binary = mpayd_next_to(argv[0]);
  CLI::App* http = app.add_subcommand("http", "P2P transfers over HTTP against mpayd, journal vs plain ledger mode");
  http->add_option("--mpayd", http_options.mpayd_binary, "mpayd binary to start")->capture_default_str();
  CLI::Option* url = http->add_option("--url", http_options.url,
                                      "http://HOST:PORT of a running mpayd to load instead (no plain run)");
  CLI::Option* data = http->add_option("--data", http_options.url_data_directory,
                                       "with --url: that mpayd's data directory (its SMS outbox has the codes)");
  url->needs(data);
  data->needs(url);
  http->add_option("--users", http_options.users, "users signed up and funded")
      ->check(CLI::Range(2u, 9000u))->capture_default_str();
  http->add_option("--connections", http_options.connections, "keep-alive connections, one request each at a time")
      ->check(CLI::Range(1u, 4096u))->capture_default_str();
  http->add_option("--client-threads", http_options.client_threads, "load client threads")
      ->check(CLI::Range(1u, 2u))->capture_default_str();
  http->add_option("--seconds", http_options.seconds, "measured seconds per run")
      ->check(CLI::Range(0.5, 600.0))->capture_default_str();
  http->add_option("--warmup-seconds", http_options.warmup_seconds, "unmeasured seconds before")
      ->check(CLI::Range(0.0, 60.0))->capture_default_str();
  http->add_flag("--no-plain", http_options.no_plain, "skip the run against --ledger-mode plain");
  http->add_option("--dir", http_options.directory, "parent directory for scratch data")->capture_default_str();
  http->add_option("--phone-offset", http_options.phone_offset,
                   "first user number (phones +86139<8 digits>); a fresh range for reruns against --url")
      ->check(CLI::Range(0u, 99990000u))->capture_default_str();

  mpay::bench::RequestToPayOptions pay_options;
  pay_options.directory = ledger_options.directory;
  pay_options.mpayd_binary = http_options.mpayd_binary;
  CLI::App* pay = app.add_subcommand(
      "request-to-pay", "merchants request, users confirm, over HTTP; journal vs plain ledger mode");
  pay->add_option("--mpayd", pay_options.mpayd_binary, "mpayd binary to start")->capture_default_str();
  pay->add_option("--users", pay_options.users, "users signed up and funded")
      ->check(CLI::Range(2u, 9000u))->capture_default_str();
  pay->add_option("--merchants", pay_options.merchants, "merchants onboarded")
      ->check(CLI::Range(1u, 100u))->capture_default_str();
  pay->add_option("--connections", pay_options.connections, "payment loops (a merchant and a user connection each), one payment at a time each")
      ->check(CLI::Range(1u, 512u))->capture_default_str();
  pay->add_option("--seconds", pay_options.seconds, "measured seconds per run")
      ->check(CLI::Range(0.5, 600.0))->capture_default_str();
  pay->add_option("--warmup-seconds", pay_options.warmup_seconds, "unmeasured seconds before")
      ->check(CLI::Range(0.0, 60.0))->capture_default_str();
  pay->add_flag("--no-plain", pay_options.no_plain, "skip the run against --ledger-mode plain");
  pay->add_option("--blocking-threads", pay_options.blocking_threads, "mpayd --blocking-threads (0: its default)")
      ->check(CLI::Range(0u, 1024u))->capture_default_str();
  pay->add_option("--dir", pay_options.directory, "parent directory for scratch data")->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (ledger->parsed()) return mpay::bench::run_ledger_bench(ledger_options);
  if (http->parsed()) return mpay::bench::run_http_bench(http_options);
  if (pay->parsed()) return mpay::bench::run_request_to_pay_bench(pay_options);
  return 0;
}
