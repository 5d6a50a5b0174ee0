#include "ledger/money_state.h"

#include <algorithm>
#include <map>

#include "core/check.h"
#include "ledger/result_codes.h"

namespace mpay::ledger {

EntryEffect effect_of(const JournalEntry& entry) {
  EntryEffect effect;
  bool created_transfer = entry.type == EntryType::create_transfer && entry.result == 0;
  if (!created_transfer && entry.type != EntryType::expire_pending) return effect;
  // An expiry is a void that nobody asked for: its flags are zero and it only releases.
  bool reserves = (entry.flags & transfer_flags::pending) != 0 && created_transfer;
  int64_t pending_delta = (reserves ? entry.amount_applied : 0) - entry.amount_released;
  int64_t posted_delta = reserves ? 0 : entry.amount_applied;
  effect.debit.debits_pending = pending_delta;
  effect.debit.debits_posted = posted_delta;
  effect.credit.credits_pending = pending_delta;
  effect.credit.credits_posted = posted_delta;
  effect.moves_money = true;
  return effect;
}

void MoneyState::restore(const LedgerImage& image) {
  accounts_ = image.accounts;
  account_index_.clear();
  for (uint32_t i = 0; i < accounts_.size(); ++i) account_index_.emplace(accounts_[i].account.id, i);
  pending_.clear();
  for (const auto& [id, pending] : image.pending) pending_.emplace(id, pending);
  seq_ = image.seq;
  last_timestamp_ = image.last_timestamp;
}

LedgerImage MoneyState::image() const {
  LedgerImage image;
  image.seq = seq_;
  image.last_timestamp = last_timestamp_;
  image.accounts = accounts_;
  image.pending.assign(pending_.begin(), pending_.end());
  std::sort(image.pending.begin(), image.pending.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return image;
}

uint32_t MoneyState::position_of(const Id128& id, uint32_t hint) const {
  if (hint != AccountPositions::kNone && hint < accounts_.size() &&
      accounts_[hint].account.id.value() == id) {
    return hint;
  }
  auto it = account_index_.find(AccountId(id));
  MPAY_CHECK(it != account_index_.end(), "committed transfer names an unknown account");
  return it->second;
}

const AccountState* MoneyState::find_account(const AccountId& id) const {
  auto it = account_index_.find(id);
  return it == account_index_.end() ? nullptr : &accounts_[it->second];
}

void MoneyState::add(uint32_t index, const AccountBalances& delta) {
  AccountBalances& b = accounts_[index].balances;
  b.debits_pending += delta.debits_pending;
  b.debits_posted += delta.debits_posted;
  b.credits_pending += delta.credits_pending;
  b.credits_posted += delta.credits_posted;
  MPAY_CHECK(b.debits_pending >= 0 && b.debits_posted >= 0 && b.credits_pending >= 0 &&
                 b.credits_posted >= 0,
             "committed entry drove a balance negative");
}

void MoneyState::apply(uint64_t seq, const JournalEntry& entry, const AccountPositions& positions) {
  MPAY_CHECK(entry.timestamp > last_timestamp_, "committed entries out of order");
  last_timestamp_ = entry.timestamp;
  seq_ = seq;
  if (entry.result != 0 || entry.type == EntryType::app_event ||
      entry.type == EntryType::app_payload) {
    return;
  }
  if (entry.type == EntryType::create_account) {
    Account account;
    account.id = AccountId(entry.id);
    account.user_data = entry.user_data;
    account.currency = entry.currency;
    account.kind = static_cast<AccountKind>(entry.account_kind);
    account.flags = entry.flags;
    account.code = entry.code;
    bool inserted = account_index_.emplace(account.id, static_cast<uint32_t>(accounts_.size())).second;
    MPAY_CHECK(inserted, "committed account created twice");
    accounts_.push_back(AccountState{account, AccountBalances{}, entry.timestamp});
    return;
  }
  uint32_t debit = position_of(entry.debit_account_id, positions.debit);
  uint32_t credit = position_of(entry.credit_account_id, positions.credit);
  EntryEffect effect = effect_of(entry);
  add(debit, effect.debit);
  add(credit, effect.credit);

  TransferId id(entry.id);
  if (entry.type == EntryType::expire_pending) {
    MPAY_CHECK(pending_.erase(id) == 1, "committed expiry of a transfer that is not pending");
  } else if ((entry.flags & transfer_flags::pending) != 0) {
    PendingState state;
    state.debit_index = debit;
    state.credit_index = credit;
    state.amount = entry.amount_applied;
    state.timestamp = entry.timestamp;
    state.expires_at =
        entry.timeout_s == 0 ? 0 : entry.timestamp + int64_t{entry.timeout_s} * 1'000'000'000;
    state.currency = entry.currency;
    MPAY_CHECK(pending_.emplace(id, state).second, "committed pending transfer created twice");
  } else if ((entry.flags & (transfer_flags::post_pending_transfer |
                             transfer_flags::void_pending_transfer)) != 0) {
    MPAY_CHECK(pending_.erase(TransferId(entry.pending_id)) == 1,
               "committed resolution of a transfer that is not pending");
  }
}

bool MoneyState::zero_sum_holds() const {
  std::map<uint16_t, std::pair<__int128, __int128>> sums;  // currency -> (posted, pending)
  for (const AccountState& a : accounts_) {
    auto& [posted, pending] = sums[a.account.currency];
    posted += __int128{a.balances.credits_posted} - a.balances.debits_posted;
    pending += __int128{a.balances.credits_pending} - a.balances.debits_pending;
  }
  for (const auto& [currency, sum] : sums) {
    if (sum.first != 0 || sum.second != 0) return false;
  }
  return true;
}

}  // namespace mpay::ledger
