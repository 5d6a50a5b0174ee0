// Where Idempotency-Key records live: the interface the HTTP layer's idempotency wrapper
// (api/idempotency.h) needs, and an in-memory implementation for tests. No HTTP in here, so that a
// store (src/store/sqlite/sqlite_idempotency_store.h) can implement it without the server.
//
// A record is keyed by (scope, key): scope is the authenticated principal, key the client's
// Idempotency-Key. It holds the SHA-256 digest of the request that claimed it, its state
// (in progress, or completed with a stored response) and its creation time.
//
// Threads: implementations are thread-safe. Failure: operational failures (a database error) are
// error values; the wrapper answers them without running the request.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace mpay::api {

using RequestDigest = std::array<unsigned char, 32>;  // SHA-256

struct StoredResponse {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

enum class IdempotencyState {
  proceed,      // the key was free (or stale) and is now claimed by this request: run it
  in_progress,  // the same request is still running under this key
  replay,       // the same request completed: answer with `response`
  mismatch,     // the key was used for a different request (digest differs)
};

struct IdempotencyBegin {
  IdempotencyState state = IdempotencyState::proceed;
  StoredResponse response;  // set for replay
};

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;

  // Looks (scope, key) up. Absent, or created before `stale_before_ns` (in any state): claims it
  // for this request (in progress, `digest`, created at `now_ns`) and returns proceed. Otherwise a
  // different digest is a mismatch (whatever the state); the same digest is in_progress or replay.
  virtual Result<IdempotencyBegin> begin(std::string_view scope, std::string_view key,
                                         const RequestDigest& digest, int64_t now_ns,
                                         int64_t stale_before_ns) = 0;

  // Stores the response of a claimed, in-progress key; later begin()s replay it. Does nothing if
  // the key is not in progress (it was abandoned or expired meanwhile).
  virtual Status complete(std::string_view scope, std::string_view key,
                          const StoredResponse& response) = 0;

  // Releases a claimed, in-progress key without storing anything (the response must not be
  // replayed, e.g. a 5xx): the next begin() proceeds. Does nothing for completed keys.
  virtual Status abandon(std::string_view scope, std::string_view key) = 0;

  // Removes up to `rows_max` records created before `created_before_ns`; returns how many.
  virtual Result<uint64_t> expire(int64_t created_before_ns, uint64_t rows_max) = 0;
};

// Everything in a map behind one mutex. Bounded only by expire(): for tests and tools.
class InMemoryIdempotencyStore final : public IdempotencyStore {
 public:
  Result<IdempotencyBegin> begin(std::string_view scope, std::string_view key,
                                 const RequestDigest& digest, int64_t now_ns,
                                 int64_t stale_before_ns) override;
  Status complete(std::string_view scope, std::string_view key,
                  const StoredResponse& response) override;
  Status abandon(std::string_view scope, std::string_view key) override;
  Result<uint64_t> expire(int64_t created_before_ns, uint64_t rows_max) override;

  size_t size() const;

 private:
  struct Record {
    RequestDigest digest{};
    bool completed = false;
    StoredResponse response;
    int64_t created_at_ns = 0;
  };
  using RecordKey = std::pair<std::string, std::string>;

  mutable std::mutex mutex_;
  std::map<RecordKey, Record, std::less<>> records_;
};

}  // namespace mpay::api
