#include "ledger/journal_verifier.h"

#include <limits>

#include "ledger/money_state.h"
#include "ledger/replay.h"
#include "ledger/snapshot_format.h"

namespace mpay::ledger {
namespace {

bool same_state(const LedgerImage& a, const LedgerImage& b) {
  if (a.seq != b.seq || a.last_timestamp != b.last_timestamp ||
      a.accounts.size() != b.accounts.size() || a.pending.size() != b.pending.size()) {
    return false;
  }
  for (size_t i = 0; i < a.accounts.size(); ++i) {
    const AccountState& x = a.accounts[i];
    const AccountState& y = b.accounts[i];
    if (x.account.id != y.account.id || x.timestamp != y.timestamp ||
        x.balances.debits_pending != y.balances.debits_pending ||
        x.balances.debits_posted != y.balances.debits_posted ||
        x.balances.credits_pending != y.balances.credits_pending ||
        x.balances.credits_posted != y.balances.credits_posted) {
      return false;
    }
  }
  for (size_t i = 0; i < a.pending.size(); ++i) {
    if (a.pending[i].first != b.pending[i].first ||
        a.pending[i].second.amount != b.pending[i].second.amount ||
        a.pending[i].second.expires_at != b.pending[i].second.expires_at) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<JournalVerification> verify_journal(
    LedgerStorage& storage, const std::function<void(uint64_t, uint64_t)>& progress) {
  Result<uint64_t> last = storage.journal_last_seq();
  if (!last.ok()) return last.error();
  Result<std::optional<StoredSnapshot>> snapshot = storage.snapshot_load_latest();
  if (!snapshot.ok()) return snapshot.error();
  std::optional<LedgerImage> snapshot_image;
  if (snapshot->has_value()) {
    Result<LedgerImage> decoded = decode_snapshot((*snapshot)->image);
    if (!decoded.ok()) return decoded.error();
    snapshot_image = std::move(*decoded);
  }

  // Every id stays in memory: no archive is consulted, so the check depends on the journal alone.
  StateMachine machine({std::numeric_limits<uint64_t>::max(), 1u << 20}, nullptr);
  MoneyState money;
  JournalBatchBuffer scratch;
  JournalVerification result;
  Status status = storage.journal_read(1, *last, [&](uint64_t seq, std::span<const std::byte> record) -> Status {
    Result<DecodedBatch> batch = decode_batch(record);
    if (!batch.ok()) return batch.error();
    if (batch->seq != seq) return Error("journal_corrupt", "batch number mismatch at " + std::to_string(seq));
    Status replayed = replay_batch(machine, *batch, 0, &scratch);
    if (!replayed.ok()) return replayed;
    for (const JournalEntry& entry : batch->entries) money.apply(seq, entry);
    money.finish_batch(seq);
    result.batches += 1;
    result.events += batch->entries.size();
    if (snapshot_image && snapshot_image->seq == seq) {
      if (!same_state(money.image(), *snapshot_image)) {
        return Error("snapshot_mismatch", "snapshot at batch " + std::to_string(seq) +
                                              " differs from the replayed journal");
      }
      result.snapshot_checked_seq = seq;
    }
    if (progress && seq % 10000 == 0) progress(seq, *last);
    return ok_status();
  });
  if (!status.ok()) return status.error();
  result.accounts = money.account_count();
  result.pending = money.pending_count();
  result.zero_sum_holds = money.zero_sum_holds();
  return result;
}

}  // namespace mpay::ledger
