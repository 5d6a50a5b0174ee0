#include "request_to_pay_bench.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "latency_histogram.h"
#include "machine_probe.h"
#include "merchant_signature.h"
#include "mpayd_runner.h"
#include "payment_load.h"
#include "process_cpu.h"
#include "wallet_users.h"
#include "webhook_receiver.h"

namespace mpay::bench {
namespace {

constexpr const char* kPaymentAmount = "0.01";

// mpayd's CPU per payment by thread name (its HTTP threads carry the process's name, "mpayd"),
// largest first: which part of the server the payments cost. Threads that started or ended inside
// the window are left out.
void print_thread_costs(const std::map<std::string, int64_t>& opened,
                        const std::map<std::string, int64_t>& closed, double payments) {
  std::vector<std::pair<double, std::string>> costs;
  for (const auto& [name, closed_ns] : closed) {
    auto found = opened.find(name);
    if (found == opened.end()) continue;
    double us = static_cast<double>(closed_ns - found->second) / 1e3 / payments;
    if (us >= 0.5) costs.emplace_back(us, name);
  }
  if (costs.empty()) return;
  std::sort(costs.rbegin(), costs.rend());
  std::string line;
  for (const auto& [us, name] : costs) {
    char part[96];
    std::snprintf(part, sizeof part, "%s%s %.0f", line.empty() ? "" : ", ", name.c_str(), us);
    line += part;
  }
  std::printf("  mpayd's threads, us of CPU per payment: %s\n", line.c_str());
}

Result<std::string> operator_token(const std::string& data_directory) {
  std::ifstream in(data_directory + "/operator-token");
  std::string token;
  if (!(in >> token)) return Error("no_token", "cannot read " + data_directory + "/operator-token");
  return token;
}

Result<std::vector<BenchMerchant>> onboard_merchants(const HttpEndpoint& endpoint,
                                                     const std::string& data_directory,
                                                     uint32_t count, const std::string& webhook_url) {
  Result<std::string> token = operator_token(data_directory);
  if (!token.ok()) return token.error();
  BlockingHttpClient client(endpoint);
  std::vector<BenchMerchant> merchants;
  for (uint32_t i = 0; i < count; ++i) {
    nlohmann::json application = {
        {"legal_name", "Bench Merchant " + std::to_string(i) + " Ltd."},
        {"display_name", "Bench " + std::to_string(i)},
        {"mcc", "5814"},
        {"country", "CN"},
        {"city", "Shanghai"},
        {"fee_bps", 60},
        {"settlement_account",
         {{"bank_code", "ICBC"}, {"account_number", "6222021000000" + std::to_string(10000 + i)},
          {"holder_name", "Bench Merchant " + std::to_string(i)}}},
        {"webhook_url", webhook_url}};
    Result<nlohmann::json> created = call(client, "POST", "/v1/admin/merchants", application, *token, 201);
    if (!created.ok()) return created.error();
    BenchMerchant merchant;
    const nlohmann::json& answer = *created;
    const nlohmann::json& profile = answer.contains("merchant") ? answer["merchant"] : answer;
    Result<std::string> id = string_field(profile, "merchant_id", "POST /v1/admin/merchants");
    if (!id.ok()) return id.error();
    merchant.id = *id;
    const nlohmann::json& key = answer.contains("api_key") ? answer["api_key"] : answer;
    Result<std::string> key_id = string_field(key, "key_id", "POST /v1/admin/merchants");
    Result<std::string> secret = string_field(key, "secret", "POST /v1/admin/merchants");
    if (!key_id.ok()) return key_id.error();
    if (!secret.ok()) return secret.error();
    merchant.key_id = *key_id;
    merchant.secret = *secret;
    merchants.push_back(std::move(merchant));
  }
  return merchants;
}

Result<PaymentLoadResult> measure(const RequestToPayOptions& options, std::vector<std::string> mode_arguments) {
  ScratchDirectory scratch(options.directory);
  MpaydLaunch launch;
  launch.binary = options.mpayd_binary;
  launch.data_directory = scratch.path() + "/data";
  launch.log_path = scratch.path() + "/mpayd.log";
  launch.arguments = std::move(mode_arguments);
  for (const char* argument : {"--sandbox-bank-latency-ms", "0", "--otp-per-address-per-hour", "10000000"}) {
    launch.arguments.emplace_back(argument);
  }
  if (options.blocking_threads > 0) {
    launch.arguments.emplace_back("--blocking-threads");
    launch.arguments.emplace_back(std::to_string(options.blocking_threads));
  }
  // The merchants' webhook endpoint answers 200, as a working merchant's does (webhook_receiver.h).
  Result<std::unique_ptr<WebhookReceiver>> receiver = WebhookReceiver::start();
  if (!receiver.ok()) return receiver.error();
  Result<std::unique_ptr<MpaydRunner>> mpayd = MpaydRunner::start(launch);
  if (!mpayd.ok()) return mpayd.error();
  const HttpEndpoint& endpoint = (*mpayd)->endpoint();
  std::printf("  mpayd at %s, data in %s\n", endpoint.text().c_str(), launch.data_directory.c_str());
  SteadyClock::time_point setup = SteadyClock::now();
  Result<std::vector<BenchMerchant>> merchants =
      onboard_merchants(endpoint, launch.data_directory, options.merchants, (*receiver)->url());
  if (!merchants.ok()) return merchants.error();
  Result<std::vector<P2pUser>> users =
      set_up_users(endpoint, launch.data_directory, WalletUsersOptions{options.users, 0});
  if (!users.ok()) return users.error();
  std::printf("  set-up: %u merchants, %u funded users in %.1f s\n", options.merchants, options.users,
              static_cast<double>(since_ns(setup)) / 1e9);
  std::fflush(stdout);
  PaymentLoadOptions load;
  load.connections = options.connections;
  load.warmup_seconds = options.warmup_seconds;
  load.seconds = options.seconds;
  load.amount = kPaymentAmount;
  load.pin = kPin;
  // CPU time of mpayd and of this process (the load and the webhook receiver) over the measured
  // window: the cost per payment, which the shared machine's noise moves far less than the rate.
  struct CpuMark {
    std::optional<int64_t> server_ns;
    std::optional<int64_t> client_ns;
    std::map<std::string, int64_t> server_threads_ns;
  };
  CpuMark opened;
  CpuMark closed;
  pid_t server_pid = (*mpayd)->pid();
  auto mark = [server_pid](CpuMark& at) {
    at = {process_cpu_ns(server_pid), process_cpu_ns(getpid()), thread_cpu_ns(server_pid)};
  };
  load.on_measure_start = [&] { mark(opened); };
  load.on_measure_end = [&] { mark(closed); };
  PaymentLoadResult result = run_payment_load(endpoint, *users, *merchants, load);
  double seconds = std::max(result.seconds, 1e-9);
  std::printf("  %10s %12s %9s %9s %9s %9s\n", "payments", "payments/s", "p50 ms", "p90 ms", "p99 ms", "max ms");
  std::printf("  %10llu %12.0f %9.3f %9.3f %9.3f %9.3f\n", static_cast<unsigned long long>(result.payments),
              static_cast<double>(result.payments) / seconds, result.latency.percentile_ns(0.5) / 1e6,
              result.latency.percentile_ns(0.9) / 1e6, result.latency.percentile_ns(0.99) / 1e6,
              static_cast<double>(result.latency.max_ns()) / 1e6);
  for (const auto& [key, n] : result.failures) {
    std::printf("  failed %s: %llu\n", key.c_str(), static_cast<unsigned long long>(n));
  }
  std::printf("  webhook deliveries received by the merchants' endpoint during the run: %llu\n",
              static_cast<unsigned long long>((*receiver)->requests()));
  if (opened.server_ns && closed.server_ns && opened.client_ns && closed.client_ns &&
      result.payments > 0) {
    double payments = static_cast<double>(result.payments);
    double server_us = static_cast<double>(*closed.server_ns - *opened.server_ns) / 1e3 / payments;
    double client_us = static_cast<double>(*closed.client_ns - *opened.client_ns) / 1e3 / payments;
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::printf(
        "  CPU per payment: mpayd %.0f us, load generator and webhook receiver %.0f us "
        "(mpayd alone on all %u cores: at most %.0f payments/s)\n",
        server_us, client_us, cores, cores * 1e6 / server_us);
    print_thread_costs(opened.server_threads_ns, closed.server_threads_ns, payments);
  }
  std::fflush(stdout);
  (*mpayd)->stop();
  if (result.payments == 0) return Error("no_payments", "no payment succeeded in the measured window");
  return result;
}

int fail(const Error& error) {
  std::fflush(stdout);
  std::fprintf(stderr, "mpay-bench request-to-pay: %s\n", error.message.c_str());
  return 1;
}

}  // namespace

int run_request_to_pay_bench(const RequestToPayOptions& options) {
  std::printf("mpay-bench request-to-pay: %u merchants, %u users, %u payment loops on one client "
              "thread, %.1f s after %.1f s warm-up\n",
              options.merchants, options.users, options.connections, options.seconds, options.warmup_seconds);
  std::printf("machine: %u hardware threads; a payment = signed create + confirm\n",
              std::thread::hardware_concurrency());
  print_machine_reading(options.directory);
  std::printf("\n");
  std::printf("(a) journal: mpayd's default ledger (journal-first engine, group commit)\n");
  Result<PaymentLoadResult> journal = measure(options, {});
  if (!journal.ok()) return fail(journal.error());
  double pps = static_cast<double>(journal->payments) / journal->seconds;
  double p99 = journal->latency.percentile_ns(0.99) / 1e6;
  if (options.no_plain) {
    std::printf("\nRESULT request_to_pay pps=%.0f p99_ms=%.3f\n", pps, p99);
    return 0;
  }
  std::printf("\n(b) plain: mpayd --ledger-mode plain (one SQLite transaction per ledger submission)\n");
  Result<PaymentLoadResult> plain = measure(options, {"--ledger-mode", "plain"});
  if (!plain.ok()) return fail(plain.error());
  double plain_pps = static_cast<double>(plain->payments) / plain->seconds;
  std::printf("\nRESULT request_to_pay pps=%.0f p99_ms=%.3f plain_pps=%.0f ratio=%.2f\n", pps, p99, plain_pps,
              pps / plain_pps);
  return 0;
}

}  // namespace mpay::bench
