#include "notify/webhooks/fresh_lane.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace mpay::notify::webhooks {

FreshLane::FreshLane(size_t deliveries_max) : deliveries_max_(deliveries_max) {}

std::string FreshLane::key_of(const Id128& merchant, const std::string& subject) {
  // The merchant's 16 bytes, then the subject: unambiguous, since the first part has a fixed size.
  std::string key(sizeof merchant.high + sizeof merchant.low + subject.size(), '\0');
  std::memcpy(key.data(), &merchant.high, sizeof merchant.high);
  std::memcpy(key.data() + sizeof merchant.high, &merchant.low, sizeof merchant.low);
  std::memcpy(key.data() + sizeof merchant.high + sizeof merchant.low, subject.data(),
              subject.size());
  return key;
}

FreshLane::Route FreshLane::admit(const DueDelivery& item) {
  std::string key = key_of(item.delivery.merchant_id, item.delivery.subject_id);
  if (stored_pending_.count(key) != 0) {
    ++stored_pending_[key];
    return Route::store;
  }
  auto subject = subjects_.find(key);
  if (subject != subjects_.end()) {
    // Behind the one in flight even when the lane is full: storing it would let the store's
    // head order send it before the ones waiting here.
    subject->second.waiting.push_back(item);
    ++deliveries_;
    return Route::wait;
  }
  if (deliveries_ >= deliveries_max_) {
    ++stored_pending_[key];
    return Route::store;
  }
  subjects_.emplace(std::move(key), Subject{item, {}});
  ++deliveries_;
  return Route::send_now;
}

void FreshLane::stored_pending_added(const Id128& merchant, const std::string& subject,
                                     size_t count) {
  if (count != 0) stored_pending_[key_of(merchant, subject)] += count;
}

void FreshLane::stored_pending_finished(const Id128& merchant, const std::string& subject) {
  auto found = stored_pending_.find(key_of(merchant, subject));
  if (found == stored_pending_.end()) return;
  if (--found->second == 0) stored_pending_.erase(found);
}

FreshLane::AfterAttempt FreshLane::attempted(const Id128& merchant, const std::string& subject,
                                             const Id128& delivery_id, bool finished) {
  AfterAttempt after;
  after.finished = finished;
  std::string key = key_of(merchant, subject);
  auto found = subjects_.find(key);
  if (found == subjects_.end() || found->second.in_flight.delivery.id != delivery_id) return after;
  Subject& entry = found->second;
  after.attempted = std::move(entry.in_flight);
  --deliveries_;
  bool stored_some = stored_pending_.count(key) != 0;
  after.promote = finished && stored_some;
  bool store_behind = !finished || stored_some;
  if (!store_behind && !entry.waiting.empty()) {
    entry.in_flight = std::move(entry.waiting.front());
    entry.waiting.pop_front();
    after.send_next = entry.in_flight;
    return after;
  }
  // Still pending (or the store has some of this subject already): the store's head order takes
  // the subject over, with the waiting ones behind the attempted one.
  size_t stored = entry.waiting.size() + (finished ? 0 : 1);
  for (DueDelivery& waiting : entry.waiting) after.store_pending.push_back(std::move(waiting));
  deliveries_ -= entry.waiting.size();
  subjects_.erase(found);
  if (stored != 0) stored_pending_[key] += stored;
  return after;
}

void FreshLane::undo_attempted(AfterAttempt after) {
  if (!after.attempted) return;
  const DeliveryRecord& delivery = after.attempted->delivery;
  std::string key = key_of(delivery.merchant_id, delivery.subject_id);
  auto found = subjects_.find(key);
  if (found != subjects_.end()) {
    // The next one went in flight: it waits again, first.
    Subject& entry = found->second;
    entry.waiting.push_front(std::move(entry.in_flight));
    entry.in_flight = std::move(*after.attempted);
    ++deliveries_;
    return;
  }
  size_t stored = after.store_pending.size() + (after.finished ? 0 : 1);
  auto counted = stored_pending_.find(key);
  if (counted != stored_pending_.end()) {
    counted->second -= std::min(counted->second, stored);
    if (counted->second == 0) stored_pending_.erase(counted);
  }
  Subject entry{std::move(*after.attempted), {}};
  for (DueDelivery& waiting : after.store_pending) entry.waiting.push_back(std::move(waiting));
  deliveries_ += 1 + entry.waiting.size();
  subjects_.emplace(std::move(key), std::move(entry));
}

std::vector<DueDelivery> FreshLane::waiting(const Id128& merchant,
                                            const std::string& subject) const {
  auto found = subjects_.find(key_of(merchant, subject));
  if (found == subjects_.end()) return {};
  return {found->second.waiting.begin(), found->second.waiting.end()};
}

std::vector<DueDelivery> FreshLane::yield_waiting(const Id128& merchant,
                                                  const std::string& subject) {
  std::vector<DueDelivery> yielded;
  std::string key = key_of(merchant, subject);
  auto found = subjects_.find(key);
  if (found == subjects_.end() || found->second.waiting.empty()) return yielded;
  for (DueDelivery& waiting : found->second.waiting) yielded.push_back(std::move(waiting));
  found->second.waiting.clear();
  deliveries_ -= yielded.size();
  stored_pending_[key] += yielded.size();
  return yielded;
}

bool FreshLane::in_flight(const Id128& merchant, const std::string& subject) const {
  return subjects_.count(key_of(merchant, subject)) != 0;
}

std::vector<DueDelivery> FreshLane::take_all() {
  std::vector<DueDelivery> all;
  all.reserve(deliveries_);
  for (auto& [key, subject] : subjects_) {
    all.push_back(std::move(subject.in_flight));
    for (DueDelivery& waiting : subject.waiting) all.push_back(std::move(waiting));
  }
  subjects_.clear();
  deliveries_ = 0;
  return all;
}

}  // namespace mpay::notify::webhooks
