#include "ledger/ledger.h"

#include <spdlog/spdlog.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "core/check.h"
#include "core/deferred_hand_offs.h"
#include "ledger/projection_builder.h"
#include "ledger/replay.h"
#include "ledger/snapshot_format.h"

namespace mpay::ledger {
namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t elapsed_ns(SteadyClock::time_point since) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - since).count();
}

constexpr uint64_t kProgressEveryBatches = 10000;

}  // namespace

Ledger::Ledger(LedgerOptions options, LedgerStorage& storage, Clock& clock)
    : options_(std::move(options)),
      storage_(storage),
      clock_(clock),
      log_(options_.logger ? options_.logger : spdlog::default_logger()),
      archive_(storage),
      machine_(StateMachineOptions{options_.id_window_transfers, options_.id_filter_capacity},
               &archive_) {}

Result<std::unique_ptr<Ledger>> Ledger::open(LedgerOptions options, LedgerStorage& storage,
                                             Clock& clock) {
  if (options.batch_events_max == 0 || options.submission_events_max == 0 ||
      options.submission_events_max > options.batch_events_max || options.pipeline_depth == 0 ||
      options.projector_events_max == 0) {
    return Error("invalid_options", "ledger limits must be positive and a submission must fit a batch");
  }
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(options), storage, clock));
  Status recovered = ledger->recover();
  if (!recovered.ok()) return recovered.error();
  ledger->start_threads();
  return ledger;
}

Ledger::~Ledger() { close(); }

// ---------------------------------------------------------------------------------------------
// Start-up: projections catch up with the journal, then snapshot + replay.

Status Ledger::recover() {
  auto started = SteadyClock::now();
  Result<uint64_t> last_seq = storage_.journal_last_seq();
  if (!last_seq.ok()) return last_seq.error();

  Status caught_up = catch_up_projections(*last_seq);
  if (!caught_up.ok()) return caught_up;

  Result<std::optional<StoredSnapshot>> snapshot = storage_.snapshot_load_latest();
  if (!snapshot.ok()) return snapshot.error();
  LedgerImage image;
  if (snapshot->has_value()) {
    Result<LedgerImage> decoded = decode_snapshot((*snapshot)->image);
    if (!decoded.ok()) return decoded.error();
    image = std::move(*decoded);
    if (image.seq != (*snapshot)->seq || image.seq > *last_seq) {
      return Error("snapshot_corrupt", "snapshot is for batch " + std::to_string(image.seq) +
                                           " but the journal ends at " + std::to_string(*last_seq));
    }
    snapshot_seq_ = image.seq;
  }
  // The filter must know every id recorded up to the snapshot, or the writer would take a reused id
  // for a new one. Ids replayed after it are added as the replay remembers them; leaving them out
  // here keeps the replay from asking the archive about ids it is about to recreate.
  Result<uint64_t> id_count = storage_.projection_id_count();
  if (!id_count.ok()) return id_count.error();
  if (*id_count * 2 > options_.id_filter_capacity) {
    options_.id_filter_capacity = *id_count * 2;
    machine_.resize_filter(options_.id_filter_capacity);
  }
  Status scanned = storage_.projection_scan_ids(
      image.seq, [this](const Id128& id) { machine_.mutable_filter().insert(id); });
  if (!scanned.ok()) return scanned;

  machine_.restore(image);
  view_.restore(image);
  log_->info("ledger: snapshot at batch {} ({} accounts, {} pending); journal ends at batch {}",
             image.seq, image.accounts.size(), image.pending.size(), *last_seq);

  JournalBatchBuffer scratch;
  uint64_t replayed = 0;
  Status replay = storage_.journal_read(
      image.seq + 1, *last_seq, [&](uint64_t seq, std::span<const std::byte> record) -> Status {
        Result<DecodedBatch> batch = decode_batch(record);
        if (!batch.ok()) return batch.error();
        if (batch->seq != seq) return Error("journal_corrupt", "batch number mismatch");
        Status applied = replay_batch(machine_, *batch, *last_seq, &scratch);
        if (!applied.ok()) return applied;
        auto committed = std::make_shared<CommittedBatch>();
        committed->seq = seq;
        committed->timestamp = batch->timestamp;
        committed->buffer = scratch;
        view_.apply(committed, /*keep_in_tail=*/false);
        if (++replayed % kProgressEveryBatches == 0) {
          log_->info("ledger: replayed {} of {} batches", replayed, *last_seq - image.seq);
        }
        return ok_status();
      });
  if (!replay.ok()) return replay;
  MPAY_CHECK(view_.zero_sum_holds(), "zero-sum invariant broken after replay");
  projected_seq_ = *last_seq;
  log_->info("ledger: recovered at batch {} ({} batches replayed) in {} ms; {} accounts, {} pending",
             *last_seq, replayed, elapsed_ns(started) / 1'000'000, machine_.account_count(),
             machine_.pending_count());
  return ok_status();
}

Status Ledger::catch_up_projections(uint64_t journal_last_seq) {
  Result<uint64_t> applied = storage_.projection_applied_seq();
  if (!applied.ok()) return applied.error();
  if (*applied > journal_last_seq) {
    return Error("projection_ahead_of_journal",
                 "projections are at batch " + std::to_string(*applied) + " but the journal ends at " +
                     std::to_string(journal_last_seq) + "; rebuild them with `mpay projections rebuild`");
  }
  if (*applied == journal_last_seq) return ok_status();
  log_->info("ledger: projections at batch {}, catching up to {}", *applied, journal_last_seq);
  ProjectionBuilder builder;
  uint64_t last_added = *applied;
  Status status = storage_.journal_read(
      *applied + 1, journal_last_seq, [&](uint64_t seq, std::span<const std::byte> record) -> Status {
        Result<DecodedBatch> batch = decode_batch(record);
        if (!batch.ok()) return batch.error();
        for (const JournalEntry& entry : batch->entries) builder.add(seq, entry);
        last_added = seq;
        if (builder.entry_count() >= options_.projector_events_max) {
          Status written = storage_.projection_apply(builder.take(seq));
          if (!written.ok()) return written;
          log_->info("ledger: projections at batch {} of {}", seq, journal_last_seq);
        }
        return ok_status();
      });
  if (!status.ok()) return status;
  if (builder.entry_count() > 0 || last_added != *applied) {
    return storage_.projection_apply(builder.take(last_added));
  }
  return ok_status();
}

void Ledger::start_threads() {
  {
    std::lock_guard lock(submit_mutex_);
    accepting_ = true;
  }
  // Named threads show up as such in top -H, perf and gdb.
  writer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ledger-writer");
    writer_loop();
  });
  committer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ledger-commit");
    committer_loop();
  });
  completer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ledger-complete");
    completer_loop();
  });
  projector_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ledger-project");
    projector_loop();
  });
  snapshotter_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ledger-snapshot");
    snapshot_loop();
  });
}

// ---------------------------------------------------------------------------------------------
// Submissions

Status Ledger::submit_accounts(std::vector<Account> accounts, Completion done) {
  Submission submission{EntryType::create_account, std::move(accounts), {}, std::move(done), {}};
  return submit(std::move(submission));
}

Status Ledger::submit_transfers(std::vector<Transfer> transfers, Completion done) {
  Submission submission{EntryType::create_transfer, {}, std::move(transfers), std::move(done), {}};
  return submit(std::move(submission));
}

Status Ledger::submit_with_events(std::vector<Transfer> transfers, std::vector<AppEvent> events,
                                  Completion done) {
  Submission submission{EntryType::create_transfer, {}, std::move(transfers), std::move(done),
                        std::move(events)};
  return submit(std::move(submission));
}

Status Ledger::scan_app_events(const std::function<Status(const AppEventRecord&)>& visit,
                               int64_t from_timestamp) const {
  return storage_.projection_scan_app_events(from_timestamp, visit);
}

Status Ledger::submit(Submission submission) {
  for (const AppEvent& event : submission.events) {
    if (event.payload.size() > kAppEventPayloadBytesMax) {
      return Error("payload_too_large", "an event's payload is at most " +
                                            std::to_string(kAppEventPayloadBytesMax) + " bytes");
    }
  }
  size_t events = submission.event_count();
  if (events == 0) return Error("no_events", "a submission needs at least one event");
  if (events > options_.submission_events_max) {
    return Error("too_many_events", "at most " + std::to_string(options_.submission_events_max) +
                                        " events per submission");
  }
  bool wake = false;
  {
    std::lock_guard lock(submit_mutex_);
    if (!accepting_) return Error("ledger_closed", "the ledger is shutting down");
    queued_events_ += events;
    submissions_.push_back(std::move(submission));
    wake = writer_waits_for_work_;
  }
  if (wake) submit_cv_.notify_one();
  return ok_status();
}

// ---------------------------------------------------------------------------------------------
// Writer: batch, validate, apply, seal; hand over for commit.

void Ledger::writer_loop() {
  std::vector<Submission> taken;
  while (true) {
    taken.clear();
    bool expiry_only = false;
    int64_t batch_timestamp = 0;
    {
      std::unique_lock lock(submit_mutex_);
      while (true) {
        bool tail_room = view_.tail_events() <= options_.tail_events_max;
        bool room = in_flight_ < options_.pipeline_depth && committer_ready_ && tail_room;
        if (room && !submissions_.empty()) break;
        std::optional<int64_t> expiry = machine_.next_expiry();
        int64_t now = clock_.now_ns();
        batch_timestamp = std::max(now, machine_.last_timestamp() + 1);
        if (room && expiry && *expiry <= batch_timestamp) {
          expiry_only = true;
          break;
        }
        if (writer_stop_ && submissions_.empty()) {
          lock.unlock();
          std::lock_guard commit_lock(commit_mutex_);
          writer_done_ = true;
          commit_cv_.notify_all();
          return;
        }
        // Wake for new work, the committer's call, a freed pipeline slot, projector progress, or
        // the next expiry. A wake-up from the projector can come between the check and the wait:
        // poll while held back by the tail.
        auto wait = std::chrono::milliseconds(tail_room ? 100 : 1);
        if (expiry) {
          wait = std::min(wait, std::chrono::milliseconds(std::max<int64_t>(
                                    1, (*expiry - now) / 1'000'000 + 1)));
        }
        writer_waits_for_work_ = room;
        writer_sleeps_ = true;
        submit_cv_.wait_for(lock, wait);
        writer_sleeps_ = false;
        writer_waits_for_work_ = false;
      }
      if (!expiry_only && options_.batch_linger_us > 0 && queued_events_ < options_.batch_events_max) {
        writer_waits_for_work_ = true;
        submit_cv_.wait_for(lock, std::chrono::microseconds(options_.batch_linger_us), [this] {
          return queued_events_ >= options_.batch_events_max || writer_stop_;
        });
        writer_waits_for_work_ = false;
      }
      uint64_t events = 0;
      while (!submissions_.empty() &&
             events + submissions_.front().event_count() <= options_.batch_events_max &&
             (options_.batch_submissions_max == 0 || taken.size() < options_.batch_submissions_max)) {
        events += submissions_.front().event_count();
        queued_events_ -= submissions_.front().event_count();
        taken.push_back(std::move(submissions_.front()));
        submissions_.pop_front();
      }
      ++in_flight_;
      // What is left over (the batch was full) may follow into the same store transaction.
      committer_ready_ = !submissions_.empty();
    }

    auto batch = std::make_shared<CommittedBatch>();
    batch->seq = machine_.last_seq() + 1;
    // Time comes from the clock once per batch, never from the past: a replay uses this value.
    batch->timestamp = expiry_only ? batch_timestamp
                                   : std::max(clock_.now_ns(), machine_.last_timestamp() + 1);
    size_t expected = 0;
    for (const Submission& s : taken) expected += s.event_count();
    batch->buffer.reserve(expected + 16);
    Status status = machine_.begin_batch(batch->seq, batch->timestamp, projected_seq_.load(),
                                         &batch->buffer);
    for (Submission& submission : taken) {
      if (!status.ok()) break;
      submission.first_entry = batch->buffer.size();
      if (submission.type == EntryType::create_account) {
        machine_.create_accounts(submission.accounts, &batch->buffer);
      } else {
        status = machine_.create_transfers(submission.transfers, &batch->buffer);
        machine_.record_app_events(submission.events, submission.first_entry, &batch->buffer);
      }
      submission.entry_count = batch->buffer.size() - submission.first_entry;
    }
    if (!status.ok()) {
      fatal(status.error());
      return;
    }
    MPAY_CHECK(batch->buffer.size() > 0, "the writer cut an empty batch");
    batch->buffer.seal(batch->seq, batch->timestamp);
    {
      std::lock_guard lock(commit_mutex_);
      to_commit_.push_back(InFlightBatch{std::move(batch), std::move(taken)});
      taken = {};
    }
    commit_cv_.notify_one();
  }
}

// ---------------------------------------------------------------------------------------------
// Committer: make the record durable and readable; the completer acknowledges it.

void Ledger::committer_loop() {
  std::vector<InFlightBatch> group;
  std::vector<JournalRecordRef> records;
  std::vector<uint32_t> batch_events;
  while (true) {
    group.clear();
    {
      std::unique_lock lock(commit_mutex_);
      commit_cv_.wait(lock, [this] { return !to_commit_.empty() || writer_done_; });
      if (to_commit_.empty()) break;
      // Everything waiting goes into one store transaction (group commit).
      while (!to_commit_.empty()) {
        group.push_back(std::move(to_commit_.front()));
        to_commit_.pop_front();
      }
    }
    records.clear();
    for (const InFlightBatch& in_flight : group) {
      records.push_back(JournalRecordRef{in_flight.batch->seq, in_flight.batch->buffer.record()});
    }
    auto started = SteadyClock::now();
    Status appended = storage_.journal_append(records);
    if (!appended.ok()) {
      fatal(appended.error());
      return;
    }
    uint64_t commit_ns = static_cast<uint64_t>(elapsed_ns(started));
    commit_ns_total_ += commit_ns;
    commits_ += 1;
    if (options_.on_commit) {
      batch_events.clear();
      for (const InFlightBatch& in_flight : group) {
        batch_events.push_back(static_cast<uint32_t>(in_flight.batch->buffer.size()));
      }
      options_.on_commit(batch_events, commit_ns);
    }

    call_writer();
    for (const InFlightBatch& in_flight : group) make_readable(in_flight);
    hand_to_completer(group);
  }
  {
    std::lock_guard lock(complete_mutex_);
    completions_end_ = true;
  }
  complete_cv_.notify_one();
  std::lock_guard lock(project_mutex_);
  committer_done_ = true;
  project_cv_.notify_all();
}

// The writer cuts a batch when the committer is about to take one: everything submitted while the
// last transaction was syncing goes into one batch, cut as soon as that transaction is durable.
// Cutting one per submission instead cost a wake-up of the writer each and gave the same groups.
void Ledger::call_writer() {
  bool wake;
  {
    std::lock_guard lock(submit_mutex_);
    committer_ready_ = true;
    wake = writer_has_room_locked();
  }
  if (wake) submit_cv_.notify_one();
}

// Called when the writer may have gained room; true when it should be woken now (it sleeps and
// has work). With no work, the next submission wakes it instead.
bool Ledger::writer_has_room_locked() {
  if (!writer_sleeps_) return false;
  if (submissions_.empty()) {
    writer_waits_for_work_ = true;
    return false;
  }
  return true;
}

// A durable batch becomes readable (view) and goes to the projector, before any of its
// submissions completes: a client reads its own acknowledged writes.
void Ledger::make_readable(const InFlightBatch& in_flight) {
  const CommittedBatch& batch = *in_flight.batch;
  CommittedBatchPtr committed = in_flight.batch;
  view_.apply(committed, /*keep_in_tail=*/true);
  bool wake_projector;
  {
    std::lock_guard lock(project_mutex_);
    to_project_.push_back(committed);
    wake_projector = projector_waits_;
    projector_waits_ = false;  // one wake-up per idle spell, not one per batch
  }
  if (wake_projector) project_cv_.notify_one();
  uint64_t tail = view_.tail_events();
  uint64_t peak = tail_events_peak_.load();
  while (tail > peak && !tail_events_peak_.compare_exchange_weak(peak, tail)) {
  }
  batches_committed_ += 1;
  events_committed_ += batch.buffer.size();
}

// The committer's group goes to the completer, which is woken only if it waits: while it runs
// completions it takes whatever has arrived when it is done.
void Ledger::hand_to_completer(std::vector<InFlightBatch>& group) {
  bool wake;
  {
    std::lock_guard lock(complete_mutex_);
    for (InFlightBatch& in_flight : group) to_complete_.push_back(std::move(in_flight));
    wake = completer_waits_;
    completer_waits_ = false;
  }
  if (wake) complete_cv_.notify_one();
}

// Completer: the submissions of durable batches complete here, in commit order, off the
// committer, so that the next journal write starts while these run (they answer clients, queue
// SMS and webhooks: about a third of a commit cycle under request-to-pay load). A batch leaves
// the pipeline (in_flight_) only when it is completed, so the pipeline's bound holds completions
// too.
void Ledger::completer_loop() {
  std::vector<InFlightBatch> taken;
  while (true) {
    taken.clear();
    {
      std::unique_lock lock(complete_mutex_);
      while (to_complete_.empty() && !completions_end_) {
        completer_waits_ = true;
        complete_cv_.wait(lock);
      }
      completer_waits_ = false;
      if (to_complete_.empty()) break;
      while (!to_complete_.empty()) {
        taken.push_back(std::move(to_complete_.front()));
        to_complete_.pop_front();
      }
    }
    {
      // The completions' hand-offs (HTTP answers, SMS, wake-ups of other threads) go out once
      // per round, when it is done (core/deferred_hand_offs.h).
      DeferredHandOffs hand_offs;
      for (InFlightBatch& in_flight : taken) complete(in_flight);
    }
    bool wake_writer;
    {
      std::lock_guard lock(submit_mutex_);
      bool was_full = in_flight_ == options_.pipeline_depth;
      in_flight_ -= static_cast<uint32_t>(taken.size());
      wake_writer = was_full && writer_has_room_locked();
    }
    if (wake_writer) submit_cv_.notify_one();
  }
}

void Ledger::complete(InFlightBatch& in_flight) {
  const CommittedBatch& batch = *in_flight.batch;
  for (Submission& submission : in_flight.submissions) {
    std::vector<EventOutcome> outcomes;
    outcomes.reserve(submission.entry_count);
    for (size_t i = 0; i < submission.entry_count; ++i) {
      const JournalEntry& entry = batch.buffer.entry(submission.first_entry + i);
      if (entry.type == EntryType::app_payload) continue;  // part of the event before it
      outcomes.push_back(EventOutcome{entry.id, entry.result, entry.timestamp});
    }
    submission.done(std::move(outcomes));
  }
}

// ---------------------------------------------------------------------------------------------
// Projector: committed batches -> query tables, in sorted bulk transactions.

void Ledger::projector_loop() {
  // The projector takes only CPU time the write path leaves idle (SCHED_IDLE), so a burst of
  // writes is never slowed by projections; it catches up afterwards, and the tail limit bounds how
  // far it may fall behind. Lowering one's own priority needs no privilege.
  sched_param idle{};
  if (options_.projector_idle_priority && sched_setscheduler(gettid(), SCHED_IDLE, &idle) != 0) {
    log_->warn("ledger: could not give the projector idle priority");
  }
  ProjectionBuilder builder;
  while (true) {
    std::vector<CommittedBatchPtr> batches;
    {
      std::unique_lock lock(project_mutex_);
      while (to_project_.empty() && !committer_done_) {
        projector_waits_ = true;
        project_cv_.wait(lock);
      }
      projector_waits_ = false;
      if (to_project_.empty()) break;
      uint64_t events = 0;
      while (!to_project_.empty() && events < options_.projector_events_max) {
        events += to_project_.front()->buffer.size();
        batches.push_back(std::move(to_project_.front()));
        to_project_.pop_front();
      }
    }
    auto started = SteadyClock::now();
    for (const CommittedBatchPtr& batch : batches) {
      for (const JournalEntry& entry : batch->buffer.entries()) builder.add(batch->seq, entry);
    }
    uint64_t last_seq = batches.back()->seq;
    ProjectionWrite write = builder.take(last_seq);
    Status written = storage_.projection_apply(write);
    if (!written.ok()) {
      fatal(written.error());
      return;
    }
    projected_seq_ = last_seq;
    bool writer_held_back = view_.tail_events() > options_.tail_events_max;
    view_.trim(last_seq);
    events_projected_ += write.entry_count;
    projector_busy_ns_ += elapsed_ns(started);
    if (writer_held_back) submit_cv_.notify_one();  // else it polls; see writer_loop()
    if (options_.projector_pause_ms > 0) {
      // Let the next round gather more: a bigger transaction touches each index page once for
      // more rows (a 20 ms pause took a third off the projector's CPU time per payment).
      std::unique_lock lock(project_mutex_);
      project_cv_.wait_for(lock, std::chrono::milliseconds(options_.projector_pause_ms),
                           [this] { return committer_done_; });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Snapshots: off the write path, from the committed view.

void Ledger::snapshot_loop() {
  auto last_snapshot_time = SteadyClock::now();
  while (true) {
    {
      std::unique_lock lock(snapshot_mutex_);
      snapshot_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return snapshot_stop_; });
      if (snapshot_stop_) return;
    }
    uint64_t committed = view_.committed_seq();
    uint64_t behind = committed - snapshot_seq_.load();
    bool due = behind >= options_.snapshot_interval_batches ||
               (behind > 0 && SteadyClock::now() - last_snapshot_time >=
                                  std::chrono::seconds(options_.snapshot_interval_s));
    if (due && write_snapshot()) last_snapshot_time = SteadyClock::now();
  }
}

bool Ledger::write_snapshot() {
  std::lock_guard lock(snapshot_write_mutex_);
  LedgerImage image = view_.image();
  if (image.seq == snapshot_seq_.load()) return true;
  MoneyState check;
  check.restore(image);
  MPAY_CHECK(check.zero_sum_holds(), "zero-sum invariant broken in the committed state");
  std::vector<std::byte> bytes = encode_snapshot(image);
  Status saved = storage_.snapshot_save(image.seq, bytes);
  if (!saved.ok()) {
    // A missed snapshot only makes the next start-up replay longer; the journal is the truth.
    log_->error("ledger: snapshot at batch {} failed: {}", image.seq, saved.error().message);
    return false;
  }
  snapshot_seq_ = image.seq;
  snapshots_written_ += 1;
  log_->info("ledger: snapshot at batch {} ({} accounts, {} pending, {} bytes)", image.seq,
             image.accounts.size(), image.pending.size(), bytes.size());
  return true;
}

// ---------------------------------------------------------------------------------------------
// Reads

std::optional<AccountState> Ledger::lookup_account(const AccountId& id) const {
  return view_.account(id);
}

Result<std::optional<TransferRecord>> Ledger::lookup_transfer(const TransferId& id) const {
  // The tail first: a batch leaves it only after the projection store has it.
  if (std::optional<TransferRecord> tail = view_.tail_transfer(id)) return tail;
  std::optional<PendingResolution> resolution = view_.tail_resolution(id);
  Result<std::optional<TransferRecord>> stored = storage_.projection_find_transfer(id);
  if (!stored.ok() || !stored->has_value()) return stored;
  TransferRecord record = **stored;
  if (resolution && record.status == PendingStatus::pending) {
    record.status = resolution->status;
    record.resolved_timestamp = resolution->timestamp;
  }
  return std::optional<TransferRecord>(record);
}

Result<std::vector<TransferRecord>> Ledger::account_transfers(const AccountId& id,
                                                             const HistoryQuery& query) const {
  std::vector<TransferRecord> merged = view_.tail_history(id);
  Result<std::vector<TransferRecord>> stored = storage_.projection_account_transfers(id, query);
  if (!stored.ok()) return stored.error();
  for (TransferRecord& record : *stored) {
    if (record.status == PendingStatus::pending) {
      if (auto resolution = view_.tail_resolution(TransferId(record.entry.id))) {
        record.status = resolution->status;
        record.resolved_timestamp = resolution->timestamp;
      }
    }
  }
  const bool descending = query.order == HistoryOrder::descending;
  std::erase_if(merged, [&](const TransferRecord& r) {
    if (!query.after_timestamp) return false;
    return descending ? r.entry.timestamp >= *query.after_timestamp
                      : r.entry.timestamp <= *query.after_timestamp;
  });
  merged.insert(merged.end(), stored->begin(), stored->end());
  std::sort(merged.begin(), merged.end(), [&](const TransferRecord& a, const TransferRecord& b) {
    return descending ? a.entry.timestamp > b.entry.timestamp : a.entry.timestamp < b.entry.timestamp;
  });
  merged.erase(std::unique(merged.begin(), merged.end(),
                           [](const TransferRecord& a, const TransferRecord& b) {
                             return a.entry.timestamp == b.entry.timestamp;
                           }),
               merged.end());
  if (merged.size() > query.limit) merged.resize(query.limit);
  return merged;
}

LedgerStats Ledger::stats() const {
  LedgerStats stats;
  stats.committed_seq = view_.committed_seq();
  stats.projected_seq = projected_seq_.load();
  stats.batches_committed = batches_committed_.load();
  stats.events_committed = events_committed_.load();
  stats.events_projected = events_projected_.load();
  stats.projector_busy_ns = projector_busy_ns_.load();
  stats.tail_events = view_.tail_events();
  stats.tail_events_peak = tail_events_peak_.load();
  stats.commit_ns_total = commit_ns_total_.load();
  stats.commits = commits_.load();
  stats.accounts = view_.account_count();
  stats.pending_transfers = view_.pending_count();
  stats.snapshots_written = snapshots_written_.load();
  stats.snapshot_seq = snapshot_seq_.load();
  {
    std::lock_guard lock(submit_mutex_);
    stats.queued_events = queued_events_;
  }
  return stats;
}

// ---------------------------------------------------------------------------------------------
// Shutdown and failure

void Ledger::close() {
  std::call_once(close_once_, [this] {
    {
      std::lock_guard lock(submit_mutex_);
      accepting_ = false;
      writer_stop_ = true;
    }
    submit_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    if (committer_.joinable()) committer_.join();
    if (completer_.joinable()) completer_.join();
    if (projector_.joinable()) projector_.join();
    {
      std::lock_guard lock(snapshot_mutex_);
      snapshot_stop_ = true;
    }
    snapshot_cv_.notify_all();
    if (snapshotter_.joinable()) snapshotter_.join();
    if (batches_committed_.load() > 0) write_snapshot();
    log_->info("ledger: closed at batch {}", view_.committed_seq());
  });
}

void Ledger::fatal(const Error& error) {
  log_->critical("ledger: fail-stop: {}: {}", error.code, error.message);
  log_->flush();
  if (options_.on_fatal) options_.on_fatal(error);
  _exit(3);
}

}  // namespace mpay::ledger
