#include "channels/qr/payment_code/caller_failure_limiter.h"

#include <iterator>

namespace mpay::qr {

void CallerFailureLimiter::forget_before(std::deque<int64_t>& failures, int64_t now_ns) const {
  while (!failures.empty() && failures.front() <= now_ns - options_.caller_failure_window_ns) {
    failures.pop_front();
  }
}

bool CallerFailureLimiter::allows(std::string_view caller, int64_t now_ns) {
  std::lock_guard lock(mutex_);
  auto found = failures_by_caller_.find(std::string(caller));
  if (found == failures_by_caller_.end()) return true;
  forget_before(found->second, now_ns);
  return found->second.size() < static_cast<size_t>(options_.caller_failures_per_window_max);
}

void CallerFailureLimiter::record_failure(std::string_view caller, int64_t now_ns) {
  std::lock_guard lock(mutex_);
  auto found = failures_by_caller_.find(std::string(caller));
  if (found == failures_by_caller_.end()) {
    if (failures_by_caller_.size() >= options_.callers_tracked_max) {
      for (auto entry = failures_by_caller_.begin(); entry != failures_by_caller_.end();) {
        forget_before(entry->second, now_ns);
        entry = entry->second.empty() ? failures_by_caller_.erase(entry) : std::next(entry);
      }
      if (failures_by_caller_.size() >= options_.callers_tracked_max) return;
    }
    found = failures_by_caller_.emplace(std::string(caller), std::deque<int64_t>()).first;
  }
  std::deque<int64_t>& failures = found->second;
  forget_before(failures, now_ns);
  failures.push_back(now_ns);
  while (failures.size() > static_cast<size_t>(options_.caller_failures_per_window_max)) failures.pop_front();
}

}  // namespace mpay::qr
