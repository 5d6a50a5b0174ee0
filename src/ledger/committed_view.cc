#include "ledger/committed_view.h"

#include <mutex>

#include "core/check.h"

namespace mpay::ledger {
namespace {

bool is_created_transfer(const JournalEntry& entry) {
  return entry.type == EntryType::create_transfer && entry.result == 0;
}

std::optional<PendingResolution> resolution_of(const JournalEntry& entry) {
  if (entry.type == EntryType::expire_pending) {
    return PendingResolution{TransferId(entry.id), PendingStatus::expired, entry.timestamp};
  }
  if (!is_created_transfer(entry)) return std::nullopt;
  if (entry.flags & transfer_flags::post_pending_transfer) {
    return PendingResolution{TransferId(entry.pending_id), PendingStatus::posted, entry.timestamp};
  }
  if (entry.flags & transfer_flags::void_pending_transfer) {
    return PendingResolution{TransferId(entry.pending_id), PendingStatus::voided, entry.timestamp};
  }
  return std::nullopt;
}

}  // namespace

void CommittedView::restore(const LedgerImage& image) {
  std::unique_lock lock(mutex_);
  money_.restore(image);
}

void CommittedView::apply(const CommittedBatchPtr& batch, bool keep_in_tail) {
  std::unique_lock lock(mutex_);
  for (const JournalEntry& entry : batch->buffer.entries()) {
    money_.apply(batch->seq, entry);
    if (!keep_in_tail) continue;
    if (std::optional<PendingResolution> resolution = resolution_of(entry)) {
      tail_resolutions_[resolution->pending_id] = *resolution;
    }
    if (!is_created_transfer(entry)) continue;
    TailEntry tail_entry{&entry, batch->seq};
    tail_transfers_.emplace(TransferId(entry.id), tail_entry);
    tail_by_account_[AccountId(entry.debit_account_id)].push_back(tail_entry);
    tail_by_account_[AccountId(entry.credit_account_id)].push_back(tail_entry);
  }
  money_.finish_batch(batch->seq);
  if (keep_in_tail) {
    tail_.push_back(batch);
    tail_events_ += batch->buffer.size();
  }
}

void CommittedView::trim(uint64_t projected_seq) {
  std::unique_lock lock(mutex_);
  while (!tail_.empty() && tail_.front()->seq <= projected_seq) {
    const CommittedBatchPtr& batch = tail_.front();
    for (const JournalEntry& entry : batch->buffer.entries()) {
      if (std::optional<PendingResolution> resolution = resolution_of(entry)) {
        auto it = tail_resolutions_.find(resolution->pending_id);
        if (it != tail_resolutions_.end() && it->second.timestamp == entry.timestamp) {
          tail_resolutions_.erase(it);
        }
      }
      if (!is_created_transfer(entry)) continue;
      tail_transfers_.erase(TransferId(entry.id));
      for (const Id128& account : {entry.debit_account_id, entry.credit_account_id}) {
        auto it = tail_by_account_.find(AccountId(account));
        MPAY_CHECK(it != tail_by_account_.end() && !it->second.empty() &&
                       it->second.front().entry == &entry,
                   "tail index out of order");
        it->second.pop_front();
        if (it->second.empty()) tail_by_account_.erase(it);
      }
    }
    tail_events_ -= batch->buffer.size();
    tail_.pop_front();
  }
}

std::optional<AccountState> CommittedView::account(const AccountId& id) const {
  std::shared_lock lock(mutex_);
  const AccountState* state = money_.find_account(id);
  if (state == nullptr) return std::nullopt;
  return *state;
}

std::optional<TransferRecord> CommittedView::tail_transfer(const TransferId& id) const {
  std::shared_lock lock(mutex_);
  auto it = tail_transfers_.find(id);
  if (it == tail_transfers_.end()) return std::nullopt;
  TransferRecord record;
  record.entry = *it->second.entry;
  record.seq = it->second.seq;
  if (record.entry.flags & transfer_flags::pending) {
    record.status = PendingStatus::pending;
    if (auto resolved = tail_resolutions_.find(id); resolved != tail_resolutions_.end()) {
      record.status = resolved->second.status;
      record.resolved_timestamp = resolved->second.timestamp;
    }
  }
  return record;
}

std::optional<PendingResolution> CommittedView::tail_resolution(const TransferId& id) const {
  std::shared_lock lock(mutex_);
  auto it = tail_resolutions_.find(id);
  if (it == tail_resolutions_.end()) return std::nullopt;
  return it->second;
}

std::vector<TransferRecord> CommittedView::tail_history(const AccountId& id) const {
  std::shared_lock lock(mutex_);
  std::vector<TransferRecord> records;
  auto it = tail_by_account_.find(id);
  if (it == tail_by_account_.end()) return records;
  records.reserve(it->second.size());
  for (const TailEntry& tail_entry : it->second) {
    TransferRecord record;
    record.entry = *tail_entry.entry;
    record.seq = tail_entry.seq;
    if (record.entry.flags & transfer_flags::pending) {
      record.status = PendingStatus::pending;
      auto resolved = tail_resolutions_.find(TransferId(record.entry.id));
      if (resolved != tail_resolutions_.end()) {
        record.status = resolved->second.status;
        record.resolved_timestamp = resolved->second.timestamp;
      }
    }
    records.push_back(record);
  }
  return records;
}

LedgerImage CommittedView::image() const {
  std::shared_lock lock(mutex_);
  return money_.image();
}

bool CommittedView::zero_sum_holds() const {
  std::shared_lock lock(mutex_);
  return money_.zero_sum_holds();
}

uint64_t CommittedView::committed_seq() const {
  std::shared_lock lock(mutex_);
  return money_.seq();
}

uint64_t CommittedView::tail_events() const {
  std::shared_lock lock(mutex_);
  return tail_events_;
}

size_t CommittedView::account_count() const {
  std::shared_lock lock(mutex_);
  return money_.account_count();
}

size_t CommittedView::pending_count() const {
  std::shared_lock lock(mutex_);
  return money_.pending_count();
}

}  // namespace mpay::ledger
