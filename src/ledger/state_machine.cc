#include "ledger/state_machine.h"

#include <algorithm>

#include "core/check.h"
#include "core/currency.h"
#include "core/money.h"

namespace mpay::ledger {
namespace {

constexpr int64_t kNanosecondsPerSecond = 1'000'000'000;

bool currency_known(uint16_t numeric) {
  return numeric != 0 && currency_by_numeric(numeric).has_value();
}

int popcount16(uint16_t bits) { return __builtin_popcount(bits); }

void fill_transfer_fields(const Transfer& transfer, JournalEntry* entry) {
  entry->id = transfer.id.value();
  entry->debit_account_id = transfer.debit_account_id.value();
  entry->credit_account_id = transfer.credit_account_id.value();
  entry->pending_id = transfer.pending_id.value();
  entry->amount = transfer.amount;
  entry->user_data = transfer.user_data;
  entry->timeout_s = transfer.timeout_s;
  entry->currency = transfer.currency;
  entry->code = transfer.code;
  entry->flags = transfer.flags;
}

}  // namespace

StateMachine::StateMachine(StateMachineOptions options, TransferArchive* archive)
    : options_(options), archive_(archive), filter_(options.id_filter_capacity) {}

void StateMachine::restore(const LedgerImage& image) {
  MPAY_CHECK(accounts_.empty() && pending_.empty() && window_.empty(),
             "restore into a state machine that already holds state");
  seq_ = image.seq;
  last_timestamp_ = image.last_timestamp;
  accounts_ = image.accounts;
  account_index_.reserve(accounts_.size());
  for (uint32_t i = 0; i < accounts_.size(); ++i) {
    bool inserted = account_index_.emplace(accounts_[i].account.id, i).second;
    MPAY_CHECK(inserted, "duplicate account in ledger image");
  }
  for (const auto& [id, pending] : image.pending) {
    MPAY_CHECK(pending.debit_index < accounts_.size() && pending.credit_index < accounts_.size(),
               "pending transfer refers to an unknown account");
    pending_.emplace(id, pending);
    if (pending.expires_at != 0) expiries_.push(Expiry{pending.expires_at, id});
  }
}

LedgerImage StateMachine::image() const {
  LedgerImage image;
  image.seq = seq_;
  image.last_timestamp = last_timestamp_;
  image.accounts = accounts_;
  image.pending.assign(pending_.begin(), pending_.end());
  std::sort(image.pending.begin(), image.pending.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return image;
}

void StateMachine::resize_filter(uint64_t capacity) {
  MPAY_CHECK(filter_.inserted() == 0, "resizing a filter that already holds ids");
  filter_ = IdFilter(capacity);
}

const AccountState* StateMachine::find_account(const AccountId& id) const {
  auto it = account_index_.find(id);
  return it == account_index_.end() ? nullptr : &accounts_[it->second];
}

std::optional<int64_t> StateMachine::next_expiry() {
  while (!expiries_.empty()) {
    const Expiry& top = expiries_.top();
    auto it = pending_.find(top.id);
    if (it != pending_.end() && it->second.expires_at == top.expires_at) return top.expires_at;
    expiries_.pop();
  }
  return std::nullopt;
}

int64_t StateMachine::next_timestamp() { return ++last_timestamp_; }

Status StateMachine::begin_batch(uint64_t seq, int64_t timestamp, uint64_t evictable_seq,
                                 JournalBatchBuffer* out) {
  MPAY_CHECK(seq == seq_ + 1, "batches must be applied in sequence");
  MPAY_CHECK(timestamp > last_timestamp_, "batch time must move forward");
  seq_ = seq;
  last_timestamp_ = timestamp - 1;  // the first event of the batch gets exactly `timestamp`
  evict(evictable_seq);

  size_t expired = 0;
  while (!expiries_.empty() && expiries_.top().expires_at <= timestamp &&
         expired < kExpiriesPerBatchMax) {
    Expiry due = expiries_.top();
    expiries_.pop();
    auto it = pending_.find(due.id);
    if (it == pending_.end() || it->second.expires_at != due.expires_at) continue;  // resolved
    const PendingState pending = it->second;
    AccountState& debit = accounts_[pending.debit_index];
    AccountState& credit = accounts_[pending.credit_index];
    debit.balances.debits_pending -= pending.amount;
    credit.balances.credits_pending -= pending.amount;
    MPAY_CHECK(debit.balances.debits_pending >= 0 && credit.balances.credits_pending >= 0,
               "pending balance went negative on expiry");
    pending_.erase(it);
    resolve(due.id, PendingStatus::expired);
    ++expired;

    JournalEntry& entry = out->append();
    entry = make_entry(EntryType::expire_pending);
    entry.timestamp = next_timestamp();
    entry.id = due.id.value();
    entry.debit_account_id = debit.account.id.value();
    entry.credit_account_id = credit.account.id.value();
    entry.amount = pending.amount;
    entry.amount_released = pending.amount;
    entry.currency = pending.currency;
    out->positions(out->size() - 1) = {pending.debit_index, pending.credit_index};
  }
  return ok_status();
}

void StateMachine::evict(uint64_t evictable_seq) {
  while (window_.size() > options_.id_window_transfers && window_.front().seq <= evictable_seq) {
    window_index_.erase(window_.front().submitted.id);
    window_.pop_front();
    ++window_first_number_;
  }
  while (!resolution_order_.empty() && resolution_order_.front().second <= evictable_seq) {
    resolutions_.erase(resolution_order_.front().first);
    resolution_order_.pop_front();
  }
}

// ---------------------------------------------------------------------------------------------
// Accounts

void StateMachine::create_accounts(std::span<const Account> accounts, JournalBatchBuffer* out) {
  for (size_t i = 0; i < accounts.size(); ++i) {
    const Account& account = accounts[i];
    JournalEntry& entry = out->append();
    entry = make_entry(EntryType::create_account);
    entry.timestamp = next_timestamp();
    entry.id = account.id.value();
    entry.user_data = account.user_data;
    entry.currency = account.currency;
    entry.code = account.code;
    entry.flags = account.flags;
    entry.account_kind = static_cast<uint16_t>(account.kind);
    entry.result = static_cast<uint16_t>(create_account(account, entry.timestamp));
    if (entry.result == 0) {
      uint32_t position = static_cast<uint32_t>(accounts_.size() - 1);
      out->positions(out->size() - 1) = {position, position};
    }
    entry.submission_end = i + 1 == accounts.size() ? 1 : 0;
  }
}

CreateAccountResult StateMachine::create_account(const Account& account, int64_t timestamp) {
  if (account.id.is_zero()) return CreateAccountResult::id_must_not_be_zero;
  if ((account.flags & ~account_flags::all) != 0) return CreateAccountResult::reserved_flag;
  if (const AccountState* existing = find_account(account.id)) {
    const Account& e = existing->account;
    bool same = e.user_data == account.user_data && e.currency == account.currency &&
                e.kind == account.kind && e.flags == account.flags && e.code == account.code;
    return same ? CreateAccountResult::exists : CreateAccountResult::exists_with_different_fields;
  }
  if (popcount16(account.flags & account_flags::all) > 1) {
    return CreateAccountResult::flags_are_mutually_exclusive;
  }
  if (!currency_known(account.currency)) return CreateAccountResult::currency_unknown;
  uint16_t kind = static_cast<uint16_t>(account.kind);
  if (kind == 0 || kind > kAccountKindMax) return CreateAccountResult::kind_unknown;

  MPAY_CHECK(accounts_.size() < UINT32_MAX, "account table full");
  account_index_.emplace(account.id, static_cast<uint32_t>(accounts_.size()));
  accounts_.push_back(AccountState{account, AccountBalances{}, timestamp});
  return CreateAccountResult::created;
}

// ---------------------------------------------------------------------------------------------
// Application events

void StateMachine::record_app_events(std::span<const AppEvent> events, size_t first_transfer_entry,
                                     JournalBatchBuffer* out) {
  if (events.empty()) return;
  bool all_created = true;
  for (size_t i = first_transfer_entry; i < out->size(); ++i) {
    all_created = all_created && out->entry(i).result == 0;
  }
  if (out->size() > first_transfer_entry) out->entry(out->size() - 1).submission_end = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const AppEvent& event = events[i];
    JournalEntry& entry = out->append();
    entry = make_entry(EntryType::app_event);
    entry.timestamp = next_timestamp();
    entry.id = event.id;
    entry.debit_account_id = event.subject_id;
    entry.credit_account_id = event.ref_id;
    entry.amount = event.amount;
    entry.amount_applied = event.amount2;
    entry.user_data = event.user_data;
    entry.code = event.kind;
    entry.flags = event.status;
    entry.currency = event.currency;
    entry.result = static_cast<uint16_t>(all_created ? AppEventResult::applied
                                                     : AppEventResult::transfers_not_created);
    uint16_t result = entry.result;  // `entry` dangles once the buffer grows
    std::span<const char> payload(event.payload);
    for (size_t at = 0; at < payload.size(); at += kAppPayloadChunkBytes) {
      JournalEntry& piece = out->append();
      piece = make_payload_entry(
          payload.subspan(at, std::min(kAppPayloadChunkBytes, payload.size() - at)));
      piece.timestamp = next_timestamp();
      piece.result = result;
    }
  }
  out->entry(out->size() - 1).submission_end = 1;
}

// ---------------------------------------------------------------------------------------------
// Transfers

Status StateMachine::create_transfers(std::span<const Transfer> transfers, JournalBatchBuffer* out) {
  size_t first_entry = out->size();
  for (const Transfer& transfer : transfers) {
    JournalEntry& entry = out->append();
    entry = make_entry(EntryType::create_transfer);
    fill_transfer_fields(transfer, &entry);
    entry.timestamp = next_timestamp();
  }
  if (!transfers.empty()) out->entry(out->size() - 1).submission_end = 1;

  size_t i = 0;
  while (i < transfers.size()) {
    // A chain runs from i to the first event without the linked flag (or the submission's end).
    size_t last = i;
    while (last < transfers.size() && (transfers[last].flags & transfer_flags::linked) != 0) ++last;
    bool chain_open = last == transfers.size();
    if (chain_open) last = transfers.size() - 1;
    bool chained = last > i || (transfers[i].flags & transfer_flags::linked) != 0;

    undo_.clear();
    recording_undo_ = chained;
    std::optional<size_t> failed_at;
    CreateTransferResult failure = CreateTransferResult::created;
    for (size_t k = i; k <= last; ++k) {
      JournalEntry& entry = out->entry(first_entry + k);
      CreateTransferResult result;
      if (chain_open && k == last) {
        result = CreateTransferResult::linked_event_chain_open;
      } else {
        positions_out_ = &out->positions(first_entry + k);
        Result<CreateTransferResult> applied = create_transfer(transfers[k], entry.timestamp, &entry);
        positions_out_ = nullptr;
        if (!applied.ok()) {
          recording_undo_ = false;
          return applied.error();
        }
        result = *applied;
      }
      entry.result = static_cast<uint16_t>(result);
      if (!is_success(result)) {
        failed_at = k;
        failure = result;
        break;
      }
    }
    recording_undo_ = false;

    if (failed_at) {
      rollback();
      for (size_t k = i; k <= last; ++k) {
        JournalEntry& entry = out->entry(first_entry + k);
        int64_t timestamp = entry.timestamp;
        uint8_t submission_end = entry.submission_end;
        entry = make_entry(EntryType::create_transfer);
        fill_transfer_fields(transfers[k], &entry);
        entry.timestamp = timestamp;
        entry.submission_end = submission_end;
        out->positions(first_entry + k) = {};
        // The last event of an open chain always says so, even when an earlier event broke the
        // chain first (as TigerBeetle does): the client must learn that its chain was malformed.
        CreateTransferResult result = CreateTransferResult::linked_event_failed;
        if (k == *failed_at) {
          result = failure;
        } else if (chain_open && k == last) {
          result = CreateTransferResult::linked_event_chain_open;
        }
        entry.result = static_cast<uint16_t>(result);
      }
      // The failing event's own outcome stands, even though its chain was rolled back. (An event
      // outside a chain was already remembered by create_transfer.)
      if (chained && is_transient(failure)) remember(transfers[*failed_at], failure);
    }
    i = last + 1;
  }
  return ok_status();
}

CreateTransferResult StateMachine::validate_fields(const Transfer& t) const {
  const uint16_t phase_flags = t.flags & (transfer_flags::pending |
                                          transfer_flags::post_pending_transfer |
                                          transfer_flags::void_pending_transfer);
  if (popcount16(phase_flags) > 1) return CreateTransferResult::flags_are_mutually_exclusive;
  const bool second_phase = (t.flags & (transfer_flags::post_pending_transfer |
                                        transfer_flags::void_pending_transfer)) != 0;
  if (second_phase) {
    if (t.pending_id.is_zero()) return CreateTransferResult::pending_id_must_not_be_zero;
    if (t.pending_id.value() == t.id.value()) {
      return CreateTransferResult::pending_id_must_be_different;
    }
    if (t.timeout_s != 0) return CreateTransferResult::timeout_reserved_for_pending_transfer;
    if (!t.debit_account_id.is_zero() && t.debit_account_id == t.credit_account_id) {
      return CreateTransferResult::accounts_must_be_different;
    }
    if (t.amount < 0) return CreateTransferResult::amount_must_not_be_negative;
    if (t.currency != 0 && !currency_known(t.currency)) return CreateTransferResult::currency_unknown;
    return CreateTransferResult::created;
  }
  if (t.debit_account_id.is_zero()) return CreateTransferResult::debit_account_id_must_not_be_zero;
  if (t.credit_account_id.is_zero()) return CreateTransferResult::credit_account_id_must_not_be_zero;
  if (t.debit_account_id == t.credit_account_id) return CreateTransferResult::accounts_must_be_different;
  if (!t.pending_id.is_zero()) return CreateTransferResult::pending_id_must_be_zero;
  if (t.timeout_s != 0 && (t.flags & transfer_flags::pending) == 0) {
    return CreateTransferResult::timeout_reserved_for_pending_transfer;
  }
  if (t.amount == 0) return CreateTransferResult::amount_must_not_be_zero;
  if (t.amount < 0) return CreateTransferResult::amount_must_not_be_negative;
  if (!currency_known(t.currency)) return CreateTransferResult::currency_unknown;
  return CreateTransferResult::created;
}

Result<CreateTransferResult> StateMachine::create_transfer(const Transfer& t, int64_t timestamp,
                                                           JournalEntry* entry) {
  if (t.id.is_zero()) return CreateTransferResult::id_must_not_be_zero;
  if ((t.flags & ~transfer_flags::all) != 0) return CreateTransferResult::reserved_flag;

  Result<std::optional<KnownId>> known = find_known(t.id);
  if (!known.ok()) return known.error();
  if (known->has_value()) {
    const KnownId& existing = **known;
    if (existing.result != CreateTransferResult::created) {
      return CreateTransferResult::id_already_failed;
    }
    return existing.submitted == t ? CreateTransferResult::exists
                                   : CreateTransferResult::exists_with_different_fields;
  }

  CreateTransferResult invalid = validate_fields(t);
  if (invalid != CreateTransferResult::created) return invalid;

  Result<CreateTransferResult> result = CreateTransferResult::created;
  if ((t.flags & (transfer_flags::post_pending_transfer | transfer_flags::void_pending_transfer)) != 0) {
    result = apply_second_phase(t, timestamp, entry);
  } else {
    result = apply_single_phase(t, timestamp, entry);
  }
  if (!result.ok()) return result;
  // Inside a chain the outcome may still be rolled back; the caller remembers chain failures.
  if (*result == CreateTransferResult::created || (!recording_undo_ && is_transient(*result))) {
    remember(t, *result);
  }
  return result;
}

CreateTransferResult StateMachine::apply_single_phase(const Transfer& t, int64_t timestamp,
                                                      JournalEntry* entry) {
  auto debit_it = account_index_.find(t.debit_account_id);
  if (debit_it == account_index_.end()) return CreateTransferResult::debit_account_not_found;
  auto credit_it = account_index_.find(t.credit_account_id);
  if (credit_it == account_index_.end()) return CreateTransferResult::credit_account_not_found;
  const AccountState& debit = accounts_[debit_it->second];
  const AccountState& credit = accounts_[credit_it->second];
  if (debit.account.currency != credit.account.currency) {
    return CreateTransferResult::accounts_must_have_the_same_currency;
  }
  if (t.currency != debit.account.currency) {
    return CreateTransferResult::transfer_must_have_the_same_currency_as_accounts;
  }

  const bool pending = (t.flags & transfer_flags::pending) != 0;
  AccountBalances d = debit.balances;
  AccountBalances c = credit.balances;
  int64_t debits_total, credits_total;
  if (pending) {
    if (!checked_add(d.debits_pending, t.amount, &d.debits_pending)) {
      return CreateTransferResult::overflows_debits_pending;
    }
    if (!checked_add(c.credits_pending, t.amount, &c.credits_pending)) {
      return CreateTransferResult::overflows_credits_pending;
    }
  } else {
    if (!checked_add(d.debits_posted, t.amount, &d.debits_posted)) {
      return CreateTransferResult::overflows_debits_posted;
    }
    if (!checked_add(c.credits_posted, t.amount, &c.credits_posted)) {
      return CreateTransferResult::overflows_credits_posted;
    }
  }
  if (!checked_add(d.debits_pending, d.debits_posted, &debits_total)) {
    return CreateTransferResult::overflows_debits;
  }
  if (!checked_add(c.credits_pending, c.credits_posted, &credits_total)) {
    return CreateTransferResult::overflows_credits;
  }
  if ((debit.account.flags & account_flags::debits_must_not_exceed_credits) != 0 &&
      debits_total > d.credits_posted) {
    return CreateTransferResult::exceeds_credits;
  }
  if ((credit.account.flags & account_flags::credits_must_not_exceed_debits) != 0 &&
      credits_total > c.debits_posted) {
    return CreateTransferResult::exceeds_debits;
  }

  set_balances(debit_it->second, d);
  set_balances(credit_it->second, c);
  *positions_out_ = {debit_it->second, credit_it->second};
  entry->amount_applied = t.amount;
  if (pending) {
    PendingState state;
    state.debit_index = debit_it->second;
    state.credit_index = credit_it->second;
    state.amount = t.amount;
    state.timestamp = timestamp;
    state.expires_at = t.timeout_s == 0 ? 0 : timestamp + int64_t{t.timeout_s} * kNanosecondsPerSecond;
    state.currency = t.currency;
    insert_pending(t.id, state);
  }
  return CreateTransferResult::created;
}

Result<CreateTransferResult> StateMachine::apply_second_phase(const Transfer& t, int64_t timestamp,
                                                              JournalEntry* entry) {
  auto it = pending_.find(t.pending_id);
  if (it == pending_.end()) return pending_lookup_failure(t.pending_id);
  const PendingState pending = it->second;
  const AccountState& debit = accounts_[pending.debit_index];
  const AccountState& credit = accounts_[pending.credit_index];

  if (!t.debit_account_id.is_zero() && t.debit_account_id != debit.account.id) {
    return CreateTransferResult::pending_transfer_has_different_debit_account_id;
  }
  if (!t.credit_account_id.is_zero() && t.credit_account_id != credit.account.id) {
    return CreateTransferResult::pending_transfer_has_different_credit_account_id;
  }
  if (t.currency != 0 && t.currency != pending.currency) {
    return CreateTransferResult::pending_transfer_has_different_currency;
  }
  if (pending.expires_at != 0 && pending.expires_at <= timestamp) {
    return CreateTransferResult::pending_transfer_expired;
  }

  const bool post = (t.flags & transfer_flags::post_pending_transfer) != 0;
  int64_t amount = post ? (t.amount == 0 ? pending.amount : t.amount) : 0;
  if (post && amount > pending.amount) return CreateTransferResult::exceeds_pending_transfer_amount;
  if (!post && t.amount != 0 && t.amount != pending.amount) {
    return CreateTransferResult::pending_transfer_has_different_amount;
  }

  AccountBalances d = debit.balances;
  AccountBalances c = credit.balances;
  d.debits_pending -= pending.amount;
  c.credits_pending -= pending.amount;
  MPAY_CHECK(d.debits_pending >= 0 && c.credits_pending >= 0, "pending balance went negative");
  if (post) {
    if (!checked_add(d.debits_posted, amount, &d.debits_posted)) {
      return CreateTransferResult::overflows_debits_posted;
    }
    if (!checked_add(c.credits_posted, amount, &c.credits_posted)) {
      return CreateTransferResult::overflows_credits_posted;
    }
  }

  set_balances(pending.debit_index, d);
  set_balances(pending.credit_index, c);
  *positions_out_ = {pending.debit_index, pending.credit_index};
  erase_pending(t.pending_id);
  resolve(t.pending_id, post ? PendingStatus::posted : PendingStatus::voided);

  entry->debit_account_id = debit.account.id.value();
  entry->credit_account_id = credit.account.id.value();
  entry->currency = pending.currency;
  entry->amount_applied = amount;
  entry->amount_released = pending.amount;
  entry->defaulted = static_cast<uint8_t>(
      (t.debit_account_id.is_zero() ? defaulted_fields::debit_account_id : 0) |
      (t.credit_account_id.is_zero() ? defaulted_fields::credit_account_id : 0) |
      (t.currency == 0 ? defaulted_fields::currency : 0) |
      (post && t.amount == 0 ? defaulted_fields::amount : 0));
  return CreateTransferResult::created;
}

Result<CreateTransferResult> StateMachine::pending_lookup_failure(const TransferId& pending_id) {
  if (auto resolved = resolutions_.find(pending_id); resolved != resolutions_.end()) {
    switch (resolved->second.status) {
      case PendingStatus::posted: return CreateTransferResult::pending_transfer_already_posted;
      case PendingStatus::voided: return CreateTransferResult::pending_transfer_already_voided;
      case PendingStatus::expired: return CreateTransferResult::pending_transfer_expired;
      default: MPAY_CHECK(false, "resolution without a final status");
    }
  }
  Result<std::optional<KnownId>> known = find_known(pending_id);
  if (!known.ok()) return known.error();
  if (!known->has_value() || (*known)->result != CreateTransferResult::created) {
    return CreateTransferResult::pending_transfer_not_found;
  }
  if (((*known)->submitted.flags & transfer_flags::pending) == 0) {
    return CreateTransferResult::pending_transfer_not_pending;
  }
  // A pending transfer that is neither pending nor recently resolved was resolved long enough ago
  // that only the archive knows how.
  MPAY_CHECK(archive_ != nullptr, "resolved pending transfer without an archive");
  Result<std::optional<ArchivedTransfer>> archived = archive_->find(pending_id, seq_);
  if (!archived.ok()) return archived.error();
  MPAY_CHECK(archived->has_value(), "pending transfer missing from the archive");
  switch ((*archived)->status) {
    case PendingStatus::posted: return CreateTransferResult::pending_transfer_already_posted;
    case PendingStatus::voided: return CreateTransferResult::pending_transfer_already_voided;
    case PendingStatus::expired: return CreateTransferResult::pending_transfer_expired;
    default: break;
  }
  MPAY_CHECK(false, "archive holds a pending transfer the state machine does not");
  return CreateTransferResult::pending_transfer_not_found;
}

Result<std::optional<StateMachine::KnownId>> StateMachine::find_known(const TransferId& id) {
  if (auto it = window_index_.find(id); it != window_index_.end()) {
    const WindowRecord& record = window_[it->second - window_first_number_];
    return std::optional<KnownId>(KnownId{record.submitted, record.result});
  }
  if (archive_ == nullptr || !filter_.may_contain(id.value())) return std::optional<KnownId>();
  Result<std::optional<ArchivedTransfer>> archived = archive_->find(id, seq_);
  if (!archived.ok()) return archived.error();
  if (!archived->has_value()) return std::optional<KnownId>();
  return std::optional<KnownId>(KnownId{(*archived)->submitted, (*archived)->result});
}

void StateMachine::remember(const Transfer& transfer, CreateTransferResult result) {
  bool inserted = window_index_.emplace(transfer.id, window_first_number_ + window_.size()).second;
  MPAY_CHECK(inserted, "transfer id remembered twice");
  window_.push_back(WindowRecord{transfer, seq_, result});
  filter_.insert(transfer.id.value());
  if (recording_undo_) undo_.push_back(UndoStep{UndoStep::Kind::window_inserted, 0, {}, transfer.id, {}});
}

void StateMachine::set_balances(uint32_t account_index, const AccountBalances& balances) {
  if (recording_undo_) {
    undo_.push_back(UndoStep{UndoStep::Kind::balances, account_index,
                             accounts_[account_index].balances, {}, {}});
  }
  accounts_[account_index].balances = balances;
}

void StateMachine::insert_pending(const TransferId& id, const PendingState& pending) {
  pending_.emplace(id, pending);
  if (pending.expires_at != 0) expiries_.push(Expiry{pending.expires_at, id});
  if (recording_undo_) undo_.push_back(UndoStep{UndoStep::Kind::pending_inserted, 0, {}, id, {}});
}

void StateMachine::erase_pending(const TransferId& id) {
  auto it = pending_.find(id);
  MPAY_CHECK(it != pending_.end(), "erasing a pending transfer that is not pending");
  if (recording_undo_) {
    undo_.push_back(UndoStep{UndoStep::Kind::pending_erased, 0, {}, id, it->second});
  }
  pending_.erase(it);
}

void StateMachine::resolve(const TransferId& id, PendingStatus status) {
  resolutions_.emplace(id, Resolution{status, seq_});
  resolution_order_.emplace_back(id, seq_);
  if (recording_undo_) {
    undo_.push_back(UndoStep{UndoStep::Kind::resolution_inserted, 0, {}, id, {}});
  }
}

void StateMachine::rollback() {
  for (auto step = undo_.rbegin(); step != undo_.rend(); ++step) {
    switch (step->kind) {
      case UndoStep::Kind::balances:
        accounts_[step->account_index].balances = step->balances;
        break;
      case UndoStep::Kind::pending_inserted:
        pending_.erase(step->id);  // its expiry heap entry goes stale and is skipped later
        break;
      case UndoStep::Kind::pending_erased:
        pending_.emplace(step->id, step->pending);  // its heap entry was never removed
        break;
      case UndoStep::Kind::window_inserted:
        MPAY_CHECK(!window_.empty() && window_.back().submitted.id == step->id,
                   "window undo out of order");
        window_index_.erase(step->id);
        window_.pop_back();
        break;
      case UndoStep::Kind::resolution_inserted:
        MPAY_CHECK(!resolution_order_.empty() && resolution_order_.back().first == step->id,
                   "resolution undo out of order");
        resolutions_.erase(step->id);
        resolution_order_.pop_back();
        break;
    }
  }
  undo_.clear();
}

}  // namespace mpay::ledger
