#include "ledger/replay.h"

#include <cstring>
#include <string>
#include <vector>

namespace mpay::ledger {
namespace {

Error diverged(uint64_t seq, size_t index, const std::string& what) {
  return Error("journal_replay_diverged", "batch " + std::to_string(seq) + " entry " +
                                              std::to_string(index) + ": " + what);
}

}  // namespace

Transfer submitted_transfer(const JournalEntry& e) {
  Transfer t;
  t.id = TransferId(e.id);
  t.debit_account_id =
      AccountId((e.defaulted & defaulted_fields::debit_account_id) ? Id128{} : e.debit_account_id);
  t.credit_account_id =
      AccountId((e.defaulted & defaulted_fields::credit_account_id) ? Id128{} : e.credit_account_id);
  t.pending_id = TransferId(e.pending_id);
  t.amount = (e.defaulted & defaulted_fields::amount) ? 0 : e.amount;
  t.user_data = e.user_data;
  t.timeout_s = e.timeout_s;
  t.currency = (e.defaulted & defaulted_fields::currency) ? 0 : e.currency;
  t.code = e.code;
  t.flags = e.flags;
  return t;
}

Account submitted_account(const JournalEntry& e) {
  Account a;
  a.id = AccountId(e.id);
  a.user_data = e.user_data;
  a.currency = e.currency;
  a.kind = static_cast<AccountKind>(e.account_kind);
  a.flags = e.flags;
  a.code = e.code;
  return a;
}

AppEvent submitted_app_event(const JournalEntry& e) {
  AppEvent event;
  event.id = e.id;
  event.subject_id = e.debit_account_id;
  event.ref_id = e.credit_account_id;
  event.amount = e.amount;
  event.amount2 = e.amount_applied;
  event.user_data = e.user_data;
  event.kind = e.code;
  event.status = e.flags;
  event.currency = e.currency;
  return event;
}

Status replay_batch(StateMachine& machine, const DecodedBatch& batch, uint64_t evictable_seq,
                    JournalBatchBuffer* scratch) {
  scratch->clear();
  Status begun = machine.begin_batch(batch.seq, batch.timestamp, evictable_seq, scratch);
  if (!begun.ok()) return begun;

  const std::vector<JournalEntry>& recorded = batch.entries;
  size_t index = 0;
  while (index < recorded.size() && recorded[index].type == EntryType::expire_pending) ++index;
  if (index != scratch->size()) {
    return diverged(batch.seq, index, "expected " + std::to_string(scratch->size()) +
                                          " expiries, the journal has " + std::to_string(index));
  }

  std::vector<Transfer> transfers;
  std::vector<Account> accounts;
  std::vector<AppEvent> events;
  while (index < recorded.size()) {
    EntryType type = recorded[index].type;
    if (type == EntryType::expire_pending) return diverged(batch.seq, index, "expiry after commands");
    transfers.clear();
    accounts.clear();
    events.clear();
    size_t end = index;
    while (true) {
      if (end >= recorded.size()) return diverged(batch.seq, end, "submission without an end");
      const JournalEntry& entry = recorded[end];
      // A submission is all accounts, or transfers followed by application events (each with
      // its payload entries).
      bool fits = (entry.type == type && type != EntryType::app_payload) ||
                  (type == EntryType::create_transfer && entry.type == EntryType::app_event) ||
                  (entry.type == EntryType::app_payload && !events.empty());
      if (!fits || (entry.type == EntryType::create_transfer && !events.empty())) {
        return diverged(batch.seq, end, "mixed submission");
      }
      if (entry.type == EntryType::create_transfer) transfers.push_back(submitted_transfer(entry));
      if (entry.type == EntryType::create_account) accounts.push_back(submitted_account(entry));
      if (entry.type == EntryType::app_event) events.push_back(submitted_app_event(entry));
      if (entry.type == EntryType::app_payload) {
        std::span<const char> chunk = payload_chunk(entry);
        if (events.back().payload.size() + chunk.size() > kAppEventPayloadBytesMax) {
          return diverged(batch.seq, end, "event payload too large");
        }
        events.back().payload.append(chunk.data(), chunk.size());
      }
      ++end;
      if (entry.submission_end) break;
    }
    if (type == EntryType::create_account) {
      machine.create_accounts(accounts, scratch);
    } else {
      size_t first_transfer_entry = scratch->size();
      Status applied = machine.create_transfers(transfers, scratch);
      if (!applied.ok()) return applied;
      machine.record_app_events(events, first_transfer_entry, scratch);
    }
    index = end;
  }

  if (scratch->size() != recorded.size()) {
    return diverged(batch.seq, scratch->size(), "entry count differs");
  }
  for (size_t i = 0; i < recorded.size(); ++i) {
    if (std::memcmp(&scratch->entry(i), &recorded[i], sizeof(JournalEntry)) != 0) {
      return diverged(batch.seq, i, "entry differs (result " +
                                        std::to_string(scratch->entry(i).result) + " vs recorded " +
                                        std::to_string(recorded[i].result) + ")");
    }
  }
  return ok_status();
}

}  // namespace mpay::ledger
