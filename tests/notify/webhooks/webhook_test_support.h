// Shared by the webhook tests: an in-test merchant directory, events, and a fake transport that
// records what would have been POSTed.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "notify/webhooks/webhook_endpoints.h"
#include "notify/webhooks/webhook_event.h"
#include "notify/webhooks/webhook_transport.h"

namespace mpay::notify::webhooks::testing {

inline constexpr int64_t kSecondNs = 1'000'000'000;
inline constexpr int64_t kHourNs = 3600 * kSecondNs;

class InTestEndpoints final : public WebhookEndpoints {
 public:
  void set(const Id128& merchant, std::string url, std::string secret) {
    std::lock_guard lock(mutex_);
    urls_[merchant] = std::move(url);
    secrets_[merchant] = std::move(secret);
  }
  Result<std::optional<std::string>> url_of(const Id128& merchant_id) override { return lookup(urls_, merchant_id); }
  Result<std::optional<std::string>> secret_of(const Id128& merchant_id) override {
    return lookup(secrets_, merchant_id);
  }

 private:
  Result<std::optional<std::string>> lookup(const std::map<Id128, std::string>& map, const Id128& id) {
    std::lock_guard lock(mutex_);
    auto found = map.find(id);
    if (found == map.end()) return std::optional<std::string>();
    return std::optional<std::string>(found->second);
  }
  std::mutex mutex_;
  std::map<Id128, std::string> urls_;
  std::map<Id128, std::string> secrets_;
};

inline WebhookEvent make_event(const Id128& merchant, const std::string& subject, int index,
                               const std::string& type = "payment_request.succeeded") {
  std::string id = "evt_" + subject + "_" + std::to_string(index);
  return WebhookEvent{id, merchant, subject, type,
                      R"({"payment_request_id":")" + subject + R"(","index":)" + std::to_string(index) + "}",
                      1764072000LL * kSecondNs + index};
}

inline std::string header_of(const WebhookRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "";
}

// Answers by a policy and remembers every request, in the order they were made.
class FakeTransport final : public WebhookTransport {
 public:
  using Policy = std::function<WebhookResponse(const WebhookRequest&, int call)>;
  explicit FakeTransport(Policy policy) : policy_(std::move(policy)) {}
  WebhookResponse post(const WebhookRequest& request) override {
    int call;
    {
      std::lock_guard lock(mutex_);
      call = static_cast<int>(requests_.size());
      requests_.push_back(request);
    }
    WebhookResponse response = policy_(request, call);
    std::lock_guard lock(mutex_);
    outcomes_.push_back({header_of(request, "X-Mpay-Event-Id"), response.success()});
    return response;
  }
  // Like a transport that overlaps attempts (BeastWebhookTransport): each sequence on its own
  // thread, one request after the other, stopping after the first without an answer.
  std::vector<std::vector<WebhookResponse>> post_sequences(
      const std::vector<WebhookSequence>& sequences) override {
    std::vector<std::vector<WebhookResponse>> answers(sequences.size());
    std::vector<std::thread> senders;
    for (size_t i = 0; i < sequences.size(); ++i) {
      senders.emplace_back([&, i] {
        for (const WebhookRequest& request : sequences[i]) {
          auto started = std::chrono::steady_clock::now();
          answers[i].push_back(post(request));
          answers[i].back().duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                              std::chrono::steady_clock::now() - started)
                                              .count();
          if (answers[i].back().http_status == 0) break;
        }
      });
    }
    for (std::thread& sender : senders) sender.join();
    return answers;
  }
  std::vector<WebhookRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // (event id, succeeded) in the order the answers were given.
  std::vector<std::pair<std::string, bool>> outcomes() {
    std::lock_guard lock(mutex_);
    return outcomes_;
  }

 private:
  Policy policy_;
  std::mutex mutex_;
  std::vector<WebhookRequest> requests_;
  std::vector<std::pair<std::string, bool>> outcomes_;
};

// Polls `done` for up to `seconds` of real time, calling `step` between looks.
inline bool eventually(const std::function<bool()>& done, const std::function<void()>& step = [] {},
                       int seconds = 30) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    step();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return done();
}

}  // namespace mpay::notify::webhooks::testing
