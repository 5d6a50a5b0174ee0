#include "request_to_pay_bench.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "latency_histogram.h"
#include "mpayd_runner.h"
#include "wallet_users.h"

namespace mpay::bench {
namespace {

constexpr const char* kPaymentAmount = "0.01";

struct BenchMerchant {
  std::string id;
  std::string key_id;
  std::string secret;
};

std::string hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    text += kDigits[bytes[i] >> 4];
    text += kDigits[bytes[i] & 15];
  }
  return text;
}

// The merchant signature of docs/merchant-api.md, computed as a merchant's client would.
HeaderList signed_headers(const BenchMerchant& merchant, const std::string& method,
                          const std::string& target, const std::string& body, const std::string& nonce) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  std::string timestamp = std::to_string(std::time(nullptr));
  std::string canonical = method + "\n" + target + "\n" + timestamp + "\n" + nonce + "\n" +
                          hex(digest, sizeof(digest));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), merchant.secret.data(), static_cast<int>(merchant.secret.size()),
       reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), mac, &mac_size);
  return {{"X-Mpay-Key", merchant.key_id},
          {"X-Mpay-Timestamp", timestamp},
          {"X-Mpay-Nonce", nonce},
          {"X-Mpay-Signature", hex(mac, mac_size)}};
}

Result<std::string> operator_token(const std::string& data_directory) {
  std::ifstream in(data_directory + "/operator-token");
  std::string token;
  if (!(in >> token)) return Error("no_token", "cannot read " + data_directory + "/operator-token");
  return token;
}

Result<std::vector<BenchMerchant>> onboard_merchants(const HttpEndpoint& endpoint,
                                                     const std::string& data_directory,
                                                     uint32_t count) {
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
        {"webhook_url", "http://127.0.0.1:9/webhooks"}};
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

struct LoadResult {
  uint64_t payments = 0;
  double seconds = 0;
  LatencyHistogram latency;
  std::map<std::string, uint64_t> failures;  // "step status code" -> count
};

LoadResult run_load(const HttpEndpoint& endpoint, const std::vector<P2pUser>& users,
                    const std::vector<BenchMerchant>& merchants, const RequestToPayOptions& options) {
  LoadResult total;
  std::mutex mutex;
  SteadyClock::time_point start = SteadyClock::now();
  auto warm = start + std::chrono::duration_cast<SteadyClock::duration>(
                          std::chrono::duration<double>(options.warmup_seconds));
  auto end = warm + std::chrono::duration_cast<SteadyClock::duration>(
                        std::chrono::duration<double>(options.seconds));
  auto worker = [&](uint32_t thread_index) {
    BlockingHttpClient merchant_client(endpoint);
    BlockingHttpClient user_client(endpoint);
    std::mt19937_64 random(thread_index * 7919 + 1);
    LoadResult mine;
    uint64_t sequence = 0;
    auto fail = [&](const char* step, const HttpReply& reply) {
      std::string key = std::string(step) + " " +
                        (reply.transport_error.empty() ? std::to_string(reply.status) + " " + shortened(reply.body).substr(0, 80)
                                                       : "transport " + reply.transport_error);
      mine.failures[key] += 1;
    };
    while (SteadyClock::now() < end) {
      const BenchMerchant& merchant = merchants[random() % merchants.size()];
      const P2pUser& user = users[random() % users.size()];
      std::string reference = "bench-" + std::to_string(thread_index) + "-" + std::to_string(++sequence);
      nlohmann::json body = {{"payer_phone", user.phone}, {"amount", kPaymentAmount}, {"currency", "CNY"},
                             {"description", "bench"}, {"merchant_reference", reference}};
      std::string text = body.dump();
      SteadyClock::time_point began = SteadyClock::now();
      HttpReply created = merchant_client.request(
          "POST", "/v1/payment-requests", text, "",
          signed_headers(merchant, "POST", "/v1/payment-requests", text, reference));
      if (created.status != 201) {
        fail("create", created);
        continue;
      }
      nlohmann::json answer = nlohmann::json::parse(created.body, nullptr, false);
      if (!answer.is_object() || !answer.contains("id") || !answer["id"].is_string()) {
        fail("create-answer", created);
        continue;
      }
      std::string target = "/v1/me/payment-requests/" + answer["id"].get<std::string>() + "/confirm";
      nlohmann::json confirmation = {{"pin", kPin}, {"funding_source", "wallet"}};
      HttpReply confirmed = user_client.request("POST", target, confirmation.dump(), user.token);
      SteadyClock::time_point finished = SteadyClock::now();
      if (confirmed.status != 200) {
        fail("confirm", confirmed);
        continue;
      }
      if (began >= warm && finished <= end) {
        ++mine.payments;
        mine.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(finished - began).count());
      }
    }
    std::lock_guard lock(mutex);
    total.payments += mine.payments;
    total.latency.merge(mine.latency);
    for (const auto& [key, n] : mine.failures) total.failures[key] += n;
  };
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < options.connections; ++t) threads.emplace_back(worker, t);
  for (std::thread& thread : threads) thread.join();
  total.seconds = options.seconds;
  return total;
}

Result<LoadResult> measure(const RequestToPayOptions& options, std::vector<std::string> mode_arguments) {
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
  Result<std::unique_ptr<MpaydRunner>> mpayd = MpaydRunner::start(launch);
  if (!mpayd.ok()) return mpayd.error();
  const HttpEndpoint& endpoint = (*mpayd)->endpoint();
  std::printf("  mpayd at %s, data in %s\n", endpoint.text().c_str(), launch.data_directory.c_str());
  SteadyClock::time_point setup = SteadyClock::now();
  Result<std::vector<BenchMerchant>> merchants =
      onboard_merchants(endpoint, launch.data_directory, options.merchants);
  if (!merchants.ok()) return merchants.error();
  Result<std::vector<P2pUser>> users =
      set_up_users(endpoint, launch.data_directory, WalletUsersOptions{options.users, 0});
  if (!users.ok()) return users.error();
  std::printf("  set-up: %u merchants, %u funded users in %.1f s\n", options.merchants, options.users,
              static_cast<double>(since_ns(setup)) / 1e9);
  std::fflush(stdout);
  LoadResult result = run_load(endpoint, *users, *merchants, options);
  double seconds = std::max(result.seconds, 1e-9);
  std::printf("  %10s %12s %9s %9s %9s %9s\n", "payments", "payments/s", "p50 ms", "p90 ms", "p99 ms", "max ms");
  std::printf("  %10llu %12.0f %9.3f %9.3f %9.3f %9.3f\n", static_cast<unsigned long long>(result.payments),
              static_cast<double>(result.payments) / seconds, result.latency.percentile_ns(0.5) / 1e6,
              result.latency.percentile_ns(0.9) / 1e6, result.latency.percentile_ns(0.99) / 1e6,
              static_cast<double>(result.latency.max_ns()) / 1e6);
  for (const auto& [key, n] : result.failures) {
    std::printf("  failed %s: %llu\n", key.c_str(), static_cast<unsigned long long>(n));
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
  std::printf("mpay-bench request-to-pay: %u merchants, %u users, %u client threads, %.1f s after %.1f s warm-up\n",
              options.merchants, options.users, options.connections, options.seconds, options.warmup_seconds);
  std::printf("machine: %u hardware threads; a payment = signed create + confirm\n\n",
              std::thread::hardware_concurrency());
  std::printf("(a) journal: mpayd's default ledger (journal-first engine, group commit)\n");
  Result<LoadResult> journal = measure(options, {});
  if (!journal.ok()) return fail(journal.error());
  double pps = static_cast<double>(journal->payments) / journal->seconds;
  double p99 = journal->latency.percentile_ns(0.99) / 1e6;
  if (options.no_plain) {
    std::printf("\nRESULT request_to_pay pps=%.0f p99_ms=%.3f\n", pps, p99);
    return 0;
  }
  std::printf("\n(b) plain: mpayd --ledger-mode plain (one SQLite transaction per ledger submission)\n");
  Result<LoadResult> plain = measure(options, {"--ledger-mode", "plain"});
  if (!plain.ok()) return fail(plain.error());
  double plain_pps = static_cast<double>(plain->payments) / plain->seconds;
  std::printf("\nRESULT request_to_pay pps=%.0f p99_ms=%.3f plain_pps=%.0f ratio=%.2f\n", pps, p99, plain_pps,
              pps / plain_pps);
  return 0;
}

}  // namespace mpay::bench
