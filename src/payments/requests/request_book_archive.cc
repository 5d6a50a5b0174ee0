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
  // A request loaded back and left unchanged (a read, a refused action) has its row already.
  std::vector<ArchivedRequest> to_write;
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
      if (entry.archived_through_ts != entry.last_event_ts) to_write.push_back(archived);
    }
    quiet_.insert(quiet_.end(), later.begin(), later.end());
  }
  if (leaving.empty()) return size_t{0};

  Status written = to_write.empty() ? ok_status() : archive_->put(to_write);
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
      // Claimed meanwhile, or a refund was added that its action then dropped without an event
      // (the row does not have it): stays, and is looked at again.
      if (found->second.busy || has_pending_refund(found->second.refunds, refunds_) ||
          found->second.refunds.size() != archived.refunds.size()) {
        quiet_.emplace_back(archived.last_event_ts, id);
        continue;
      }
      forget(id);
      ++forgotten;
    }
    if (forgotten > 0) ++forgets_;
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
  entry.archived_through_ts = archived.last_event_ts;
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
  if (archiving_) quiet_.emplace_back(entry.last_event_ts, id);  // leaves again if unchanged
  return entry;
}

bool RequestBook::restore(const Id128& id) {
  std::unique_lock lock(mutex_);
  Result<Entry*> entry = find_or_load(id, lock, [](const ArchivedRequest&) { return true; });
  if (!entry.ok()) {
    spdlog::error("payment requests: the archive could not be read for {}: {}", to_uuid_text(id),
                  entry.error().message);
    return false;
  }
  return *entry != nullptr;
}

Result<RequestBook::Entry*> RequestBook::find_or_load(
    const Id128& id, std::unique_lock<std::mutex>& lock,
    const std::function<bool(const ArchivedRequest&)>& load_if,
    std::optional<ArchivedRequest>* not_loaded) {
  constexpr int kUnlockedReads = 8;
  for (int attempt = 0;; ++attempt) {
    auto found = requests_.find(id);
    if (found != requests_.end()) return &found->second;
    if (!archive_in_use()) return nullptr;
    // The read happens unlocked. If the book forgot requests meanwhile, this one may have been
    // loaded back, changed and archived again in between, and the row read may be older than
    // the archive's: read again. Under a storm of archivings, the last read holds the lock.
    const uint64_t forgets_seen = forgets_;
    const bool unlocked = attempt < kUnlockedReads;
    if (unlocked) lock.unlock();
    Result<std::optional<ArchivedRequest>> archived = archive_->get(id);
    if (unlocked) lock.lock();
    if (unlocked && forgets_ != forgets_seen) continue;
    if (!archived.ok()) return archived.error();
    found = requests_.find(id);
    if (found != requests_.end()) return &found->second;
    if (!archived->has_value()) return nullptr;
    if (!load_if(**archived)) {
      if (not_loaded) *not_loaded = std::move(*archived);
      return nullptr;
    }
    return &load_back(std::move(**archived));
  }
}

template <typename Rows, typename Combine>
auto RequestBook::with_archive_rows(const std::function<Result<Rows>()>& read,
                                    const Combine& combine) const {
  constexpr int kUnlockedReads = 8;
  {
    // Seen under the lock: the archive is marked in use before the book first forgets anything,
    // and the book forgets under the lock.
    std::lock_guard lock(mutex_);
    if (!archive_in_use()) return combine(Result<Rows>(Rows{}));
  }
  for (int attempt = 0;; ++attempt) {
    // A request the book forgets after the rows were read would be in neither: read again if
    // the book forgot anything meanwhile (the last attempt reads under the lock).
    uint64_t forgets_seen = 0;
    {
      std::lock_guard lock(mutex_);
      forgets_seen = forgets_;
    }
    if (attempt < kUnlockedReads) {
      Result<Rows> rows = read();
      std::lock_guard lock(mutex_);
      if (forgets_ != forgets_seen) continue;
      return combine(rows);
    }
    std::lock_guard lock(mutex_);
    return combine(read());
  }
}

int64_t RequestBook::phone_bill_usage(const wallet::UserId& payer, int64_t from_ns,
                                      int64_t to_ns) const {
  using Charges = std::vector<ArchivedCharge>;
  return with_archive_rows<Charges>(
      [&] { return archive_->phone_bill_charges(payer.value(), from_ns, to_ns); },
      [&](const Result<Charges>& charges) {
        int64_t archived = archived_share(charges);
        if (archived == kUsageUnknownMinor) return archived;
        return archived + book_phone_bill_usage(payer.value(), from_ns, to_ns);
      });
}

int64_t RequestBook::mandate_usage(const Id128& mandate_id, int64_t from_ns) const {
  using Charges = std::vector<ArchivedCharge>;
  return with_archive_rows<Charges>([&] { return archive_->mandate_charges(mandate_id, from_ns); },
                                    [&](const Result<Charges>& charges) {
                                      int64_t archived = archived_share(charges);
                                      if (archived == kUsageUnknownMinor) return archived;
                                      return archived + book_mandate_usage(mandate_id, from_ns);
                                    });
}

std::vector<PaymentRequest> RequestBook::list_for_merchant(const MerchantId& merchant,
                                                           const RequestListQuery& query) const {
  return list_with_archive(by_merchant_, merchant, query, [&](const RequestListQuery& page) {
    return archive_->list_for_merchant(merchant, page);
  });
}

std::vector<PaymentRequest> RequestBook::list_for_payer(const wallet::UserId& payer,
                                                        const RequestListQuery& query) const {
  return list_with_archive(by_payer_, payer.value(), query, [&](const RequestListQuery& page) {
    return archive_->list_for_payer(payer.value(), page);
  });
}

namespace {

// The archive's part of a list page: its rows from the cursor on, and whether it has more.
struct ArchivedPage {
  std::vector<PaymentRequest> rows;
  bool exhausted = true;  // no row past `last`
  Id128 last;
};

}  // namespace

std::vector<PaymentRequest> RequestBook::list_with_archive(
    const absl::flat_hash_map<Id128, IdList, Id128Hash>& lists, const Id128& key,
    const RequestListQuery& query, const ArchivePage& from_archive) const {
  auto read = [&]() -> Result<ArchivedPage> {
    ArchivedPage archived;
    RequestListQuery page = query;
    while (true) {
      Result<std::vector<PaymentRequest>> rows = from_archive(page);
      if (!rows.ok()) return rows.error();
      const bool full = rows->size() >= query.limit;
      if (!rows->empty()) archived.last = rows->back().terms.id;
      for (PaymentRequest& row : *rows) archived.rows.push_back(std::move(row));
      if (!full) return archived;
      // Rows the book also holds are dropped below: fetch on while they might leave a short page.
      archived.exhausted = false;
      if (archived.rows.size() >= 2 * static_cast<size_t>(query.limit)) return archived;
      page.after = archived.last;
    }
  };
  return with_archive_rows<ArchivedPage>(read, [&](const Result<ArchivedPage>& read_rows) {
    std::vector<PaymentRequest> page;
    auto found = lists.find(key);
    if (found != lists.end()) page = list(found->second, query);
    if (!read_rows.ok()) {
      spdlog::error("payment requests: the archive could not be read for a list: {}",
                    read_rows.error().message);
      return page;
    }
    std::vector<PaymentRequest> archived;
    for (const PaymentRequest& row : read_rows->rows) {
      if (!requests_.contains(row.terms.id)) archived.push_back(row);  // the book's copy wins
    }
    if (archived.empty()) return page;
    std::vector<PaymentRequest> merged;
    merged.reserve(page.size() + archived.size());
    std::merge(std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()),
               std::make_move_iterator(archived.begin()), std::make_move_iterator(archived.end()),
               std::back_inserter(merged), [](const PaymentRequest& a, const PaymentRequest& b) {
                 return a.terms.id < b.terms.id;
               });
    // Past the archive's last row read, rows it was not asked for may belong in between.
    if (!read_rows->exhausted) {
      const Id128& last = read_rows->last;
      std::erase_if(merged, [&](const PaymentRequest& r) { return last < r.terms.id; });
    }
    if (merged.size() > query.limit) merged.resize(query.limit);
    return merged;
  });
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
