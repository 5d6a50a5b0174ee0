#include "ledger_bench.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <random>
#include <thread>

#include "bench_support.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/random.h"
#include "ledger/ledger.h"
#include "ledger/state_machine.h"
#include "machine_probe.h"
#include "plain_sqlite_ledger.h"
#include "store/sqlite/sqlite_ledger_storage.h"

namespace mpay::bench {
namespace {

constexpr uint16_t kCny = 156;

AccountId account_id(uint64_t n) { return AccountId(Id128{0xACC0000000000000ULL, n}); }

struct EngineRunResult {
  uint32_t batch_size = 0;
  uint64_t transfers = 0;
  double seconds = 0;
  int64_t ack_p50_ns = 0;
  int64_t ack_p99_ns = 0;
  double commit_mean_us = 0;
  double events_per_commit = 0;  // events per batch (journal record)
  double batches_per_commit = 0;  // journal records per store transaction
  double projector_tps = 0;
  uint64_t projector_lag_peak = 0;
  double projector_catch_up_s = 0;
};

// Submits and waits; used for set-up only.
void submit_and_wait(ledger::Ledger& ledger, std::vector<ledger::Account> accounts,
                     std::vector<ledger::Transfer> transfers) {
  std::mutex mutex;
  std::condition_variable done_cv;
  size_t outstanding = 0;
  auto done = [&](std::vector<ledger::EventOutcome>) {
    std::lock_guard lock(mutex);
    --outstanding;
    done_cv.notify_all();
  };
  auto wait_room = [&](size_t limit) {
    std::unique_lock lock(mutex);
    done_cv.wait(lock, [&] { return outstanding <= limit; });
    ++outstanding;
  };
  uint32_t chunk = ledger.options().submission_events_max;
  for (size_t i = 0; i < accounts.size(); i += chunk) {
    wait_room(8);
    std::vector<ledger::Account> part(accounts.begin() + i,
                                      accounts.begin() + std::min(accounts.size(), i + chunk));
    if (!ledger.submit_accounts(std::move(part), done).ok()) std::abort();
  }
  for (size_t i = 0; i < transfers.size(); i += chunk) {
    wait_room(8);
    std::vector<ledger::Transfer> part(transfers.begin() + i,
                                       transfers.begin() + std::min(transfers.size(), i + chunk));
    if (!ledger.submit_transfers(std::move(part), done).ok()) std::abort();
  }
  wait_room(0);
}

EngineRunResult run_engine(const std::string& parent, uint32_t batch_size, uint32_t accounts,
                           double seconds, uint32_t pipeline_depth) {
  ScratchDirectory directory(parent);
  SystemClock clock;
  SystemRandom system_random;
  UuidV7Generator ids(clock, system_random);
  auto storage = store::sqlite::SqliteLedgerStorage::open({directory.path()}, clock);
  if (!storage.ok()) {
    std::fprintf(stderr, "storage: %s\n", storage.error().message.c_str());
    std::abort();
  }
  ledger::LedgerOptions options;
  options.batch_events_max = std::max<uint32_t>(batch_size, 8190);
  options.submission_events_max = std::max<uint32_t>(batch_size, 1);
  if (batch_size < 8190) options.batch_events_max = batch_size;  // one commit per batch_size events
  options.pipeline_depth = pipeline_depth;
  auto opened = ledger::Ledger::open(options, **storage, clock);
  if (!opened.ok()) std::abort();
  ledger::Ledger& ledger = **opened;

  // Set-up: a funding account and `accounts` wallets, each funded generously.
  std::vector<ledger::Account> account_list;
  ledger::Account funding;
  funding.id = account_id(0);
  funding.currency = kCny;
  funding.kind = ledger::AccountKind::system;
  account_list.push_back(funding);
  for (uint32_t n = 1; n <= accounts; ++n) {
    ledger::Account wallet;
    wallet.id = account_id(n);
    wallet.currency = kCny;
    wallet.kind = ledger::AccountKind::user_wallet;
    wallet.flags = ledger::account_flags::debits_must_not_exceed_credits;
    account_list.push_back(wallet);
  }
  std::vector<ledger::Transfer> funding_transfers;
  for (uint32_t n = 1; n <= accounts; ++n) {
    ledger::Transfer t;
    t.id = TransferId(ids.next());
    t.debit_account_id = account_id(0);
    t.credit_account_id = account_id(n);
    t.amount = 1'000'000'000;
    t.currency = kCny;
    funding_transfers.push_back(t);
  }
  submit_and_wait(ledger, std::move(account_list), std::move(funding_transfers));
  // Let the projector finish the set-up so that the run measures the workload alone.
  while (ledger.stats().projected_seq < ledger.stats().committed_seq) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ledger::LedgerStats before = ledger.stats();

  // The workload: random wallet-to-wallet transfers, submissions of batch_size events, enough of
  // them in flight to keep the writer busy while a batch is being made durable.
  const uint32_t in_flight_max = batch_size == 1 ? 256 : batch_size <= 100 ? 64 : 4;
  const uint32_t submission_size = std::min<uint32_t>(batch_size, 8190);
  std::atomic<uint64_t> acknowledged{0};
  std::atomic<uint32_t> in_flight{0};
  std::mutex mutex;
  std::condition_variable room_cv;
  LatencyRecorder latency;
  std::atomic<bool> stop{false};
  auto start = SteadyClock::now();
  std::thread client([&] {
    std::mt19937_64 random(batch_size);
    while (!stop.load()) {
      {
        std::unique_lock lock(mutex);
        room_cv.wait(lock, [&] { return in_flight.load() < in_flight_max; });
      }
      std::vector<ledger::Transfer> transfers(submission_size);
      for (ledger::Transfer& t : transfers) {
        uint64_t from = 1 + random() % accounts;
        uint64_t to = 1 + (from + random() % (accounts - 1)) % accounts;
        t.id = TransferId(ids.next());
        t.debit_account_id = account_id(from);
        t.credit_account_id = account_id(to);
        t.amount = 1 + static_cast<int64_t>(random() % 100);
        t.currency = kCny;
      }
      ++in_flight;
      auto submitted_at = SteadyClock::now();
      Status submitted = ledger.submit_transfers(
          std::move(transfers), [&, submitted_at](std::vector<ledger::EventOutcome> outcomes) {
            latency.record(since_ns(submitted_at));
            acknowledged += outcomes.size();
            {
              std::lock_guard lock(mutex);
              --in_flight;
            }
            room_cv.notify_one();
          });
      if (!submitted.ok()) std::abort();
      if (since_ns(start) > static_cast<int64_t>(seconds * 1e9)) stop = true;
    }
  });
  client.join();
  {
    std::unique_lock lock(mutex);
    room_cv.wait(lock, [&] { return in_flight.load() == 0; });
  }
  EngineRunResult result;
  result.batch_size = batch_size;
  result.seconds = static_cast<double>(since_ns(start)) / 1e9;
  result.transfers = acknowledged.load();
  result.ack_p50_ns = latency.percentile_ns(0.50);
  result.ack_p99_ns = latency.percentile_ns(0.99);
  ledger::LedgerStats after_run = ledger.stats();
  uint64_t batches = after_run.batches_committed - before.batches_committed;
  uint64_t commits = after_run.commits - before.commits;
  result.commit_mean_us = commits == 0 ? 0
      : static_cast<double>(after_run.commit_ns_total - before.commit_ns_total) / 1e3 /
            static_cast<double>(commits);
  result.batches_per_commit = commits == 0 ? 0 : static_cast<double>(batches) / static_cast<double>(commits);
  result.events_per_commit = batches == 0 ? 0
      : static_cast<double>(after_run.events_committed - before.events_committed) /
            static_cast<double>(batches);

  auto catch_up_start = SteadyClock::now();
  while (ledger.stats().projected_seq < ledger.stats().committed_seq) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  result.projector_catch_up_s = static_cast<double>(since_ns(catch_up_start)) / 1e9;
  ledger::LedgerStats after = ledger.stats();
  uint64_t projected = after.events_projected - before.events_projected;
  uint64_t busy_ns = after.projector_busy_ns - before.projector_busy_ns;
  result.projector_tps = busy_ns == 0 ? 0 : static_cast<double>(projected) * 1e9 / static_cast<double>(busy_ns);
  result.projector_lag_peak = after.tail_events_peak;
  ledger.close();
  return result;
}

struct MemoryResult {
  double bytes_per_account = 0;
  double bytes_per_window_transfer = 0;
  double bytes_per_pending_transfer = 0;
  size_t filter_bytes = 0;
  double state_machine_tps = 0;  // validation and application alone, no store, one thread
};

// Memory of the state machine alone (no store, no threads): accounts, the id window, pending.
MemoryResult measure_memory(uint32_t accounts) {
  MemoryResult result;
  constexpr uint64_t kTransfers = 1'000'000;
  ledger::StateMachine machine({kTransfers * 2, 1u << 20}, nullptr);
  result.filter_bytes = machine.filter().memory_bytes();
  ledger::JournalBatchBuffer out;
  uint64_t seq = 0;
  int64_t timestamp = 1'000'000'000;
  auto next_batch = [&] {
    out.clear();
    timestamp += 1'000'000;
    (void)machine.begin_batch(++seq, timestamp, 0, &out);
  };

  int64_t rss0 = resident_bytes();
  std::vector<ledger::Account> account_list(accounts);
  for (uint32_t n = 0; n < accounts; ++n) {
    account_list[n].id = account_id(n + 1);
    account_list[n].currency = kCny;
    account_list[n].kind = ledger::AccountKind::user_wallet;
  }
  for (uint32_t i = 0; i < accounts; i += 8000) {
    next_batch();
    machine.create_accounts(std::span(account_list).subspan(i, std::min<uint32_t>(8000, accounts - i)), &out);
  }
  account_list = {};
  int64_t rss1 = resident_bytes();
  result.bytes_per_account = static_cast<double>(rss1 - rss0) / accounts;

  auto run_transfers = [&](uint16_t flags, uint64_t id_base) {
    std::vector<ledger::Transfer> batch(8000);
    for (uint64_t done = 0; done < kTransfers; done += batch.size()) {
      for (uint64_t i = 0; i < batch.size(); ++i) {
        ledger::Transfer& t = batch[i];
        t.id = TransferId(Id128{id_base, done + i + 1});
        t.debit_account_id = account_id(1 + (done + i) % accounts);
        t.credit_account_id = account_id(1 + (done + i + 1) % accounts);
        t.amount = 1;
        t.currency = kCny;
        t.flags = flags;
      }
      next_batch();
      (void)machine.create_transfers(batch, &out);
    }
  };
  auto timed = SteadyClock::now();
  run_transfers(0, 1);
  result.state_machine_tps = kTransfers * 1e9 / static_cast<double>(since_ns(timed));
  int64_t rss2 = resident_bytes();
  result.bytes_per_window_transfer = static_cast<double>(rss2 - rss1) / kTransfers;
  run_transfers(ledger::transfer_flags::pending, 2);
  int64_t rss3 = resident_bytes();
  result.bytes_per_pending_transfer = static_cast<double>(rss3 - rss2) / kTransfers;
  return result;
}

}  // namespace

int run_ledger_bench(const LedgerBenchOptions& options) {
  spdlog::set_level(spdlog::level::warn);
  std::printf("mpay-bench ledger: %u accounts, %.1f s per run, data under %s\n", options.accounts,
              options.seconds_per_run, options.directory.c_str());
  std::printf("machine: %u hardware threads\n", std::thread::hardware_concurrency());
  print_machine_reading(options.directory);
  std::printf("\n");

  // Memory first, while the allocator has not yet cached freed memory from other runs.
  MemoryResult memory = measure_memory(options.accounts);

  std::printf("(a) engine: durable journal batches on SQLite (WAL, synchronous=FULL)\n");
  std::printf("%10s %12s %14s %12s %12s %12s %12s %14s %12s\n", "batch", "transfers",
              "transfers/s", "ack p50 ms", "ack p99 ms", "commit us", "events/batch",
              "batches/commit", "proj/s");
  EngineRunResult best;
  for (uint32_t batch_size : {1u, 100u, 1000u, 8000u}) {
    if (options.only_batch_size != 0 && batch_size != options.only_batch_size) continue;
    EngineRunResult r = run_engine(options.directory, batch_size, options.accounts,
                                   batch_size == 1 ? std::min(2.0, options.seconds_per_run)
                                                   : options.seconds_per_run,
                                   options.pipeline_depth);
    double tps = static_cast<double>(r.transfers) / r.seconds;
    std::printf("%10u %12llu %14.0f %12.3f %12.3f %12.1f %12.1f %14.2f %12.0f\n", batch_size,
                static_cast<unsigned long long>(r.transfers), tps, r.ack_p50_ns / 1e6,
                r.ack_p99_ns / 1e6, r.commit_mean_us, r.events_per_commit, r.batches_per_commit,
                r.projector_tps);
    std::printf("%10s projector: peak lag %llu events, caught up %.2f s after the load stopped\n",
                "", static_cast<unsigned long long>(r.projector_lag_peak), r.projector_catch_up_s);
    std::fflush(stdout);
    if (tps > static_cast<double>(best.transfers) / std::max(best.seconds, 1e-9)) best = r;
  }
  double engine_tps = static_cast<double>(best.transfers) / best.seconds;

  std::printf("\n(b) plain: one SQLite transaction per transfer (read both balances, check, "
              "update two rows, insert)\n");
  ScratchDirectory plain_directory(options.directory);
  PlainRunResult plain = run_plain_sqlite_ledger(plain_directory.path(), options.accounts,
                                                 std::min(3.0, options.seconds_per_run));
  double plain_tps = static_cast<double>(plain.transfers) / plain.seconds;
  std::printf("%10s %12llu %14.0f %12.3f %12.3f\n", "1", static_cast<unsigned long long>(plain.transfers),
              plain_tps, plain.latency_p50_ns / 1e6, plain.latency_p99_ns / 1e6);

  std::printf("\n(c) memory of the state machine (resident set growth)\n");
  std::printf("  per account:                  %.0f bytes\n", memory.bytes_per_account);
  std::printf("  per transfer in the id window: %.0f bytes\n", memory.bytes_per_window_transfer);
  std::printf("  per pending transfer (extra):  %.0f bytes\n", memory.bytes_per_pending_transfer);
  std::printf("  id filter (fixed):             %zu bytes for 1,048,576 ids\n", memory.filter_bytes);
  std::printf("  (the state machine alone, no store, one thread: %.0f transfers/s)\n",
              memory.state_machine_tps);

  double ratio = plain_tps > 0 ? engine_tps / plain_tps : 0;
  std::printf("\nRESULT ledger engine_tps=%.0f plain_tps=%.0f ratio=%.1f projector_tps=%.0f\n",
              engine_tps, plain_tps, ratio, best.projector_tps);
  return 0;
}

}  // namespace mpay::bench
