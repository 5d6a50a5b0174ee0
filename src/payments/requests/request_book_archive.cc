// The book's side of the archive (request_archive.h): which requests leave memory, how they come
// back, and reads that need both.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/check.h"
#include "payments/requests/request_book.h"

namespace mpay::requests {

namespace {

bool has_pending_refund(const std::vector<Id128>& ids,
                        const absl::node_hash_map<Id128, RefundRecord, Id128Hash>& refunds) {
  return std::any_of(ids.begin(), ids.end(), [&](const Id128& id) {
    return refunds.at(id).status == RefundStatus::pending;
  });
}

}  // namespace

Result<size_t> RequestBook::archive_quiet(int64_t quiet_before_ts, size_t max) {
  if (!archive_) return size_t{0};
  std::vector<ArchivedRequest> leaving;
  {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<int64_t, Id128>> later;
    while (!quiet_.empty() && leaving.size() < max && quiet_.front().first < quiet_before_ts) {
      auto [ts, id] = quiet_.front();
      quiet_.pop_front();
      auto found = requests_.find(id);
      // Gone already, or changed since (a newer item for it follows).
      if (found == requests_.end() || found->second.last_event_ts != ts) continue;
      const Entry& entry = found->second;
      if (!is_final(entry.request.state.status)) continue;
      if (entry.busy || has_pending_refund(entry.refunds, refunds_)) {
        later.emplace_back(ts, id);  // its action may end without an event: look again
        continue;
      }
      ArchivedRequest& archived = leaving.emplace_back();
      archived.request = entry.request;
      for (const Id128& refund : entry.refunds) archived.refunds.push_back(refunds_.at(refund));
      for (const Id128& transfer : entry.transfers) archived.transfers.emplace_back(transfer);
      archived.last_event_ts = entry.last_event_ts;
    }
    quiet_.insert(quiet_.end(), later.begin(), later.end());
  }
  if (leaving.empty()) return size_t{0};

  Status written = archive_->put(leaving);
  if (!written.ok()) {
    std::lock_guard lock(mutex_);
    for (const ArchivedRequest& archived : leaving) {
      quiet_.emplace_back(archived.last_event_ts, archived.request.terms.id);
    }
    return written.error();
  }
  // Before the book forgets anything, so that reads that miss it ask the archive.
  archive_has_rows_ = true;

  size_t forgotten = 0;
  int64_t mark = 0;
  {
    std::lock_guard lock(mutex_);
    for (const ArchivedRequest& archived : leaving) {
      const Id128& id = archived.request.terms.id;
      auto found = requests_.find(id);
      if (found == requests_.end()) continue;
      // An action took it, or an event changed it, while the row was written: the book's copy is
      // newer, and start-up will apply its events over the row (they are after the row's time).
      if (found->second.last_event_ts != archived.last_event_ts) continue;
      if (found->second.busy) {
        quiet_.emplace_back(archived.last_event_ts, id);
        continue;
      }
      forget(id);
      ++forgotten;
    }
    mark = replay_marks_.empty() ? newest_event_ts_ + 1 : replay_marks_.begin()->first;
    mark = std::max(mark, replay_floor_);
  }
  archived_total_.fetch_add(forgotten, std::memory_order_relaxed);
  Status marked = archive_->set_replay_from(mark);
  if (!marked.ok()) {
    // The older mark stays: start-up reads a little more of the journal, nothing is lost.
    spdlog::warn("payment requests: the archive's replay mark was not moved: {}",
                 marked.error().message);
  } else {
    std::lock_guard lock(mutex_);
    replay_floor_ = std::max(replay_floor_, mark);
  }
  return forgotten;
}

void RequestBook::forget(const Id128& id) {
  auto found = requests_.find(id);
  MPAY_CHECK(found != requests_.end(), "forgetting a request the book does not hold");
  // Out of requests_ first: compacting a list keeps the ids requests_ still holds.
  Entry entry = std::move(found->second);
  requests_.erase(found);
  const RequestTerms& terms = entry.request.terms;
  const Id128 payer = terms.payer_id.value();
  forget_in(by_merchant_, terms.merchant_id);
  forget_in(by_payer_, payer);
  if (terms.mandate_id) forget_in(by_mandate_, *terms.mandate_id);
  if (entry.request.state.funding == FundingSource::phone_bill) {
    forget_in(phone_bill_by_payer_, payer);
  }
  for (const Id128& refund : entry.refunds) refunds_.erase(refund);
  for (const Id128& transfer : entry.transfers) request_by_transfer_.erase(transfer);
  references_.erase(reference_key(terms.merchant_id, terms.merchant_reference));
  replay_marks_.erase({entry.replay_from_ts, id});
}

void RequestBook::forget_in(absl::flat_hash_map<Id128, IdList, Id128Hash>& lists,
                            const Id128& key) {
  auto found = lists.find(key);
  if (found == lists.end()) return;
  IdList& list = found->second;
  if (++list.gone * 2 < list.ids.size()) return;
  std::erase_if(list.ids, [&](const Id128& id) { return !requests_.contains(id); });
  list.gone = 0;
  if (list.ids.empty()) lists.erase(found);
}

RequestBook::Entry& RequestBook::load_back(ArchivedRequest archived) {
  const Id128 id = archived.request.terms.id;
  auto [found, fresh] = requests_.try_emplace(id);
  Entry& entry = found->second;
  if (!fresh) return entry;
  entry.request = std::move(archived.request);
  for (const TransferId& transfer : archived.transfers) entry.transfers.push_back(transfer.value());
  entry.last_event_ts = archived.last_event_ts;
  // Its events from now on are newer than every event the book has applied, and its row holds
  // the older ones.
  entry.replay_from_ts = std::max(archived.last_event_ts, newest_event_ts_) + 1;
  for (RefundRecord& refund : archived.refunds) {
    Id128 refund_id = refund.id;
    if (refunds_.emplace(refund_id, std::move(refund)).second) entry.refunds.push_back(refund_id);
  }
  references_.insert(
      reference_key(entry.request.terms.merchant_id, entry.request.terms.merchant_reference));
  index(id, entry);
  quiet_.emplace_back(entry.last_event_ts, id);  // leaves again if nothing changes it
  return entry;
}

bool RequestBook::restore(const Id128& id) {
  std::unique_lock lock(mutex_);
  return find_or_load(id, lock) != nullptr;
}

RequestBook::Entry* RequestBook::find_or_load(const Id128& id, std::unique_lock<std::mutex>& lock) {
  auto found = requests_.find(id);
  if (found != requests_.end()) return &found->second;
  if (!archive_in_use()) return nullptr;
  lock.unlock();
  std::optional<ArchivedRequest> archived = fetch_archived(id);
  lock.lock();
  if (!archived) return nullptr;
  return &load_back(std::move(*archived));
}

std::vector<PaymentRequest> RequestBook::list_with_archive(
    const absl::flat_hash_map<Id128, IdList, Id128Hash>& lists, const Id128& key,
    const RequestListQuery& query, const ArchivePage& from_archive) const {
  // The archive's rows first, then the book under one lock: a request the book forgets between
  // the two is in the rows already.
  std::vector<PaymentRequest> archived;
  bool exhausted = true;
  Id128 archive_cursor;
  if (archive_in_use()) {
    RequestListQuery page = query;
    while (true) {
      Result<std::vector<PaymentRequest>> rows = from_archive(page);
      if (!rows.ok()) {
        spdlog::error("payment requests: the archive could not be read for a list: {}",
                      rows.error().message);
        break;
      }
      const bool full = rows->size() >= query.limit;
      if (!rows->empty()) archive_cursor = rows->back().terms.id;
      for (PaymentRequest& row : *rows) archived.push_back(std::move(row));
      if (!full) break;
      // The book's copies are dropped below; fetch on only while they might leave a short page.
      exhausted = false;
      if (archived.size() >= 2 * static_cast<size_t>(query.limit)) break;
      page.after = archive_cursor;
    }
  }
  std::lock_guard lock(mutex_);
  std::vector<PaymentRequest> page;
  auto found = lists.find(key);
  if (found != lists.end()) page = list(found->second, query);
  if (archived.empty()) return page;
  std::erase_if(archived, [&](const PaymentRequest& r) { return requests_.contains(r.terms.id); });
  std::vector<PaymentRequest> merged;
  merged.reserve(page.size() + archived.size());
  std::merge(std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()),
             std::make_move_iterator(archived.begin()), std::make_move_iterator(archived.end()),
             std::back_inserter(merged), [](const PaymentRequest& a, const PaymentRequest& b) {
               return a.terms.id < b.terms.id;
             });
  // Past the archive's last row fetched, rows it was not asked for may belong in between.
  if (!exhausted) {
    std::erase_if(merged, [&](const PaymentRequest& r) { return archive_cursor < r.terms.id; });
  }
  if (merged.size() > query.limit) merged.resize(query.limit);
  return merged;
}

int64_t RequestBook::archived_share(const Result<std::vector<ArchivedCharge>>& charges) const {
  if (!charges.ok()) {
    spdlog::error(
        "payment requests: the archive could not be read for a usage sum ({}); the "
        "charge is refused",
        charges.error().message);
    return kUsageUnknownMinor;
  }
  int64_t used = 0;
  for (const ArchivedCharge& charge : *charges) {
    if (!requests_.contains(charge.request_id)) used += charge.amount_minor;
  }
  return used;
}

Result<bool> RequestBook::is_archived(const Id128& id) {
  if (!archive_in_use()) return false;
  Result<std::optional<int64_t>> last = archive_->last_event_ts(id);
  if (!last.ok()) return last.error();
  return last->has_value();
}

Result<int64_t> RequestBook::replay_from() {
  if (!archive_) return int64_t{0};
  Result<int64_t> mark = archive_->replay_from();
  if (!mark.ok()) return mark.error();
  std::lock_guard lock(mutex_);
  replay_floor_ = std::max(replay_floor_, *mark);
  return *mark;
}

}  // namespace mpay::requests
