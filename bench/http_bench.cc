#include "http_bench.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench_support.h"
#include "http_load_client.h"
#include "machine_probe.h"
#include "mpayd_runner.h"
#include "wallet_users.h"

namespace mpay::bench {
namespace {

constexpr const char* kTransferAmount = "0.01";

// ---------------------------------------------------------------------------------------------
// One measured run against one mpayd.

bool expected_answer(const std::string& key) { return key.find("insufficient_funds") != std::string::npos; }

void print_figures(const P2pLoadResult& r) {
  double seconds = std::max(r.seconds, 1e-9);
  std::printf("  %10s %12s %12s %9s %9s %9s %9s\n", "answers", "answers/s", "transfers/s", "p50 ms", "p90 ms",
              "p99 ms", "max ms");
  std::printf("  %10llu %12.0f %12.0f %9.3f %9.3f %9.3f %9.3f\n", static_cast<unsigned long long>(r.answers),
              static_cast<double>(r.answers) / seconds, static_cast<double>(r.transfers) / seconds,
              r.latency.percentile_ns(0.50) / 1e6, r.latency.percentile_ns(0.90) / 1e6,
              r.latency.percentile_ns(0.99) / 1e6, static_cast<double>(r.latency.max_ns()) / 1e6);
  std::printf("  201 created: %llu\n", static_cast<unsigned long long>(r.transfers));
  for (const auto& [key, n] : r.other_answers) {
    std::printf("  %s: %llu%s\n", key.c_str(), static_cast<unsigned long long>(n),
                expected_answer(key) ? "" : "   <- unexpected");
  }
  for (const auto& [what, n] : r.transport_errors) {
    std::printf("  transport error, %s: %llu   <- unexpected\n", what.c_str(), static_cast<unsigned long long>(n));
  }
  std::fflush(stdout);
}

Result<P2pLoadResult> measure(const HttpEndpoint& endpoint, const std::string& data_directory,
                              const HttpBenchOptions& options) {
  SteadyClock::time_point setup_start = SteadyClock::now();
  Result<std::vector<P2pUser>> users = set_up_users(endpoint, data_directory, WalletUsersOptions{options.users, options.phone_offset});
  if (!users.ok()) return users.error();
  std::printf("  set-up: %u users signed up, verified, bank-linked and topped up (%s CNY each) in %.1f s\n",
              options.users, kTopUpAmount, static_cast<double>(since_ns(setup_start)) / 1e9);
  std::fflush(stdout);

  P2pLoadOptions load;
  load.connections = options.connections;
  load.threads = options.client_threads;
  load.warmup_seconds = options.warmup_seconds;
  load.seconds = options.seconds;
  load.amount = kTransferAmount;
  load.pin = kPin;
  P2pLoadResult result = run_p2p_load(endpoint, *users, load);
  print_figures(result);
  if (result.transfers == 0) return Error("no_transfers", "no transfer succeeded in the measured window");
  return result;
}

// Starts mpayd on a fresh scratch directory, measures, stops it.
Result<P2pLoadResult> measure_own_mpayd(const HttpBenchOptions& options, std::vector<std::string> mode_arguments) {
  ScratchDirectory scratch(options.directory);
  MpaydLaunch launch;
  launch.binary = options.mpayd_binary;
  launch.data_directory = scratch.path() + "/data";
  launch.log_path = scratch.path() + "/mpayd.log";
  launch.arguments = std::move(mode_arguments);
  // Setup signs up every user from one address: lift the per-address code limit for the bench.
  for (const char* argument : {"--sandbox-bank-latency-ms", "0", "--otp-per-address-per-hour", "10000000"}) {
    launch.arguments.emplace_back(argument);
  }
  Result<std::unique_ptr<MpaydRunner>> mpayd = MpaydRunner::start(launch);
  if (!mpayd.ok()) return mpayd.error();
  std::printf("  mpayd %s at %s, data in %s\n", launch.binary.c_str(), (*mpayd)->endpoint().text().c_str(),
              launch.data_directory.c_str());
  std::fflush(stdout);
  Result<P2pLoadResult> result = measure((*mpayd)->endpoint(), launch.data_directory, options);
  if (!result.ok()) {
    std::string log = (*mpayd)->log_tail(15);
    (*mpayd)->stop();
    return Error(result.error().code, result.error().message +
                                          (log.empty() ? std::string() : "\n  mpayd's last output:\n" + log));
  }
  int exit_code = (*mpayd)->stop();
  if (exit_code != 0) std::printf("  note: mpayd exited with status %d after SIGTERM\n", exit_code);
  return result;
}

int fail(const Error& error) {
  std::fflush(stdout);
  std::fprintf(stderr, "mpay-bench http: %s\n", error.message.c_str());
  return 1;
}

}  // namespace

int run_http_bench(const HttpBenchOptions& options) {
  std::printf("mpay-bench http: %u users, %u connections on %u client thread(s), %.1f s after %.1f s warm-up\n",
              options.users, options.connections, options.client_threads, options.seconds,
              options.warmup_seconds);
  std::printf("machine: %u hardware threads\n", std::thread::hardware_concurrency());
  print_machine_reading(options.directory);
  std::printf("\n");
  std::fflush(stdout);

  if (!options.url.empty()) {
    Result<HttpEndpoint> endpoint = parse_http_url(options.url);
    if (!endpoint.ok()) return fail(endpoint.error());
    std::printf("(a) the mpayd at %s (data %s)\n", endpoint->text().c_str(), options.url_data_directory.c_str());
    Result<P2pLoadResult> result = measure(*endpoint, options.url_data_directory, options);
    if (!result.ok()) return fail(result.error());
    std::printf("\nRESULT http_p2p tps=%.0f p99_ms=%.3f\n", static_cast<double>(result->transfers) / result->seconds,
                result->latency.percentile_ns(0.99) / 1e6);
    return 0;
  }

  std::printf("(a) journal: mpayd's default ledger (journal-first engine, group commit)\n");
  Result<P2pLoadResult> journal = measure_own_mpayd(options, {});
  if (!journal.ok()) return fail(journal.error());
  double journal_tps = static_cast<double>(journal->transfers) / journal->seconds;
  double journal_p99_ms = journal->latency.percentile_ns(0.99) / 1e6;
  if (options.no_plain) {
    std::printf("\nRESULT http_p2p tps=%.0f p99_ms=%.3f\n", journal_tps, journal_p99_ms);
    return 0;
  }

  std::printf("\n(b) plain: mpayd --ledger-mode plain (one SQLite transaction per transfer)\n");
  Result<P2pLoadResult> plain = measure_own_mpayd(options, {"--ledger-mode", "plain"});
  if (!plain.ok()) return fail(plain.error());
  double plain_tps = static_cast<double>(plain->transfers) / plain->seconds;
  std::printf("\nratio=%.2f (journal transfers/s / plain transfers/s)\n", journal_tps / plain_tps);
  std::printf("\nRESULT http_p2p tps=%.0f p99_ms=%.3f plain_tps=%.0f ratio=%.2f\n", journal_tps, journal_p99_ms,
              plain_tps, journal_tps / plain_tps);
  return 0;
}

}  // namespace mpay::bench
