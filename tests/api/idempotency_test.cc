// The Idempotency-Key wrapper (api/idempotency.h) on the in-memory store with a manual clock: no
// key, invalid keys, byte-for-byte replays, a reused key, a request still running, 5xx, 429 and
// Retry-After responses that are not kept, expiry after 24 h, scoping by principal, dropped
// responders, store failures, and which routes apply_idempotency wraps.
#include "api/idempotency.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace mpay::api {
namespace {

using boost::beast::http::verb;

constexpr int64_t kStartNs = 1'700'000'000'000'000'000;

std::optional<std::string> header_of(const HttpResponse& response, std::string_view name) {
  for (const auto& [header_name, value] : response.headers) {
    if (header_name == name) return value;
  }
  return std::nullopt;
}

std::string error_code(const HttpResponse& response) {
  return nlohmann::json::parse(response.body)["error"]["code"].get<std::string>();
}

// A handler that counts its runs and answers with what the test sets: at once, or later through
// the kept Responder.
struct FakeHandler {
  int runs = 0;
  unsigned status = 201;
  std::string content_type = "application/json";
  bool defer = false;
  bool drop = false;
  bool retry_after = false;  // answers with Retry-After, as a refusal that may pass soon does
  std::optional<Responder> deferred;

  Handler handler() {
    return [this](HttpRequest& request, Responder respond) {
      ++runs;
      if (drop) return;
      if (defer) {
        deferred = std::move(respond);
        return;
      }
      respond(response_for(request));
    };
  }

  HttpResponse response_for(const HttpRequest& request) const {
    HttpResponse response;
    response.status = status;
    response.content_type = content_type;
    // Unique per run, so that a replay is distinguishable from a second run.
    response.body = "{\"run\":" + std::to_string(runs) + ",\"echo\":" +
                    nlohmann::json(request.body).dump() + "}";
    response.headers.emplace_back("X-Handler", "ran");
    if (retry_after) response.headers.emplace_back(kRetryAfterHeader, "1");
    return response;
  }
};

class IdempotencyTest : public ::testing::Test {
 protected:
  // Calls `wrapped` like the server would; nullopt when it has not answered (yet).
  std::optional<HttpResponse> call(const Handler& wrapped, std::optional<std::string> key,
                                   std::string body = "[1]", std::string principal = "operator",
                                   std::string target = "/v1/things") {
    boost::beast::http::fields headers;
    if (key) headers.set(std::string(kIdempotencyKeyHeader), *key);
    HttpRequest request;
    request.method = verb::post;
    request.target = target;
    request.path = target;
    request.body = std::move(body);
    request.principal = std::move(principal);
    request.request_id = "test";
    request.headers = &headers;
    // Shared: a deferred Responder may be called after this function returns.
    auto answered = std::make_shared<std::optional<HttpResponse>>();
    wrapped(request, [answered](HttpResponse response) { *answered = std::move(response); });
    return *answered;
  }

  InMemoryIdempotencyStore store_;
  ManualClock clock_{kStartNs};
  FakeHandler fake_;
  Handler wrapped_ = with_idempotency(fake_.handler(), store_, clock_);
};

TEST_F(IdempotencyTest, WithoutAKeyTheHandlerRunsEveryTime) {
  std::optional<HttpResponse> first = call(wrapped_, std::nullopt);
  std::optional<HttpResponse> second = call(wrapped_, std::nullopt);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(fake_.runs, 2);
  EXPECT_NE(first->body, second->body);
  EXPECT_FALSE(header_of(*second, kIdempotentReplayedHeader));
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(IdempotencyTest, InvalidKeysAreRejectedWithoutRunning) {
  for (std::string key : {std::string(), std::string(256, 'k'), std::string("has space"),
                          std::string("tab\tkey"), std::string("caf\xc3\xa9")}) {
    std::optional<HttpResponse> response = call(wrapped_, key);
    ASSERT_TRUE(response) << key;
    EXPECT_EQ(response->status, 400u) << key;
    EXPECT_EQ(error_code(*response), "invalid_idempotency_key") << key;
    EXPECT_EQ(nlohmann::json::parse(response->body)["error"]["field"], "Idempotency-Key");
  }
  EXPECT_EQ(fake_.runs, 0);
  EXPECT_TRUE(is_valid_idempotency_key(std::string(255, '~')));
  EXPECT_TRUE(is_valid_idempotency_key("0190f4c2-7a3e-7c41-9b2d-5e1f00000001"));
  EXPECT_TRUE(is_valid_idempotency_key("!"));
}

TEST_F(IdempotencyTest, TheSameRequestAgainIsReplayedByteForByteWithoutRunning) {
  std::optional<HttpResponse> first = call(wrapped_, "key-1");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 201u);
  EXPECT_FALSE(header_of(*first, kIdempotentReplayedHeader));

  std::optional<HttpResponse> again = call(wrapped_, "key-1");
  ASSERT_TRUE(again);
  EXPECT_EQ(fake_.runs, 1);
  EXPECT_EQ(again->status, first->status);
  EXPECT_EQ(again->content_type, first->content_type);
  EXPECT_EQ(again->body, first->body);
  EXPECT_EQ(header_of(*again, kIdempotentReplayedHeader), "true");
  // Only status, Content-Type and body are kept; the handler's own headers are not replayed.
  EXPECT_FALSE(header_of(*again, "X-Handler"));

  std::optional<HttpResponse> third = call(wrapped_, "key-1");
  EXPECT_EQ(third->body, first->body);
  EXPECT_EQ(fake_.runs, 1);
}

TEST_F(IdempotencyTest, ClientErrorsAreKeptAndReplayedToo) {
  fake_.status = 400;
  ASSERT_EQ(call(wrapped_, "k")->status, 400u);
  fake_.status = 200;
  std::optional<HttpResponse> again = call(wrapped_, "k");
  EXPECT_EQ(again->status, 400u);
  EXPECT_EQ(header_of(*again, kIdempotentReplayedHeader), "true");
  EXPECT_EQ(fake_.runs, 1);
}

TEST_F(IdempotencyTest, TheSameKeyWithADifferentRequestIs422) {
  ASSERT_TRUE(call(wrapped_, "key-1", "[1]"));
  std::optional<HttpResponse> other_body = call(wrapped_, "key-1", "[2]");
  ASSERT_TRUE(other_body);
  EXPECT_EQ(other_body->status, 422u);
  EXPECT_EQ(error_code(*other_body), "idempotency_key_reused");
  EXPECT_EQ(nlohmann::json::parse(other_body->body)["error"]["field"], "Idempotency-Key");

  std::optional<HttpResponse> other_target =
      call(wrapped_, "key-1", "[1]", "operator", "/v1/other");
  EXPECT_EQ(other_target->status, 422u);
  EXPECT_EQ(fake_.runs, 1);
  // The original is still replayable.
  EXPECT_EQ(header_of(*call(wrapped_, "key-1", "[1]"), kIdempotentReplayedHeader), "true");
}

TEST_F(IdempotencyTest, AKeyStillRunningAnswers409UntilItCompletes) {
  fake_.defer = true;
  EXPECT_FALSE(call(wrapped_, "slow"));  // running, not answered
  std::optional<HttpResponse> busy = call(wrapped_, "slow");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 409u);
  EXPECT_EQ(error_code(*busy), "idempotency_key_in_progress");
  // A different body under the running key is still a reuse.
  EXPECT_EQ(call(wrapped_, "slow", "[9]")->status, 422u);
  EXPECT_EQ(fake_.runs, 1);

  HttpRequest original;
  original.body = "[1]";
  HttpResponse finished = fake_.response_for(original);
  (*fake_.deferred)(finished);
  fake_.deferred.reset();
  std::optional<HttpResponse> replay = call(wrapped_, "slow");
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->body, finished.body);
  EXPECT_EQ(header_of(*replay, kIdempotentReplayedHeader), "true");
  EXPECT_EQ(fake_.runs, 1);
}

TEST_F(IdempotencyTest, ServerErrorsAreSentButNotKept) {
  fake_.status = 503;
  std::optional<HttpResponse> failed = call(wrapped_, "retry-me");
  EXPECT_EQ(failed->status, 503u);
  EXPECT_EQ(store_.size(), 0u);

  fake_.status = 200;
  std::optional<HttpResponse> retried = call(wrapped_, "retry-me");
  EXPECT_EQ(retried->status, 200u);
  EXPECT_FALSE(header_of(*retried, kIdempotentReplayedHeader));
  EXPECT_EQ(fake_.runs, 2);
  EXPECT_EQ(call(wrapped_, "retry-me")->body, retried->body);
  EXPECT_EQ(fake_.runs, 2);
}

// 429 (a limit), and any answer with Retry-After (409 payment_request_busy): replayed for 24 h
// they would turn a pause into a refusal, so a retry with the same key runs again.
TEST_F(IdempotencyTest, AnswersThatSayRetryLaterAreSentButNotKept) {
  fake_.status = 429;
  EXPECT_EQ(call(wrapped_, "limited")->status, 429u);
  fake_.status = 409;
  fake_.retry_after = true;
  std::optional<HttpResponse> busy = call(wrapped_, "busy");
  EXPECT_EQ(busy->status, 409u);
  EXPECT_EQ(header_of(*busy, kRetryAfterHeader), "1");
  EXPECT_EQ(store_.size(), 0u);

  fake_.status = 201;
  fake_.retry_after = false;
  for (const char* key : {"limited", "busy"}) {
    std::optional<HttpResponse> retried = call(wrapped_, key);
    EXPECT_EQ(retried->status, 201u) << key;
    EXPECT_FALSE(header_of(*retried, kIdempotentReplayedHeader)) << key;
  }
  EXPECT_EQ(fake_.runs, 4);
  EXPECT_EQ(call(wrapped_, "busy")->status, 201u);  // now kept
  EXPECT_EQ(fake_.runs, 4);
}

TEST_F(IdempotencyTest, AConflictWithoutRetryAfterAndAValidationErrorAreKept) {
  for (unsigned status : {409u, 422u}) {
    fake_.status = status;
    std::string key = "final-" + std::to_string(status);
    ASSERT_EQ(call(wrapped_, key)->status, status);
    fake_.status = 201;
    std::optional<HttpResponse> again = call(wrapped_, key);
    EXPECT_EQ(again->status, status);
    EXPECT_EQ(header_of(*again, kIdempotentReplayedHeader), "true");
  }
  EXPECT_EQ(fake_.runs, 2);
}

TEST_F(IdempotencyTest, ADroppedResponderReleasesTheKey) {
  fake_.drop = true;
  EXPECT_FALSE(call(wrapped_, "dropped"));
  EXPECT_EQ(store_.size(), 0u);
  fake_.drop = false;
  EXPECT_EQ(call(wrapped_, "dropped")->status, 201u);
  EXPECT_EQ(fake_.runs, 2);
}

TEST_F(IdempotencyTest, KeysExpireAfter24Hours) {
  std::optional<HttpResponse> first = call(wrapped_, "daily");
  clock_.advance_ns(kIdempotencyKeyTtlNs);  // exactly 24 h: still kept
  EXPECT_EQ(call(wrapped_, "daily")->body, first->body);
  EXPECT_EQ(call(wrapped_, "daily", "[2]")->status, 422u);
  EXPECT_EQ(fake_.runs, 1);

  clock_.advance_ns(1);  // past 24 h: the key is free again, for any request
  std::optional<HttpResponse> other = call(wrapped_, "daily", "[2]");
  EXPECT_EQ(other->status, 201u);
  EXPECT_FALSE(header_of(*other, kIdempotentReplayedHeader));
  EXPECT_EQ(fake_.runs, 2);
  EXPECT_EQ(call(wrapped_, "daily", "[2]")->body, other->body);  // and kept from now on
}

TEST_F(IdempotencyTest, KeysAreScopedByPrincipal) {
  std::optional<HttpResponse> alice = call(wrapped_, "shared", "[1]", "alice");
  std::optional<HttpResponse> bob = call(wrapped_, "shared", "[1]", "bob");
  EXPECT_EQ(fake_.runs, 2);
  EXPECT_NE(alice->body, bob->body);
  EXPECT_FALSE(header_of(*bob, kIdempotentReplayedHeader));
  // A different body under the same key from someone else is no reuse of Alice's key.
  EXPECT_EQ(call(wrapped_, "shared", "[2]", "carol")->status, 201u);
  EXPECT_EQ(call(wrapped_, "shared", "[1]", "alice")->body, alice->body);
  EXPECT_EQ(fake_.runs, 3);
}

TEST_F(IdempotencyTest, ExpirerDeletesOnlyRecordsOlderThan24Hours) {
  call(wrapped_, "old");
  clock_.advance_ns(kIdempotencyKeyTtlNs / 2);
  call(wrapped_, "young");
  clock_.advance_ns(kIdempotencyKeyTtlNs / 2 + 1);
  IdempotencyExpirer expirer(store_, clock_);
  Result<uint64_t> removed = expirer.expire_now();
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1u);
  EXPECT_EQ(store_.size(), 1u);
  EXPECT_EQ(header_of(*call(wrapped_, "young"), kIdempotentReplayedHeader), "true");
}

TEST(InMemoryIdempotencyStore, ExpireHonoursRowsMax) {
  InMemoryIdempotencyStore store;
  RequestDigest digest{};
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store.begin("s", "k" + std::to_string(i), digest, 10, 0).ok());
  }
  EXPECT_EQ(*store.expire(11, 2), 2u);
  EXPECT_EQ(*store.expire(11, 10), 3u);
  EXPECT_EQ(store.size(), 0u);
}

// A store that fails every call, as a broken database would.
class FailingStore final : public IdempotencyStore {
 public:
  Result<IdempotencyBegin> begin(std::string_view, std::string_view, const RequestDigest&, int64_t,
                                 int64_t) override {
    return Error("store_error", "disk on fire");
  }
  Status complete(std::string_view, std::string_view, const StoredResponse&) override {
    return Error("store_error", "disk on fire");
  }
  Status abandon(std::string_view, std::string_view) override {
    return Error("store_error", "disk on fire");
  }
  Result<uint64_t> expire(int64_t, uint64_t) override { return Error("store_error", "disk on fire"); }
};

TEST_F(IdempotencyTest, AFailingStoreAnswers503AndRunsNothing) {
  FailingStore failing;
  Handler wrapped = with_idempotency(fake_.handler(), failing, clock_);
  std::optional<HttpResponse> response = call(wrapped, "k");
  EXPECT_EQ(response->status, 503u);
  EXPECT_EQ(error_code(*response), "idempotency_unavailable");
  EXPECT_EQ(fake_.runs, 0);
  // Without a key the store is not needed.
  EXPECT_EQ(call(wrapped, std::nullopt)->status, 201u);
}

TEST_F(IdempotencyTest, ApplyIdempotencyWrapsExactlyTheIdempotentRoutes) {
  Router router;
  router.add({verb::post, "/v1/wrapped", "", 1024, fake_.handler(), /*idempotent=*/true});
  router.add({verb::post, "/v1/plain", "", 1024, fake_.handler()});
  apply_idempotency(router, store_, clock_);
  const Handler& wrapped = router.routes()[0].handler;
  const Handler& plain = router.routes()[1].handler;
  call(wrapped, "k");
  call(wrapped, "k");
  EXPECT_EQ(fake_.runs, 1);
  call(plain, "k2");
  call(plain, "k2");
  EXPECT_EQ(fake_.runs, 3);
}

TEST(RequestDigest, CoversMethodTargetAndBody) {
  HttpRequest base;
  base.method = verb::post;
  base.target = "/v1/a?x=1";
  base.body = "{}";
  HttpRequest other_method = base;
  other_method.method = verb::put;
  HttpRequest other_target = base;
  other_target.target = "/v1/a?x=2";
  HttpRequest other_body = base;
  other_body.body = "{ }";
  HttpRequest other_path_only = base;
  other_path_only.path = "/elsewhere";  // the digest uses the target as sent
  EXPECT_EQ(request_digest(base), request_digest(base));
  EXPECT_NE(request_digest(base), request_digest(other_method));
  EXPECT_NE(request_digest(base), request_digest(other_target));
  EXPECT_NE(request_digest(base), request_digest(other_body));
  EXPECT_EQ(request_digest(base), request_digest(other_path_only));
}

}  // namespace
}  // namespace mpay::api
