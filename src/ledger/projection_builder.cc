#include "ledger/projection_builder.h"

#include <algorithm>

#include "ledger/money_state.h"
#include "ledger/replay.h"
#include "ledger/result_codes.h"

namespace mpay::ledger {
namespace {

void accumulate(AccountBalances& total, const AccountBalances& delta) {
  total.debits_pending += delta.debits_pending;
  total.debits_posted += delta.debits_posted;
  total.credits_pending += delta.credits_pending;
  total.credits_posted += delta.credits_posted;
}

}  // namespace

void ProjectionBuilder::add(uint64_t seq, const JournalEntry& entry) {
  ++write_.entry_count;
  if (entry.type == EntryType::create_account) {
    if (entry.result == 0) write_.accounts_created.emplace_back(seq, entry);
    return;
  }
  if (entry.type == EntryType::app_event) {
    if (entry.result == 0) {
      write_.app_events.push_back(AppEventRecord{submitted_app_event(entry), seq, entry.timestamp});
    }
    return;
  }
  if (entry.type == EntryType::app_payload) {
    // Follows its event in the same batch, so the event is the last one taken.
    if (entry.result == 0 && !write_.app_events.empty()) {
      std::span<const char> chunk = payload_chunk(entry);
      write_.app_events.back().event.payload.append(chunk.data(), chunk.size());
    }
    return;
  }
  if (entry.type == EntryType::create_transfer && entry.result != 0) {
    auto result = static_cast<CreateTransferResult>(entry.result);
    // Only failures remembered against the id matter to the archive; rejections of the command's
    // own fields are not remembered (the same command is rejected the same way again).
    if (is_transient(result)) write_.transfers_failed.emplace_back(seq, entry);
    return;
  }
  if (entry.type == EntryType::create_transfer) write_.transfers_created.emplace_back(seq, entry);

  if (entry.type == EntryType::expire_pending) {
    write_.resolutions.push_back({TransferId(entry.id), PendingStatus::expired, entry.timestamp});
  } else if (entry.flags & transfer_flags::post_pending_transfer) {
    write_.resolutions.push_back(
        {TransferId(entry.pending_id), PendingStatus::posted, entry.timestamp});
  } else if (entry.flags & transfer_flags::void_pending_transfer) {
    write_.resolutions.push_back(
        {TransferId(entry.pending_id), PendingStatus::voided, entry.timestamp});
  }

  EntryEffect effect = effect_of(entry);
  if (!effect.moves_money) return;
  accumulate(deltas_[AccountId(entry.debit_account_id)], effect.debit);
  accumulate(deltas_[AccountId(entry.credit_account_id)], effect.credit);
}

ProjectionWrite ProjectionBuilder::take(uint64_t applied_seq) {
  ProjectionWrite write = std::move(write_);
  write_ = ProjectionWrite{};
  write.applied_seq = applied_seq;
  std::sort(write.transfers_failed.begin(), write.transfers_failed.end(),
            [](const auto& a, const auto& b) { return a.second.id < b.second.id; });
  std::sort(write.resolutions.begin(), write.resolutions.end(),
            [](const auto& a, const auto& b) { return a.pending_id < b.pending_id; });
  write.balance_deltas.reserve(deltas_.size());
  for (const auto& [account_id, delta] : deltas_) write.balance_deltas.push_back({account_id, delta});
  std::sort(write.balance_deltas.begin(), write.balance_deltas.end(),
            [](const auto& a, const auto& b) { return a.account_id < b.account_id; });
  deltas_.clear();
  return write;
}

}  // namespace mpay::ledger
