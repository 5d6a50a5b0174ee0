#include "ledger/committed_view.h"

#include <algorithm>
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
  const JournalBatchBuffer& buffer = batch->buffer;
  for (size_t i = 0; i < buffer.size(); ++i) {
    const JournalEntry& entry = buffer.entry(i);
    money_.apply(batch->seq, entry, buffer.positions(i));
    if (!keep_in_tail) continue;
    if (std::optional<PendingResolution> resolution = resolution_of(entry)) {
      tail_resolutions_[resolution->pending_id] = *resolution;
    }
    if (!is_created_transfer(entry)) continue;
    uint64_t number = first_record_number_ + records_.size();
    uint64_t& newest_debit = newest_record_by_account_.try_emplace(AccountId(entry.debit_account_id), kNoRecord).first->second;
    uint64_t previous_for_debit = newest_debit;
    newest_debit = number;
    uint64_t& newest_credit = newest_record_by_account_.try_emplace(AccountId(entry.credit_account_id), kNoRecord).first->second;
    uint64_t previous_for_credit = newest_credit;
    newest_credit = number;
    records_.push_back(TailRecord{&entry, batch->seq, previous_for_debit, previous_for_credit});
    record_by_id_.emplace(TransferId(entry.id), number);
  }
  money_.finish_batch(batch->seq);
  if (keep_in_tail) {
    tail_.push_back(batch);
    tail_events_ += buffer.size();
  }
}

void CommittedView::trim(uint64_t projected_seq) {
  while (trim_one_batch(projected_seq)) {
  }
}

bool CommittedView::trim_one_batch(uint64_t projected_seq) {
  std::unique_lock lock(mutex_);
  if (tail_.empty() || tail_.front()->seq > projected_seq) return false;
  const CommittedBatchPtr& batch = tail_.front();
  for (const JournalEntry& entry : batch->buffer.entries()) {
    if (std::optional<PendingResolution> resolution = resolution_of(entry)) {
      auto it = tail_resolutions_.find(resolution->pending_id);
      if (it != tail_resolutions_.end() && it->second.timestamp == entry.timestamp) {
        tail_resolutions_.erase(it);
      }
    }
  }
  while (!records_.empty() && records_.front().seq == batch->seq) {
    const TailRecord& oldest = records_.front();
    uint64_t number = first_record_number_;
    record_by_id_.erase(TransferId(oldest.entry->id));
    for (const Id128& account : {oldest.entry->debit_account_id, oldest.entry->credit_account_id}) {
      auto it = newest_record_by_account_.find(AccountId(account));
      // The account's newest record is leaving the tail: the account has no tail history left.
      if (it != newest_record_by_account_.end() && it->second == number) {
        newest_record_by_account_.erase(it);
      }
    }
    records_.pop_front();
    ++first_record_number_;
  }
  tail_events_ -= batch->buffer.size();
  tail_.pop_front();
  return true;
}

const CommittedView::TailRecord* CommittedView::record(uint64_t number) const {
  if (number == kNoRecord || number < first_record_number_) return nullptr;
  uint64_t offset = number - first_record_number_;
  MPAY_CHECK(offset < records_.size(), "tail record number out of range");
  return &records_[offset];
}

TransferRecord CommittedView::to_transfer_record(const TailRecord& tail) const {
  TransferRecord record;
  record.entry = *tail.entry;
  record.seq = tail.seq;
  if (record.entry.flags & transfer_flags::pending) {
    record.status = PendingStatus::pending;
    auto resolved = tail_resolutions_.find(TransferId(record.entry.id));
    if (resolved != tail_resolutions_.end()) {
      record.status = resolved->second.status;
      record.resolved_timestamp = resolved->second.timestamp;
    }
  }
  return record;
}

std::optional<AccountState> CommittedView::account(const AccountId& id) const {
  std::shared_lock lock(mutex_);
  const AccountState* state = money_.find_account(id);
  if (state == nullptr) return std::nullopt;
  return *state;
}

std::optional<TransferRecord> CommittedView::tail_transfer(const TransferId& id) const {
  std::shared_lock lock(mutex_);
  auto it = record_by_id_.find(id);
  if (it == record_by_id_.end()) return std::nullopt;
  const TailRecord* tail = record(it->second);
  MPAY_CHECK(tail != nullptr, "tail id index points outside the tail");
  return to_transfer_record(*tail);
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
  auto it = newest_record_by_account_.find(id);
  if (it == newest_record_by_account_.end()) return records;
  for (const TailRecord* tail = record(it->second); tail != nullptr;) {
    records.push_back(to_transfer_record(*tail));
    bool debit_side = AccountId(tail->entry->debit_account_id) == id;
    tail = record(debit_side ? tail->previous_for_debit : tail->previous_for_credit);
  }
  std::reverse(records.begin(), records.end());
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
