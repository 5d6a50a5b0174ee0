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
#include "mpayd_runner.h"

namespace mpay::bench {
namespace {

constexpr const char* kPin = "135790";
constexpr const char* kTopUpAmount = "5000.00";
constexpr const char* kTransferAmount = "0.01";
constexpr uint32_t kSetupConnections = 8;
constexpr uint32_t kRateLimitRetriesMax = 30;
constexpr auto kRateLimitWaitMax = std::chrono::seconds(5);
constexpr auto kOtpWait = std::chrono::seconds(10);
constexpr auto kTopUpWait = std::chrono::seconds(60);
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr uint64_t kFirstPhone = 13900000000ULL;  // 139: a China Mobile prefix
constexpr size_t kBodyShownMax = 400;

// ---------------------------------------------------------------------------------------------
// Test identities, derived from a user number k (= phone offset + index).

std::string phone_of(uint64_t k) { return "+86" + std::to_string(kFirstPhone + k); }

// A GB 11643 resident identity number: region 110105 (Beijing, Chaoyang), birth date in January
// 1990, a 3-digit sequence, and the ISO 7064 MOD 11-2 check character.
std::string id_card_number_of(uint64_t k) {
  char body[18];
  std::snprintf(body, sizeof(body), "110105199001%02u%03u", static_cast<unsigned>(1 + (k / 999) % 28),
                static_cast<unsigned>(1 + k % 999));
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + "10X98765432"[sum % 11];
}

// 62220200000000 + 4 digits from 1000 on: the sandbox bank treats endings 0000-0005 specially.
std::string bank_account_number_of(uint64_t k) { return "62220200000000" + std::to_string(1000 + k % 9000); }

// The only run of exactly six digits in an SMS text, or "".
std::string six_digit_code(const std::string& text) {
  std::string found;
  for (size_t i = 0; i < text.size();) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j - i == 6) found = text.substr(i, 6);
    i = j;
  }
  return found;
}

std::string shortened(const std::string& text) {
  return text.size() <= kBodyShownMax ? text : text.substr(0, kBodyShownMax) + "...";
}

// ---------------------------------------------------------------------------------------------
// The SMS outbox (DATA/sms-outbox.jsonl, one JSON line per message): read incrementally, shared by
// the set-up threads.

class SmsOutbox {
 public:
  explicit SmsOutbox(std::string path) : path_(std::move(path)) {}

  // Messages to `phone` seen so far.
  uint64_t messages_to(const std::string& phone) {
    std::lock_guard lock(mutex_);
    read_new_lines();
    auto it = by_phone_.find(phone);
    return it == by_phone_.end() ? 0 : it->second.messages;
  }

  // The code of the latest message to `phone` once more than `seen` messages went to it; waits up
  // to kOtpWait.
  Result<std::string> code_after(const std::string& phone, uint64_t seen) {
    SteadyClock::time_point deadline = SteadyClock::now() + kOtpWait;
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        read_new_lines();
        auto it = by_phone_.find(phone);
        if (it != by_phone_.end() && it->second.messages > seen) {
          if (it->second.last_code.empty()) {
            return Error("no_code", "the latest SMS to " + phone + " in " + path_ + " holds no 6-digit code");
          }
          return it->second.last_code;
        }
      }
      if (SteadyClock::now() >= deadline) {
        return Error("no_sms", "no new SMS to " + phone + " in " + path_ + " within " +
                                   std::to_string(kOtpWait.count()) + " s");
      }
      std::this_thread::sleep_for(kPollInterval);
    }
  }

 private:
  struct PhoneMessages {
    uint64_t messages = 0;
    std::string last_code;
  };

  void read_new_lines() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return;
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t consumed = 0;
    for (size_t newline; (newline = chunk.find('\n', consumed)) != std::string::npos; consumed = newline + 1) {
      take_line(chunk.substr(consumed, newline - consumed));
    }
    offset_ += consumed;  // a partly written last line is read again next time
  }

  void take_line(const std::string& line) {
    nlohmann::json message = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!message.is_object()) return;
    std::string to;
    for (const char* field : {"to", "to_e164"}) {
      if (message.contains(field) && message[field].is_string()) to = message[field].get<std::string>();
    }
    if (to.empty()) return;
    std::string text = message.contains("text") && message["text"].is_string()
        ? message["text"].get<std::string>() : std::string();
    PhoneMessages& entry = by_phone_[to];
    ++entry.messages;
    entry.last_code = six_digit_code(text);
  }

  std::string path_;
  std::mutex mutex_;
  uint64_t offset_ = 0;
  std::unordered_map<std::string, PhoneMessages> by_phone_;
};

// ---------------------------------------------------------------------------------------------
// Set-up over the wallet API.

// One call; waits and repeats on 429 (rate limits), fails on any status but `expected`.
Result<nlohmann::json> call(BlockingHttpClient& client, const std::string& method, const std::string& target,
                            const nlohmann::json& body, const std::string& token, unsigned expected) {
  std::string text = body.is_null() ? std::string() : body.dump();
  for (uint32_t attempt = 0;; ++attempt) {
    HttpReply reply = client.request(method, target, text, token);
    if (!reply.transport_error.empty()) return Error("transport", reply.transport_error);
    if (reply.status == 429 && attempt < kRateLimitRetriesMax) {
      std::chrono::milliseconds wait = std::chrono::seconds(1);
      if (!reply.retry_after.empty() && reply.retry_after.find_first_not_of("0123456789") == std::string::npos &&
          reply.retry_after.size() < 6) {
        wait = std::chrono::seconds(std::stoul(reply.retry_after));
      }
      std::this_thread::sleep_for(std::clamp<std::chrono::milliseconds>(wait, kPollInterval, kRateLimitWaitMax));
      continue;
    }
    if (reply.status != expected) {
      return Error("unexpected_status", method + " " + target + " answered " + std::to_string(reply.status) +
                                            " (expected " + std::to_string(expected) + "): " +
                                            shortened(reply.body));
    }
    nlohmann::json answer = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
    if (answer.is_discarded()) answer = nlohmann::json::object();
    return answer;
  }
}

Result<std::string> string_field(const nlohmann::json& answer, const char* name, const std::string& route) {
  if (answer.is_object() && answer.contains(name) && answer[name].is_string()) return answer[name].get<std::string>();
  return Error("bad_answer", route + ": the answer has no string \"" + name + "\": " + shortened(answer.dump()));
}

Status wait_for_top_up(BlockingHttpClient& client, const std::string& token, const std::string& id) {
  const std::string target = "/v1/me/top-ups/" + id;
  SteadyClock::time_point deadline = SteadyClock::now() + kTopUpWait;
  for (;;) {
    Result<nlohmann::json> order = call(client, "GET", target, nullptr, token, 200);
    if (!order.ok()) return order.error();
    Result<std::string> status = string_field(*order, "status", "GET " + target);
    if (!status.ok()) return status.error();
    if (*status == "confirmed") return ok_status();
    if (*status != "pending") return Error("top_up_failed", "top-up " + id + " ended " + *status);
    if (SteadyClock::now() >= deadline) {
      return Error("top_up_slow", "top-up " + id + " still pending after " +
                                      std::to_string(kTopUpWait.count()) + " s");
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

// Sign-up, session, real-name KYC, bank account, a confirmed top-up.
Result<P2pUser> set_up_user(BlockingHttpClient& client, SmsOutbox& outbox, uint64_t k, uint32_t index) {
  P2pUser user;
  user.phone = phone_of(k);
  const std::string device = "bench-" + std::to_string(index);

  uint64_t seen = outbox.messages_to(user.phone);
  if (auto r = call(client, "POST", "/v1/auth/otp", {{"phone", user.phone}}, "", 202); !r.ok()) return r.error();
  Result<std::string> otp = outbox.code_after(user.phone, seen);
  if (!otp.ok()) return otp.error();
  if (auto r = call(client, "POST", "/v1/users",
                    {{"phone", user.phone}, {"otp", *otp}, {"pin", kPin}, {"device_id", device}}, "", 201);
      !r.ok()) {
    return r.error();
  }
  Result<nlohmann::json> session =
      call(client, "POST", "/v1/sessions", {{"phone", user.phone}, {"pin", kPin}, {"device_id", device}}, "", 201);
  if (!session.ok()) return session.error();
  Result<std::string> token = string_field(*session, "token", "POST /v1/sessions");
  if (!token.ok()) return token.error();
  user.token = *token;

  nlohmann::json kyc = {{"full_name", "测试用户"}, {"document_type", "mainland_id_card"},
                        {"document_number", id_card_number_of(k)}};
  if (auto r = call(client, "POST", "/v1/me/kyc", kyc, user.token, 200); !r.ok()) return r.error();
  Result<nlohmann::json> bank = call(client, "POST", "/v1/me/bank-accounts",
                                     {{"bank_code", "ICBC"}, {"account_number", bank_account_number_of(k)}},
                                     user.token, 201);
  if (!bank.ok()) return bank.error();
  Result<std::string> bank_id = string_field(*bank, "bank_account_id", "POST /v1/me/bank-accounts");
  if (!bank_id.ok()) return bank_id.error();
  Result<nlohmann::json> top_up = call(client, "POST", "/v1/me/top-ups",
                                       {{"bank_account_id", *bank_id}, {"amount", kTopUpAmount}, {"currency", "CNY"}},
                                       user.token, 202);
  if (!top_up.ok()) return top_up.error();
  Result<std::string> top_up_id = string_field(*top_up, "id", "POST /v1/me/top-ups");
  if (!top_up_id.ok()) return top_up_id.error();
  if (Status s = wait_for_top_up(client, user.token, *top_up_id); !s.ok()) return s.error();
  return user;
}

// All users, kSetupConnections at a time; the first failure stops the others.
Result<std::vector<P2pUser>> set_up_users(const HttpEndpoint& endpoint, const std::string& data_directory,
                                          const HttpBenchOptions& options) {
  SmsOutbox outbox(data_directory + "/sms-outbox.jsonl");
  std::vector<P2pUser> users(options.users);
  std::atomic<uint32_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::optional<Error> first_error;
  auto work = [&] {
    BlockingHttpClient client(endpoint);
    while (!failed.load()) {
      uint32_t i = next.fetch_add(1);
      if (i >= options.users) break;
      uint64_t k = uint64_t{options.phone_offset} + i;
      Result<P2pUser> user = set_up_user(client, outbox, k, i);
      if (user.ok()) {
        users[i] = std::move(*user);
        continue;
      }
      std::lock_guard lock(mutex);
      if (!first_error) {
        first_error = Error(user.error().code, "set-up of user " + std::to_string(i) + " (" + phone_of(k) +
                                                   "): " + user.error().message);
      }
      failed = true;
    }
  };
  std::vector<std::thread> threads;
  for (uint32_t t = 1; t < std::min(kSetupConnections, options.users); ++t) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
  if (first_error) return *first_error;
  return users;
}

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
  Result<std::vector<P2pUser>> users = set_up_users(endpoint, data_directory, options);
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
  std::printf("machine: %u hardware threads\n\n", std::thread::hardware_concurrency());
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
