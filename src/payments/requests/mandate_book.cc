#include "payments/requests/mandate_book.h"

#include <algorithm>

namespace mpay::requests {

void MandateBook::put(const MandateRecord& mandate) {
  std::lock_guard lock(mutex_);
  mandates_[mandate.id] = mandate;
}

std::optional<MandateRecord> MandateBook::get(const Id128& id) const {
  std::lock_guard lock(mutex_);
  auto found = mandates_.find(id);
  if (found == mandates_.end()) return std::nullopt;
  return found->second;
}

std::vector<MandateRecord> MandateBook::of_user(const wallet::UserId& user) const {
  std::lock_guard lock(mutex_);
  std::vector<MandateRecord> mine;
  for (const auto& [id, mandate] : mandates_) {
    if (mandate.user_id == user) mine.push_back(mandate);
  }
  std::sort(mine.begin(), mine.end(),
            [](const MandateRecord& a, const MandateRecord& b) { return a.id < b.id; });
  return mine;
}

bool MandateBook::revoke(const Id128& id, int64_t at_ns) {
  std::lock_guard lock(mutex_);
  auto found = mandates_.find(id);
  if (found == mandates_.end() || found->second.revoked_at_ns != 0) return false;
  found->second.revoked_at_ns = at_ns;
  return true;
}

bool MandateBook::reserve(const Id128& id, int64_t amount_minor,
                          const std::function<int64_t()>& used_now, int64_t cap_minor) {
  std::lock_guard lock(mutex_);
  int64_t& in_flight = in_flight_[id];
  if (used_now() + in_flight + amount_minor > cap_minor) return false;
  in_flight += amount_minor;
  return true;
}

void MandateBook::release(const Id128& id, int64_t amount_minor) {
  std::lock_guard lock(mutex_);
  auto found = in_flight_.find(id);
  if (found == in_flight_.end()) return;
  found->second -= amount_minor;
  if (found->second <= 0) in_flight_.erase(found);
}

}  // namespace mpay::requests
