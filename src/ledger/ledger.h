// The ledger: mpay's money core. The public face of src/ledger/.
//
// Any thread submits commands (account creations, transfers). One writer thread owns the money
// state: it takes whatever submissions are waiting (up to batch_events_max events), validates and
// applies them in order through the StateMachine, and hands the batch, as ONE journal record, to
// the committer thread, which appends it in ONE store transaction (together with any other batch
// already waiting: group commit). Only after that commit is durable are the batch's submissions
// completed, in order, by the completer thread, while the committer already appends the next
// batch. What arrives while a transaction syncs waits and becomes the next batch, which the writer
// applies while the last one syncs and completes (pipelining); a store failure stops everything
// (fail-stop: the process exits non-zero, because the in-memory state may be ahead of the durable
// journal).
//
// The journal is the truth. A projector thread writes query projections (transfers by id, account
// history, balances) from committed batches, in rounds projector_pause_ms apart; a snapshotter
// thread saves the money state periodically; start-up = latest snapshot + replay of the journal
// after it, which must reproduce every recorded outcome byte for byte. Reads never block the
// writer: they go to the committed view (balances, and the tail of committed batches not yet
// projected) and then to the projections.
//
// Thread-safety: all public methods are thread-safe. Completions run on the completer thread, in
// commit order, and must be quick (post the result elsewhere).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "core/clock.h"
#include "core/error.h"
#include "ledger/committed_view.h"
#include "ledger/state_machine.h"
#include "ledger/storage.h"
#include "ledger/storage_archive.h"
#include "ledger/types.h"

namespace mpay::ledger {

// Limits and tuning, declared in one place. The defaults suit one node on two cores.
struct LedgerOptions {
  uint32_t submission_events_max = 8190;  // events one submission may carry
  uint32_t batch_events_max = 8190;       // events per journal record
  uint32_t batch_submissions_max = 0;     // submissions per journal record; 0 = no limit
  uint32_t batch_linger_us = 0;           // wait this long for more work before cutting a batch
  uint32_t pipeline_depth = 4;            // batches applied but not yet durable and completed
  uint64_t id_window_transfers = 1u << 18;
  uint64_t id_filter_capacity = 1u << 24;
  // Events per projection transaction: bigger transactions touch each index page once for more
  // rows, so a lagging projector speeds up as it falls behind.
  uint32_t projector_events_max = 1u << 18;
  // After each round the projector waits this long before the next, so that a round carries many
  // batches; reads never wait for it (they consult the committed tail first). 100 ms rather than
  // 20: about 4% less mpayd CPU per payment under request-to-pay load (docs/performance.md).
  uint32_t projector_pause_ms = 100;
  uint64_t tail_events_max = 1u << 22;       // writer waits when projections lag this far behind
  bool projector_idle_priority = true;  // the projector yields the CPU to the write path
  uint64_t snapshot_interval_batches = 20000;
  uint32_t snapshot_interval_s = 300;
  // Called on a store failure after logging it, before the process exits with status 3 (the
  // in-memory state may be ahead of the durable journal, so continuing is never an option).
  std::function<void(const Error&)> on_fatal;
  // Called by the committer thread after each durable store transaction, before the completions
  // of its batches run: the number of events in each batch the transaction carried and how long
  // the append took. For metrics; must be quick and must not call into the ledger.
  std::function<void(std::span<const uint32_t> batch_events, uint64_t commit_ns)> on_commit;
  std::shared_ptr<spdlog::logger> logger;  // default: spdlog's default logger
};

// One event's outcome: its id, result number (CreateAccountResult or CreateTransferResult, by what
// was submitted) and the ledger timestamp it was given.
struct EventOutcome {
  Id128 id;
  uint16_t result = 0;
  int64_t timestamp = 0;
};
using Completion = std::function<void(std::vector<EventOutcome>)>;

struct LedgerStats {
  uint64_t committed_seq = 0;
  uint64_t projected_seq = 0;
  uint64_t batches_committed = 0;
  uint64_t events_committed = 0;
  uint64_t events_projected = 0;
  uint64_t projector_busy_ns = 0;   // time spent writing projections
  uint64_t tail_events = 0;         // committed, not yet projected
  uint64_t tail_events_peak = 0;
  uint64_t commit_ns_total = 0;     // time spent in journal appends
  uint64_t commits = 0;             // store transactions (one may carry several batches)
  uint64_t accounts = 0;
  uint64_t pending_transfers = 0;
  uint64_t snapshots_written = 0;
  uint64_t snapshot_seq = 0;
  uint64_t queued_events = 0;       // submitted, not yet taken into a batch by the writer
};

class Ledger {
 public:
  // Recovers from `storage` (projections catch up, snapshot + journal replay) and starts the
  // threads. Errors: journal or snapshot corruption, replay divergence, storage failures.
  static Result<std::unique_ptr<Ledger>> open(LedgerOptions options, LedgerStorage& storage,
                                              Clock& clock);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Queue commands. Errors (nothing queued): "too_many_events", "no_events", "ledger_closed".
  // `done` is called exactly once, after the batch holding these commands is durable.
  Status submit_accounts(std::vector<Account> accounts, Completion done);
  Status submit_transfers(std::vector<Transfer> transfers, Completion done);
  // Transfers and application events in one submission, recorded in the same journal record: the
  // events are applied (outcome result 0) only if every transfer was created (types.h AppEvent).
  // Outcomes: the transfers' first, then the events' (one per event, whatever its payload).
  // `transfers` may be empty. An event's payload counts against submission_events_max as one
  // event per 96 bytes; error "payload_too_large" beyond kAppEventPayloadBytesMax.
  Status submit_with_events(std::vector<Transfer> transfers, std::vector<AppEvent> events,
                            Completion done);

  // Reads: as of the last durable batch.
  std::optional<AccountState> lookup_account(const AccountId& id) const;
  // Created transfers only (rejected ones are not transfers).
  Result<std::optional<TransferRecord>> lookup_transfer(const TransferId& id) const;
  Result<std::vector<TransferRecord>> account_transfers(const AccountId& id,
                                                        const HistoryQuery& query) const;
  // Every applied application event from ledger time `from_timestamp` on, in journal order, from
  // the projections. Complete only before anything new is submitted (start-up: open() has brought
  // the projections up to the journal), which is when the application rebuilds its state from them.
  Status scan_app_events(const std::function<Status(const AppEventRecord&)>& visit,
                         int64_t from_timestamp = 0) const;

  LedgerStats stats() const;
  const LedgerOptions& options() const { return options_; }

  // Stops accepting, completes everything queued, lets projections catch up, writes a final
  // snapshot and joins the threads. Idempotent.
  void close();

 private:
  struct Submission {
    EntryType type;
    std::vector<Account> accounts;
    std::vector<Transfer> transfers;
    Completion done;
    std::vector<AppEvent> events;
    size_t first_entry = 0;
    size_t entry_count = 0;
    // Journal entries it takes: one per account, transfer and event, plus the events' payloads.
    size_t event_count() const {
      size_t count = accounts.size() + transfers.size() + events.size();
      for (const AppEvent& event : events) count += app_payload_entries(event.payload.size());
      return count;
    }
  };
  struct InFlightBatch {
    std::shared_ptr<CommittedBatch> batch;
    std::vector<Submission> submissions;
  };

  Ledger(LedgerOptions options, LedgerStorage& storage, Clock& clock);
  Status recover();
  Status catch_up_projections(uint64_t journal_last_seq);
  Status submit(Submission submission);
  void start_threads();
  void writer_loop();
  void committer_loop();
  void make_readable(const InFlightBatch& in_flight);
  void hand_to_completer(std::vector<InFlightBatch>& group);
  void completer_loop();
  static void complete(InFlightBatch& in_flight);
  void call_writer();
  bool writer_has_room_locked();
  void projector_loop();
  void snapshot_loop();
  bool write_snapshot();
  void fatal(const Error& error);

  LedgerOptions options_;
  LedgerStorage& storage_;
  Clock& clock_;
  std::shared_ptr<spdlog::logger> log_;
  StorageArchive archive_;
  StateMachine machine_;  // writer thread only (and recover(), before threads start)
  CommittedView view_;

  // Submissions: any thread -> writer.
  mutable std::mutex submit_mutex_;  // mutable: stats() reads queued_events_ under it
  std::condition_variable submit_cv_;
  std::deque<Submission> submissions_;
  uint64_t queued_events_ = 0;
  bool accepting_ = false;
  bool writer_stop_ = false;
  uint32_t in_flight_ = 0;
  // The writer sleeps for work (a submission can wake it usefully) or for room (only the
  // committer or the projector can): a submission wakes it only in the first case, so a busy
  // pipeline does not cost a context switch per submission.
  bool writer_waits_for_work_ = false;
  bool writer_sleeps_ = false;
  // The committer is idle or about to take the next batch; see call_writer().
  bool committer_ready_ = true;

  // Writer -> committer.
  std::mutex commit_mutex_;
  std::condition_variable commit_cv_;
  std::deque<InFlightBatch> to_commit_;
  bool writer_done_ = false;

  // Committer -> completer.
  std::mutex complete_mutex_;
  std::condition_variable complete_cv_;
  std::deque<InFlightBatch> to_complete_;
  bool completer_waits_ = false;  // woken only when idle, not once per commit group
  bool completions_end_ = false;

  // Committer -> projector.
  std::mutex project_mutex_;
  std::condition_variable project_cv_;
  std::deque<CommittedBatchPtr> to_project_;
  bool committer_done_ = false;
  bool projector_waits_ = false;  // woken only when idle; see projector_loop()

  // Snapshotter.
  std::mutex snapshot_mutex_;
  std::condition_variable snapshot_cv_;
  bool snapshot_stop_ = false;
  std::mutex snapshot_write_mutex_;

  std::atomic<uint64_t> projected_seq_{0};
  std::atomic<uint64_t> batches_committed_{0};
  std::atomic<uint64_t> events_committed_{0};
  std::atomic<uint64_t> events_projected_{0};
  std::atomic<uint64_t> projector_busy_ns_{0};
  std::atomic<uint64_t> tail_events_peak_{0};
  std::atomic<uint64_t> commit_ns_total_{0};
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> snapshots_written_{0};
  std::atomic<uint64_t> snapshot_seq_{0};

  std::thread writer_;
  std::thread committer_;
  std::thread completer_;
  std::thread projector_;
  std::thread snapshotter_;
  std::once_flag close_once_;
};

}  // namespace mpay::ledger
