#include "api/idempotency_store.h"

namespace mpay::api {

Result<IdempotencyBegin> InMemoryIdempotencyStore::begin(std::string_view scope,
                                                         std::string_view key,
                                                         const RequestDigest& digest,
                                                         int64_t now_ns, int64_t stale_before_ns) {
  std::lock_guard lock(mutex_);
  RecordKey record_key(scope, key);
  auto found = records_.find(record_key);
  if (found == records_.end() || found->second.created_at_ns < stale_before_ns) {
    records_[record_key] = Record{digest, false, {}, now_ns};
    return IdempotencyBegin{IdempotencyState::proceed, {}};
  }
  const Record& record = found->second;
  if (record.digest != digest) return IdempotencyBegin{IdempotencyState::mismatch, {}};
  if (!record.completed) return IdempotencyBegin{IdempotencyState::in_progress, {}};
  return IdempotencyBegin{IdempotencyState::replay, record.response};
}

Status InMemoryIdempotencyStore::complete(std::string_view scope, std::string_view key,
                                          const StoredResponse& response) {
  std::lock_guard lock(mutex_);
  auto found = records_.find(RecordKey(scope, key));
  if (found == records_.end() || found->second.completed) return ok_status();
  found->second.completed = true;
  found->second.response = response;
  return ok_status();
}

Status InMemoryIdempotencyStore::abandon(std::string_view scope, std::string_view key) {
  std::lock_guard lock(mutex_);
  auto found = records_.find(RecordKey(scope, key));
  if (found != records_.end() && !found->second.completed) records_.erase(found);
  return ok_status();
}

Result<uint64_t> InMemoryIdempotencyStore::expire(int64_t created_before_ns, uint64_t rows_max) {
  std::lock_guard lock(mutex_);
  uint64_t removed = 0;
  for (auto it = records_.begin(); it != records_.end() && removed < rows_max;) {
    if (it->second.created_at_ns < created_before_ns) {
      it = records_.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  return removed;
}

size_t InMemoryIdempotencyStore::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

}  // namespace mpay::api
