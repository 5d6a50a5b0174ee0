// Helpers shared by the ledger tests: ids, command builders, an in-memory TransferArchive fed from
// committed journal entries (as the projection store is in production), and image comparison.
// Test-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "ledger/journal_format.h"
#include "ledger/replay.h"
#include "ledger/result_codes.h"
#include "ledger/state_machine.h"
#include "ledger/transfer_archive.h"
#include "ledger/types.h"

namespace mpay::ledger {

// Results print by name in assertion failures (found by argument-dependent lookup).
inline void PrintTo(CreateTransferResult r, std::ostream* os) {
  *os << result_name(r);
}
inline void PrintTo(CreateAccountResult r, std::ostream* os) {
  *os << result_name(r);
}

}  // namespace mpay::ledger

namespace mpay::ledger::testing {

inline constexpr uint16_t kCny = 156;
inline constexpr uint16_t kUsd = 840;
inline constexpr uint16_t kJpy = 392;
inline constexpr uint16_t kNoSuchCurrency = 999;
inline constexpr int64_t kSecond = 1'000'000'000;

inline Id128 raw_id(uint64_t n) {
  return Id128{0, n};
}
inline AccountId account_id(uint64_t n) {
  return AccountId(raw_id(n));
}
inline TransferId transfer_id(uint64_t n) {
  return TransferId(raw_id(n));
}

inline Account make_account(uint64_t id, uint16_t currency = kCny, uint16_t flags = 0,
                            AccountKind kind = AccountKind::user_wallet) {
  Account a;
  a.id = account_id(id);
  a.currency = currency;
  a.flags = flags;
  a.kind = kind;
  return a;
}

inline Transfer make_transfer(uint64_t id, uint64_t debit, uint64_t credit, int64_t amount,
                              uint16_t currency = kCny, uint16_t flags = 0) {
  Transfer t;
  t.id = transfer_id(id);
  t.debit_account_id = account_id(debit);
  t.credit_account_id = account_id(credit);
  t.amount = amount;
  t.currency = currency;
  t.flags = flags;
  return t;
}

inline Transfer make_pending(uint64_t id, uint64_t debit, uint64_t credit, int64_t amount,
                             uint32_t timeout_s = 0, uint16_t currency = kCny) {
  Transfer t = make_transfer(id, debit, credit, amount, currency, transfer_flags::pending);
  t.timeout_s = timeout_s;
  return t;
}

// A post (amount 0 = the full pending amount) leaving debit, credit and currency to the pending
// one.
inline Transfer make_post(uint64_t id, uint64_t pending_id, int64_t amount = 0) {
  Transfer t;
  t.id = transfer_id(id);
  t.pending_id = transfer_id(pending_id);
  t.amount = amount;
  t.flags = transfer_flags::post_pending_transfer;
  return t;
}

inline Transfer make_void(uint64_t id, uint64_t pending_id) {
  Transfer t = make_post(id, pending_id);
  t.flags = transfer_flags::void_pending_transfer;
  return t;
}

inline Transfer linked(Transfer t) {
  t.flags |= transfer_flags::linked;
  return t;
}

inline std::string name_of(uint16_t transfer_result) {
  auto r = transfer_result_from_number(transfer_result);
  return r ? std::string(result_name(*r)) : "unknown(" + std::to_string(transfer_result) + ")";
}

// The archive as the projection store keeps it: every created transfer and every remembered
// (transient) failure, with what became of pending transfers, and the batch that recorded each.
class MemoryArchive final : public TransferArchive {
 public:
  void record(uint64_t seq, std::span<const JournalEntry> entries) {
    for (const JournalEntry& e : entries) {
      if (e.type == EntryType::expire_pending) {
        set_status(e.id, PendingStatus::expired);
        continue;
      }
      if (e.type != EntryType::create_transfer) continue;
      auto result = static_cast<CreateTransferResult>(e.result);
      if (result != CreateTransferResult::created && !is_transient(result)) continue;
      ArchivedTransfer archived;
      archived.submitted = submitted_transfer(e);
      archived.result = result;
      archived.seq = seq;
      if (result == CreateTransferResult::created && (e.flags & transfer_flags::pending) != 0) {
        archived.status = PendingStatus::pending;
      }
      bool inserted = records_.emplace(e.id, archived).second;
      EXPECT_TRUE(inserted) << "the journal recorded transfer " << e.id.low << " twice";
      if (result == CreateTransferResult::created) {
        if (e.flags & transfer_flags::post_pending_transfer)
          set_status(e.pending_id, PendingStatus::posted);
        if (e.flags & transfer_flags::void_pending_transfer)
          set_status(e.pending_id, PendingStatus::voided);
      }
    }
  }

  Result<std::optional<ArchivedTransfer>> find(const TransferId& id, uint64_t before_seq) override {
    ++lookups_;
    if (failing_) return Error("storage_failed", "injected archive failure");
    auto it = records_.find(id.value());
    if (it == records_.end() || it->second.seq >= before_seq) {
      return std::optional<ArchivedTransfer>();
    }
    return std::optional<ArchivedTransfer>(it->second);
  }

  // Production start-up fills the state machine's filter with every archived id.
  void fill_filter(StateMachine& machine) const {
    for (const auto& [id, record] : records_) machine.mutable_filter().insert(id);
  }

  uint64_t lookups() const { return lookups_; }
  size_t size() const { return records_.size(); }
  void set_failing(bool failing) { failing_ = failing; }

 private:
  void set_status(const Id128& id, PendingStatus status) {
    auto it = records_.find(id);
    ASSERT_NE(it, records_.end()) << "resolution of a transfer the archive does not hold";
    EXPECT_EQ(it->second.status, PendingStatus::pending) << "pending transfer resolved twice";
    it->second.status = status;
  }

  std::map<Id128, ArchivedTransfer> records_;
  uint64_t lookups_ = 0;
  bool failing_ = false;
};

// Field-by-field comparison of two images (the structs have no operator==).
inline ::testing::AssertionResult images_equal(const LedgerImage& a, const LedgerImage& b) {
  if (a.seq != b.seq) return ::testing::AssertionFailure() << "seq " << a.seq << " vs " << b.seq;
  if (a.last_timestamp != b.last_timestamp) {
    return ::testing::AssertionFailure()
           << "last_timestamp " << a.last_timestamp << " vs " << b.last_timestamp;
  }
  if (a.accounts.size() != b.accounts.size()) {
    return ::testing::AssertionFailure()
           << "account count " << a.accounts.size() << " vs " << b.accounts.size();
  }
  for (size_t i = 0; i < a.accounts.size(); ++i) {
    const AccountState& x = a.accounts[i];
    const AccountState& y = b.accounts[i];
    bool same = x.account.id == y.account.id && x.account.user_data == y.account.user_data &&
                x.account.currency == y.account.currency && x.account.kind == y.account.kind &&
                x.account.flags == y.account.flags && x.account.code == y.account.code &&
                x.timestamp == y.timestamp &&
                x.balances.debits_pending == y.balances.debits_pending &&
                x.balances.debits_posted == y.balances.debits_posted &&
                x.balances.credits_pending == y.balances.credits_pending &&
                x.balances.credits_posted == y.balances.credits_posted;
    if (!same) return ::testing::AssertionFailure() << "account #" << i << " differs";
  }
  if (a.pending.size() != b.pending.size()) {
    return ::testing::AssertionFailure()
           << "pending count " << a.pending.size() << " vs " << b.pending.size();
  }
  for (size_t i = 0; i < a.pending.size(); ++i) {
    const auto& [xid, x] = a.pending[i];
    const auto& [yid, y] = b.pending[i];
    bool same = xid == yid && x.debit_index == y.debit_index && x.credit_index == y.credit_index &&
                x.amount == y.amount && x.timestamp == y.timestamp &&
                x.expires_at == y.expires_at && x.currency == y.currency;
    if (!same) return ::testing::AssertionFailure() << "pending #" << i << " differs";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace mpay::ledger::testing
