#include "wallet_users.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench_support.h"

namespace mpay::bench {
namespace {

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

}  // namespace

std::string shortened(const std::string& text) {
  return text.size() <= kBodyShownMax ? text : text.substr(0, kBodyShownMax) + "...";
}

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

// All users, kSetupConnections at a time; the first failure stops the others.
Result<std::vector<P2pUser>> set_up_users(const HttpEndpoint& endpoint, const std::string& data_directory,
                                          const WalletUsersOptions& options) {
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


}  // namespace mpay::bench
