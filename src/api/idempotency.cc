#include "api/idempotency.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "api/http_limits.h"
#include "core/check.h"
#include "security/sha256.h"

namespace mpay::api {
namespace {

// The server refuses a request that repeats the key before it gets here (http_limits.h).
static_assert(is_single_valued_header(kIdempotencyKeyHeader));

// An answer that a retry of the same request may change (the server failed, a rate limit, the
// payment request is busy for a moment): replaying it for 24 h would turn a pause into a refusal.
bool asks_for_retry(const HttpResponse& response) {
  if (response.status >= 500 || response.status == 429) return true;
  return std::any_of(response.headers.begin(), response.headers.end(),
                     [](const auto& header) { return header.first == kRetryAfterHeader; });
}

// One claimed key, shared by every copy of the wrapped Responder. Whatever happens to the request
// the key ends up completed or released: finish() decides, and if nobody calls it (the handler
// threw or dropped its Responder) the destructor releases the key.
class Claim {
 public:
  Claim(IdempotencyStore& store, std::string scope, std::string key, std::string request_id)
      : store_(store),
        scope_(std::move(scope)),
        key_(std::move(key)),
        request_id_(std::move(request_id)) {}
  Claim(const Claim&) = delete;
  Claim& operator=(const Claim&) = delete;

  ~Claim() {
    if (!finished_.exchange(true)) release();
  }

  void finish(const HttpResponse& response) {
    if (finished_.exchange(true)) return;
    if (asks_for_retry(response)) {
      release();
      return;
    }
    Status stored = store_.complete(scope_, key_, {response.status, response.content_type,
                                                   response.body});
    if (stored.ok()) return;
    spdlog::error("idempotency: storing the response failed request_id={}: {}", request_id_,
                  stored.error().message);
    release();
  }

 private:
  void release() {
    Status released = store_.abandon(scope_, key_);
    if (!released.ok()) {
      spdlog::error("idempotency: releasing a key failed request_id={}: {}", request_id_,
                    released.error().message);
    }
  }

  IdempotencyStore& store_;
  const std::string scope_;
  const std::string key_;
  const std::string request_id_;
  std::atomic<bool> finished_{false};
};

// Completes the claim with the response as replays will see it: the body named by
// kIdempotentStoredBodyHeader if the handler set one (that header is then removed from the
// response sent), else the response itself.
void finish_claim(Claim& claim, HttpResponse& response) {
  auto redacted = std::find_if(response.headers.begin(), response.headers.end(),
                               [](const auto& header) { return header.first == kIdempotentStoredBodyHeader; });
  if (redacted == response.headers.end()) return claim.finish(response);
  HttpResponse stored{response.status, response.content_type, std::move(redacted->second), {}};
  response.headers.erase(redacted);
  stored.headers = response.headers;  // a Retry-After still counts
  claim.finish(stored);
}

HttpResponse replayed(StoredResponse stored) {
  HttpResponse response;
  response.status = stored.status;
  response.content_type = std::move(stored.content_type);
  response.body = std::move(stored.body);
  response.headers.emplace_back(kIdempotentReplayedHeader, "true");
  return response;
}

void run_idempotent(const Handler& handler, IdempotencyStore& store, Clock& clock,
                    HttpRequest& request, Responder respond) {
  std::optional<std::string_view> header = request.header(kIdempotencyKeyHeader);
  if (!header) return handler(request, std::move(respond));
  if (!is_valid_idempotency_key(*header)) {
    return respond(error_response(
        400, Error("invalid_idempotency_key",
                   "Idempotency-Key must be 1 to 255 visible ASCII characters",
                   std::string(kIdempotencyKeyHeader))));
  }
  std::string key(*header);
  int64_t now_ns = clock.now_ns();
  Result<IdempotencyBegin> begun =
      store.begin(request.principal, key, request_digest(request), now_ns,
                  now_ns - kIdempotencyKeyTtlNs);
  if (!begun.ok()) {
    spdlog::error("idempotency: store failed request_id={}: {}", request.request_id,
                  begun.error().message);
    return respond(error_response(
        503, Error("idempotency_unavailable", "idempotency keys cannot be checked right now")));
  }
  switch (begun->state) {
    case IdempotencyState::replay:
      return respond(replayed(std::move(begun->response)));
    case IdempotencyState::in_progress:
      return respond(error_response(
          409, Error("idempotency_key_in_progress",
                     "a request with this Idempotency-Key is still running; retry later",
                     std::string(kIdempotencyKeyHeader))));
    case IdempotencyState::mismatch:
      return respond(error_response(
          422, Error("idempotency_key_reused",
                     "this Idempotency-Key was used for a different request",
                     std::string(kIdempotencyKeyHeader))));
    case IdempotencyState::proceed:
      break;
  }
  auto claim = std::make_shared<Claim>(store, request.principal, std::move(key), request.request_id);
  request.idempotency_key_claimed = true;
  handler(request, [claim, respond = std::move(respond)](HttpResponse response) {
    finish_claim(*claim, response);
    respond(std::move(response));
  });
}

}  // namespace

HttpResponse secret_response(unsigned status, const nlohmann::json& body,
                             const nlohmann::json& replay_body, bool keyed) {
  HttpResponse response = json_response(status, body);
  if (keyed) {
    response.headers.emplace_back(kIdempotentStoredBodyHeader, json_response(status, replay_body).body);
  }
  return response;
}

bool is_valid_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > kIdempotencyKeyCharsMax) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c <= 0x7E; });
}

RequestDigest request_digest(const HttpRequest& request) {
  auto method = boost::beast::http::to_string(request.method);
  return security::sha256(
      {std::string_view(method.data(), method.size()), "\n", request.target, "\n", request.body});
}

Handler with_idempotency(Handler handler, IdempotencyStore& store, Clock& clock) {
  return [handler = std::move(handler), &store, &clock](HttpRequest& request, Responder respond) {
    run_idempotent(handler, store, clock, request, std::move(respond));
  };
}

void apply_idempotency(Router& router, IdempotencyStore& store, Clock& clock) {
  router.wrap_handlers([&store, &clock](const Route& route, Handler handler) -> Handler {
    if (!route.idempotent) return handler;
    return with_idempotency(std::move(handler), store, clock);
  });
}

// ---------------------------------------------------------------------------------------------
// Expirer

IdempotencyExpirer::IdempotencyExpirer(IdempotencyStore& store, Clock& clock)
    : store_(store), clock_(clock) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "idempotency-exp");
    loop();
  });
}

IdempotencyExpirer::~IdempotencyExpirer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Result<uint64_t> IdempotencyExpirer::expire_now() {
  int64_t created_before_ns = clock_.now_ns() - kIdempotencyKeyTtlNs;
  uint64_t total = 0;
  while (true) {
    Result<uint64_t> removed = store_.expire(created_before_ns, kIdempotencyExpireRowsMax);
    if (!removed.ok()) return removed.error();
    total += *removed;
    if (*removed < kIdempotencyExpireRowsMax) return total;
    std::lock_guard lock(mutex_);
    if (stop_) return total;
  }
}

void IdempotencyExpirer::loop() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(kIdempotencyExpireIntervalMs),
                     [this] { return stop_; });
      if (stop_) return;
    }
    Result<uint64_t> removed = expire_now();
    if (!removed.ok()) {
      spdlog::warn("idempotency: expiring old keys failed: {}", removed.error().message);
    } else if (*removed > 0) {
      spdlog::debug("idempotency: expired {} keys", *removed);
    }
  }
}

}  // namespace mpay::api
