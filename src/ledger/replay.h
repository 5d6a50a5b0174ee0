// Replay: re-applies a committed batch through the state machine and proves that the outcome is
// byte-for-byte what the journal recorded. Start-up is "latest snapshot + replay", so every start
// re-checks the engine's determinism on the tail of the journal.
#pragma once

#include "core/error.h"
#include "ledger/journal_format.h"
#include "ledger/state_machine.h"

namespace mpay::ledger {

// The commands a journal entry was made from, exactly as the client submitted them.
Transfer submitted_transfer(const JournalEntry& entry);
Account submitted_account(const JournalEntry& entry);
AppEvent submitted_app_event(const JournalEntry& entry);

// Errors: "journal_replay_diverged" naming the batch and entry, or an archive failure.
// `scratch` is reused between calls to avoid allocations.
Status replay_batch(StateMachine& machine, const DecodedBatch& batch, uint64_t evictable_seq,
                    JournalBatchBuffer* scratch);

}  // namespace mpay::ledger
