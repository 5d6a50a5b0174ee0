// The ledger on its real embedded store: durability across restarts, read-your-writes while the
// projector lags, ids unique beyond the in-memory window, expiry by the writer's own timer,
// projection rebuilds, and refusal to start on a corrupted journal.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <span>
#include <thread>

#include "core/currency.h"
#include "ledger/ledger.h"
#include "ledger/result_codes.h"
#include "store/sqlite/sqlite_ledger_storage.h"
#include "support/ledger_sync.h"
#include "support/temp_directory.h"

namespace mpay {
namespace {

using ledger::Account;
using ledger::AccountKind;
using ledger::CreateTransferResult;
using ledger::Transfer;
using testing::create_accounts_sync;
using testing::create_transfers_sync;

constexpr uint16_t kCny = 156;

AccountId account_id(uint64_t n) { return AccountId(Id128{0, n}); }
TransferId transfer_id(uint64_t n) { return TransferId(Id128{1, n}); }

Account wallet(uint64_t n) {
  Account a;
  a.id = account_id(n);
  a.currency = kCny;
  a.kind = AccountKind::user_wallet;
  a.flags = ledger::account_flags::debits_must_not_exceed_credits;
  return a;
}

Account funding(uint64_t n) {
  Account a;
  a.id = account_id(n);
  a.currency = kCny;
  a.kind = AccountKind::system;
  return a;
}

Transfer transfer(uint64_t id, uint64_t debit, uint64_t credit, int64_t amount, uint16_t flags = 0) {
  Transfer t;
  t.id = transfer_id(id);
  t.debit_account_id = account_id(debit);
  t.credit_account_id = account_id(credit);
  t.amount = amount;
  t.currency = kCny;
  t.flags = flags;
  return t;
}

CreateTransferResult result_of(const ledger::EventOutcome& outcome) {
  return static_cast<CreateTransferResult>(outcome.result);
}

class SqliteLedgerTest : public ::testing::Test {
 protected:
  void open(ledger::LedgerOptions options = {}) {
    auto storage = store::sqlite::SqliteLedgerStorage::open({directory_.path()}, clock_);
    ASSERT_TRUE(storage.ok()) << storage.error().message;
    storage_ = std::move(*storage);
    auto opened = ledger::Ledger::open(options, *storage_, clock_);
    ASSERT_TRUE(opened.ok()) << opened.error().code << ": " << opened.error().message;
    ledger_ = std::move(*opened);
  }
  void close() {
    ledger_.reset();
    storage_.reset();
  }
  void wait_for_projection() {
    for (int i = 0; i < 500; ++i) {
      auto stats = ledger_->stats();
      if (stats.projected_seq == stats.committed_seq) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    FAIL() << "projector did not catch up";
  }
  int64_t balance(uint64_t account) {
    auto state = ledger_->lookup_account(account_id(account));
    EXPECT_TRUE(state.has_value());
    if (!state) return 0;
    return state->balances.credits_posted - state->balances.debits_posted;
  }

  testing::TempDirectory directory_;
  SystemClock clock_;
  std::unique_ptr<store::sqlite::SqliteLedgerStorage> storage_;
  std::unique_ptr<ledger::Ledger> ledger_;
};

TEST_F(SqliteLedgerTest, TransfersAreReadableAtOnceAndBalancesMove) {
  open();
  auto created = create_accounts_sync(*ledger_, {funding(1), wallet(2), wallet(3)});
  ASSERT_EQ(created.size(), 3u);
  for (const auto& o : created) EXPECT_EQ(o.result, 0);

  auto results = create_transfers_sync(*ledger_, {transfer(1, 1, 2, 10000), transfer(2, 2, 3, 2550)});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(result_of(results[0]), CreateTransferResult::created);
  EXPECT_EQ(result_of(results[1]), CreateTransferResult::created);

  // Read-your-writes: straight after the acknowledgement, whether or not projected yet.
  auto found = ledger_->lookup_transfer(transfer_id(2));
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->entry.amount, 2550);
  EXPECT_EQ(balance(2), 10000 - 2550);
  EXPECT_EQ(balance(3), 2550);

  auto history = ledger_->account_transfers(account_id(2), {});
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->at(0).entry.id, transfer_id(1).value());
  EXPECT_EQ(history->at(1).entry.id, transfer_id(2).value());

  // An overdraft is refused and nothing moves.
  results = create_transfers_sync(*ledger_, {transfer(3, 3, 2, 2551)});
  EXPECT_EQ(result_of(results[0]), CreateTransferResult::exceeds_credits);
  EXPECT_EQ(balance(3), 2550);
  auto missing = ledger_->lookup_transfer(transfer_id(3));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

// Group commit: what is submitted while a store transaction syncs becomes one batch, cut when
// the committer is about to take it, not one batch per submission (which cost the writer a
// wake-up each and the same number of syncs).
TEST_F(SqliteLedgerTest, SubmissionsMadeWhileATransactionSyncsBecomeOneBatch) {
  std::mutex mutex;
  std::condition_variable changed;
  bool hold = false, held = false, released = false;
  std::vector<std::vector<uint32_t>> commits;  // batch sizes of each transaction after the hold
  ledger::LedgerOptions options;
  options.on_commit = [&](std::span<const uint32_t> batch_events, uint64_t) {
    std::unique_lock lock(mutex);
    if (!hold) return;
    commits.emplace_back(batch_events.begin(), batch_events.end());
    if (commits.size() == 1) {  // the committer stays in this transaction until released
      held = true;
      changed.notify_all();
      changed.wait(lock, [&] { return released; });
    }
  };
  open(options);
  create_accounts_sync(*ledger_, {funding(1), wallet(2)});
  {
    std::lock_guard lock(mutex);
    hold = true;
  }
  constexpr int kLater = 10;
  std::atomic<int> completed{0};
  auto count = [&completed](std::vector<ledger::EventOutcome> outcomes) {
    if (outcomes.size() == 1 && outcomes[0].result == 0) completed += 1;
  };
  ASSERT_TRUE(ledger_->submit_transfers({transfer(1, 1, 2, 100)}, count).ok());
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return held; }));
  }
  // Spaced out, so that a writer cutting a batch per submission would have (depth 4 allows it).
  for (int i = 0; i < kLater; ++i) {
    ASSERT_TRUE(ledger_->submit_transfers({transfer(2 + i, 1, 2, 100)}, count).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  {
    std::lock_guard lock(mutex);
    released = true;
  }
  changed.notify_all();
  for (int i = 0; i < 1000 && completed.load() < 1 + kLater; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(completed.load(), 1 + kLater);
  std::lock_guard lock(mutex);
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_EQ(commits[0].size(), 1u);
  ASSERT_EQ(commits[1].size(), 1u) << "the later submissions were cut into several batches";
  EXPECT_GE(commits[1][0], static_cast<uint32_t>(kLater));
  EXPECT_EQ(balance(2), 100 * (1 + kLater));
}

// Completions run on their own thread, in commit order: a slow one does not hold back the next
// journal write (the committer goes on while it runs), and a later batch completes after it.
TEST_F(SqliteLedgerTest, ASlowCompletionDoesNotHoldBackTheNextCommit) {
  std::mutex mutex;
  std::condition_variable changed;
  int commits = 0;
  ledger::LedgerOptions options;
  options.on_commit = [&](std::span<const uint32_t>, uint64_t) {
    std::lock_guard lock(mutex);
    ++commits;
    changed.notify_all();
  };
  open(options);
  create_accounts_sync(*ledger_, {funding(1), wallet(2)});
  int commits_before = 0;
  bool first_running = false, release_first = false;
  std::vector<int> completed;
  {
    std::lock_guard lock(mutex);
    commits_before = commits;
  }
  auto first = [&](std::vector<ledger::EventOutcome>) {
    std::unique_lock lock(mutex);
    first_running = true;
    changed.notify_all();
    changed.wait(lock, [&] { return release_first; });
    completed.push_back(1);
    changed.notify_all();
  };
  auto second = [&](std::vector<ledger::EventOutcome>) {
    std::lock_guard lock(mutex);
    completed.push_back(2);
    changed.notify_all();
  };
  ASSERT_TRUE(ledger_->submit_transfers({transfer(1, 1, 2, 100)}, first).ok());
  bool second_durable = false;
  {
    std::unique_lock lock(mutex);
    if (!changed.wait_for(lock, std::chrono::seconds(10), [&] { return first_running; })) {
      release_first = true;  // so that the ledger can close
      FAIL() << "the first batch's completion did not start";
    }
    lock.unlock();
    ASSERT_TRUE(ledger_->submit_transfers({transfer(2, 1, 2, 100)}, second).ok());
    lock.lock();
    second_durable = changed.wait_for(lock, std::chrono::seconds(10),
                                      [&] { return commits >= commits_before + 2; });
    EXPECT_TRUE(completed.empty());
    release_first = true;  // also when the check failed, so that the ledger can close
  }
  changed.notify_all();
  EXPECT_TRUE(second_durable) << "the second batch waited for the first one's completion";
  std::unique_lock lock(mutex);
  ASSERT_TRUE(
      changed.wait_for(lock, std::chrono::seconds(10), [&] { return completed.size() == 2; }));
  EXPECT_EQ(completed, (std::vector<int>{1, 2}));
  lock.unlock();
  EXPECT_EQ(balance(2), 200);
}

// The projector pauses between rounds so that each carries many batches. Meanwhile reads still
// see every acknowledged write (from the committed tail), and closing does not wait the pause out.
TEST_F(SqliteLedgerTest, TheProjectorsPauseHidesNoWriteAndDoesNotHoldUpClosing) {
  ledger::LedgerOptions options;
  options.projector_pause_ms = 600'000;
  open(options);
  create_accounts_sync(*ledger_, {funding(1), wallet(2)});
  wait_for_projection();  // the first round: the projector was idle, so it ran at once
  auto first = ledger_->stats();
  create_transfers_sync(*ledger_, {transfer(1, 1, 2, 700)});
  create_transfers_sync(*ledger_, {transfer(2, 1, 2, 300)});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // ample for an unpaused round
  auto later = ledger_->stats();
  EXPECT_EQ(later.projected_seq, first.projected_seq) << "the projector did not pause";
  EXPECT_GT(later.committed_seq, later.projected_seq);
  EXPECT_EQ(balance(2), 1000);
  auto found = ledger_->lookup_transfer(transfer_id(2));
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  auto history = ledger_->account_transfers(account_id(2), {});
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 2u);

  auto closing = std::chrono::steady_clock::now();
  close();
  EXPECT_LT(std::chrono::steady_clock::now() - closing, std::chrono::seconds(60));
  open();  // the start catches the projections up with the journal
  auto stats = ledger_->stats();
  EXPECT_EQ(stats.projected_seq, stats.committed_seq);
  EXPECT_EQ(balance(2), 1000);
}

TEST_F(SqliteLedgerTest, RestartKeepsEverythingAndRetriesStayIdempotent) {
  open();
  create_accounts_sync(*ledger_, {funding(1), wallet(2)});
  create_transfers_sync(*ledger_, {transfer(1, 1, 2, 500)});
  auto failed = create_transfers_sync(*ledger_, {transfer(2, 2, 1, 501)});
  EXPECT_EQ(result_of(failed[0]), CreateTransferResult::exceeds_credits);
  close();

  open();
  EXPECT_EQ(balance(2), 500);
  auto retried = create_transfers_sync(*ledger_, {transfer(1, 1, 2, 500), transfer(2, 2, 1, 501),
                                                  transfer(1, 1, 2, 499)});
  EXPECT_EQ(result_of(retried[0]), CreateTransferResult::exists);
  EXPECT_EQ(result_of(retried[1]), CreateTransferResult::id_already_failed);
  EXPECT_EQ(result_of(retried[2]), CreateTransferResult::exists_with_different_fields);
  EXPECT_EQ(balance(2), 500);
}

TEST_F(SqliteLedgerTest, IdsStayUniqueAfterLeavingTheInMemoryWindow) {
  ledger::LedgerOptions options;
  options.id_window_transfers = 4;
  open(options);
  create_accounts_sync(*ledger_, {funding(1), wallet(2)});
  create_transfers_sync(*ledger_, {transfer(1, 1, 2, 100)});
  auto failed = create_transfers_sync(*ledger_, {transfer(2, 2, 1, 1000)});
  ASSERT_EQ(result_of(failed[0]), CreateTransferResult::exceeds_credits);
  for (uint64_t i = 10; i < 60; ++i) {
    create_transfers_sync(*ledger_, {transfer(i, 1, 2, 1)});
    wait_for_projection();
  }
  EXPECT_LE(ledger_->stats().committed_seq, ledger_->stats().projected_seq);
  auto retried = create_transfers_sync(*ledger_, {transfer(1, 1, 2, 100), transfer(2, 2, 1, 1000),
                                                  transfer(1, 1, 2, 101)});
  EXPECT_EQ(result_of(retried[0]), CreateTransferResult::exists);
  EXPECT_EQ(result_of(retried[1]), CreateTransferResult::id_already_failed);
  EXPECT_EQ(result_of(retried[2]), CreateTransferResult::exists_with_different_fields);
  EXPECT_EQ(balance(2), 100 + 50);
}

TEST_F(SqliteLedgerTest, PendingTransfersPostOnceAndExpireOnTheirOwn) {
  open();
  create_accounts_sync(*ledger_, {funding(1), wallet(2), wallet(3)});
  create_transfers_sync(*ledger_, {transfer(1, 1, 2, 1000)});
  Transfer hold = transfer(2, 2, 3, 300, ledger::transfer_flags::pending);
  Transfer short_hold = transfer(3, 2, 3, 200, ledger::transfer_flags::pending);
  short_hold.timeout_s = 1;
  auto held = create_transfers_sync(*ledger_, {hold, short_hold});
  EXPECT_EQ(result_of(held[0]), CreateTransferResult::created);
  EXPECT_EQ(result_of(held[1]), CreateTransferResult::created);
  auto wallet_state = ledger_->lookup_account(account_id(2));
  EXPECT_EQ(wallet_state->balances.debits_pending, 500);

  Transfer post;
  post.id = transfer_id(4);
  post.pending_id = transfer_id(2);
  post.amount = 250;  // partial: the other 50 go back
  post.flags = ledger::transfer_flags::post_pending_transfer;
  auto posted = create_transfers_sync(*ledger_, {post});
  EXPECT_EQ(result_of(posted[0]), CreateTransferResult::created);
  post.id = transfer_id(5);
  auto again = create_transfers_sync(*ledger_, {post});
  EXPECT_EQ(result_of(again[0]), CreateTransferResult::pending_transfer_already_posted);

  // The writer expires the short hold by itself, without any new command.
  ledger::PendingStatus status = ledger::PendingStatus::pending;
  for (int i = 0; i < 300 && status == ledger::PendingStatus::pending; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto found = ledger_->lookup_transfer(transfer_id(3));
    ASSERT_TRUE(found.ok() && found->has_value());
    status = (*found)->status;
  }
  EXPECT_EQ(status, ledger::PendingStatus::expired);
  wallet_state = ledger_->lookup_account(account_id(2));
  EXPECT_EQ(wallet_state->balances.debits_pending, 0);
  EXPECT_EQ(balance(2), 1000 - 250);
  EXPECT_EQ(balance(3), 250);

  close();
  open();
  auto original = ledger_->lookup_transfer(transfer_id(2));
  ASSERT_TRUE(original.ok() && original->has_value());
  EXPECT_EQ((*original)->status, ledger::PendingStatus::posted);
  auto expired = ledger_->lookup_transfer(transfer_id(3));
  EXPECT_EQ((*expired)->status, ledger::PendingStatus::expired);
}

TEST_F(SqliteLedgerTest, SnapshotsShortenReplayAndProjectionsRebuildFromTheJournal) {
  ledger::LedgerOptions options;
  options.snapshot_interval_batches = 5;
  open(options);
  create_accounts_sync(*ledger_, {funding(1), wallet(2), wallet(3)});
  for (uint64_t i = 1; i <= 40; ++i) {
    create_transfers_sync(*ledger_, {transfer(i, 1, i % 2 ? 2 : 3, static_cast<int64_t>(i))});
  }
  auto before = ledger_->account_transfers(account_id(2), {});
  ASSERT_TRUE(before.ok());
  close();
  EXPECT_TRUE(std::filesystem::exists(directory_.path() + "/snapshots"));

  {
    auto storage = store::sqlite::SqliteLedgerStorage::open({directory_.path()}, clock_);
    ASSERT_TRUE(storage.ok());
    ASSERT_TRUE((*storage)->projection_reset().ok());
  }
  open(options);
  EXPECT_EQ(balance(2), 400);  // 1 + 3 + ... + 39
  EXPECT_EQ(balance(3), 420);  // 2 + 4 + ... + 40
  auto after = ledger_->account_transfers(account_id(2), {});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), before->size());
  for (size_t i = 0; i < after->size(); ++i) {
    EXPECT_EQ(after->at(i).entry.id, before->at(i).entry.id);
    EXPECT_EQ(after->at(i).entry.timestamp, before->at(i).entry.timestamp);
  }
  auto projected = storage_->projection_find_account(account_id(3));
  ASSERT_TRUE(projected.ok() && projected->has_value());
  EXPECT_EQ((*projected)->balances.credits_posted, 420);
}

ledger::AppEvent app_event(uint64_t id, uint64_t subject, uint16_t status, int64_t amount) {
  ledger::AppEvent e;
  e.id = Id128{7, id};
  e.subject_id = Id128{8, subject};
  e.ref_id = Id128{9, id};
  e.amount = amount;
  e.amount2 = amount / 2;
  e.user_data = id * 3;
  e.kind = 1;
  e.status = status;
  e.currency = kCny;
  return e;
}

std::vector<ledger::AppEventRecord> scan_events(const ledger::Ledger& ledger,
                                                int64_t from_timestamp = 0) {
  std::vector<ledger::AppEventRecord> events;
  Status scanned = ledger.scan_app_events(
      [&](const ledger::AppEventRecord& r) {
        events.push_back(r);
        return ok_status();
      },
      from_timestamp);
  EXPECT_TRUE(scanned.ok());
  return events;
}

TEST_F(SqliteLedgerTest, AppEventsAreAppliedOnlyWithAllTheirTransfersAndSurviveEverything) {
  ledger::LedgerOptions options;
  options.snapshot_interval_batches = 3;
  open(options);
  create_accounts_sync(*ledger_, {funding(1), wallet(2), wallet(3)});
  create_transfers_sync(*ledger_, {transfer(1, 1, 2, 1000)});

  // A linked chain that succeeds: the event is applied, in the same record.
  auto paid = testing::submit_with_events_sync(
      *ledger_, {transfer(2, 2, 3, 300, ledger::transfer_flags::linked), transfer(3, 3, 1, 10)},
      {app_event(1, 1, 5, 300)});
  ASSERT_EQ(paid.size(), 3u);
  EXPECT_EQ(result_of(paid[0]), CreateTransferResult::created);
  EXPECT_EQ(result_of(paid[1]), CreateTransferResult::created);
  EXPECT_EQ(paid[2].id, (Id128{7, 1}));
  EXPECT_EQ(paid[2].result, 0);
  EXPECT_GT(paid[2].timestamp, paid[1].timestamp);

  // An overdraft: no transfer, and the event means nothing.
  auto refused = testing::submit_with_events_sync(
      *ledger_, {transfer(4, 2, 3, 5000)}, {app_event(2, 2, 5, 5000)});
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(result_of(refused[0]), CreateTransferResult::exceeds_credits);
  EXPECT_EQ(refused[1].result, 1);

  // A retry of created transfers ("exists") does not apply its events a second time.
  auto retried = testing::submit_with_events_sync(
      *ledger_, {transfer(2, 2, 3, 300, ledger::transfer_flags::linked), transfer(3, 3, 1, 10)},
      {app_event(3, 1, 5, 300)});
  ASSERT_EQ(retried.size(), 3u);
  EXPECT_EQ(result_of(retried[0]), CreateTransferResult::exists);
  EXPECT_EQ(retried[2].result, 1);

  // Events without money, two at once.
  auto declined = testing::submit_with_events_sync(*ledger_, {},
                                                   {app_event(4, 3, 2, 0), app_event(5, 4, 3, 0)});
  ASSERT_EQ(declined.size(), 2u);
  EXPECT_EQ(declined[0].result, 0);
  EXPECT_EQ(declined[1].result, 0);
  EXPECT_EQ(balance(2), 700);
  EXPECT_EQ(balance(3), 290);

  wait_for_projection();
  auto events = scan_events(*ledger_);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].event, app_event(1, 1, 5, 300));
  EXPECT_EQ(events[0].timestamp, paid[2].timestamp);
  EXPECT_EQ(events[1].event, app_event(4, 3, 2, 0));
  EXPECT_EQ(events[2].event, app_event(5, 4, 3, 0));
  // From a ledger time on (start-up of payment requests reads from the archive's replay mark).
  auto later = scan_events(*ledger_, events[1].timestamp);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].event, app_event(4, 3, 2, 0));
  EXPECT_EQ(scan_events(*ledger_, events[2].timestamp + 1).size(), 0u);
  close();

  // Restart (snapshot + replay proves the records byte for byte), then a projection rebuild.
  open(options);
  EXPECT_EQ(scan_events(*ledger_).size(), 3u);
  EXPECT_EQ(balance(3), 290);
  close();
  {
    auto storage = store::sqlite::SqliteLedgerStorage::open({directory_.path()}, clock_);
    ASSERT_TRUE(storage.ok());
    ASSERT_TRUE((*storage)->projection_reset().ok());
  }
  open(options);
  auto rebuilt = scan_events(*ledger_);
  ASSERT_EQ(rebuilt.size(), 3u);
  EXPECT_EQ(rebuilt[0].event, app_event(1, 1, 5, 300));
  EXPECT_EQ(rebuilt[2].event, app_event(5, 4, 3, 0));
}

TEST_F(SqliteLedgerTest, EventPayloadsTravelWithTheirEventsThroughReplayAndRebuild) {
  ledger::LedgerOptions options;
  options.snapshot_interval_batches = 1000;  // the restart replays every batch
  open(options);
  create_accounts_sync(*ledger_, {funding(1), wallet(2)});
  // Sizes around the 96-byte chunk, the largest allowed, and bytes of every value.
  std::vector<std::string> payloads = {"", "x", std::string(96, 'a'), std::string(97, 'b'),
                                       std::string(ledger::kAppEventPayloadBytesMax, 'c')};
  std::string every_byte;
  for (int i = 0; i < 256; ++i) every_byte.push_back(static_cast<char>(i));
  payloads.push_back(every_byte);
  std::vector<ledger::AppEvent> sent;
  for (size_t i = 0; i < payloads.size(); ++i) {
    ledger::AppEvent event = app_event(10 + i, 10 + i, 1, 0);
    event.payload = payloads[i];
    sent.push_back(event);
  }
  // Two at once (each event's payload follows it), then the rest one by one.
  auto first = testing::submit_with_events_sync(*ledger_, {}, {sent[0], sent[3]});
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].result, 0);
  EXPECT_EQ(first[1].result, 0);
  for (size_t i : {1u, 2u, 4u, 5u}) {
    auto outcome = testing::submit_with_events_sync(*ledger_, {}, {sent[i]});
    ASSERT_EQ(outcome.size(), 1u);
    EXPECT_EQ(outcome[0].result, 0);
  }
  // A payload event riding on a refused transfer is not applied, and its payload goes nowhere.
  ledger::AppEvent refused = app_event(30, 30, 1, 0);
  refused.payload = std::string(200, 'r');
  auto overdraft = testing::submit_with_events_sync(*ledger_, {transfer(1, 2, 1, 5)}, {refused});
  ASSERT_EQ(overdraft.size(), 2u);
  EXPECT_EQ(overdraft[1].result, 1);
  // Too large: refused before it reaches the journal.
  ledger::AppEvent huge = app_event(31, 31, 1, 0);
  huge.payload = std::string(ledger::kAppEventPayloadBytesMax + 1, 'h');
  Status too_large = ledger_->submit_with_events({}, {huge}, [](auto) {});
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.error().code, "payload_too_large");

  auto expect_all = [&](const char* when) {
    SCOPED_TRACE(when);
    std::map<Id128, std::string> seen;
    for (const ledger::AppEventRecord& record : scan_events(*ledger_)) {
      seen[record.event.id] = record.event.payload;
    }
    ASSERT_EQ(seen.size(), sent.size());
    for (const ledger::AppEvent& event : sent) EXPECT_EQ(seen[event.id], event.payload);
  };
  wait_for_projection();
  expect_all("as projected");
  close();
  open(options);
  expect_all("after a replay");
  close();
  {
    auto storage = store::sqlite::SqliteLedgerStorage::open({directory_.path()}, clock_);
    ASSERT_TRUE(storage.ok());
    ASSERT_TRUE((*storage)->projection_reset().ok());
  }
  open(options);
  expect_all("after a rebuild from the journal");
}

TEST_F(SqliteLedgerTest, HistoryPagesWithACursorInBothOrders) {
  open();
  create_accounts_sync(*ledger_, {funding(1), wallet(2)});
  for (uint64_t i = 1; i <= 7; ++i) create_transfers_sync(*ledger_, {transfer(i, 1, 2, 1)});
  ledger::HistoryQuery query;
  query.limit = 3;
  std::vector<Id128> seen;
  while (true) {
    auto page = ledger_->account_transfers(account_id(2), query);
    ASSERT_TRUE(page.ok());
    for (const auto& r : *page) seen.push_back(r.entry.id);
    if (page->size() < query.limit) break;
    query.after_timestamp = page->back().entry.timestamp;
  }
  ASSERT_EQ(seen.size(), 7u);
  for (uint64_t i = 0; i < 7; ++i) EXPECT_EQ(seen[i], transfer_id(i + 1).value());

  query = {};
  query.limit = 2;
  query.order = ledger::HistoryOrder::descending;
  auto newest = ledger_->account_transfers(account_id(2), query);
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ(newest->at(0).entry.id, transfer_id(7).value());
  query.after_timestamp = newest->back().entry.timestamp;
  auto next = ledger_->account_transfers(account_id(2), query);
  EXPECT_EQ(next->at(0).entry.id, transfer_id(5).value());
}

TEST_F(SqliteLedgerTest, ACorruptedJournalRecordStopsTheStart) {
  open();
  create_accounts_sync(*ledger_, {funding(1), wallet(2)});
  create_transfers_sync(*ledger_, {transfer(1, 1, 2, 100)});
  close();
  // Flip one byte inside the last batch, behind the store's back, and remove snapshots so that
  // start-up must replay it.
  std::filesystem::remove_all(directory_.path() + "/snapshots");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((directory_.path() + "/journal.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE journal SET record = substr(record, 1, 200) || x'FF' || "
                         "substr(record, 202) WHERE seq = (SELECT max(seq) FROM journal)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  // Projections are already past it, so make them rebuild too.
  {
    auto storage = store::sqlite::SqliteLedgerStorage::open({directory_.path()}, clock_);
    ASSERT_TRUE((*storage)->projection_reset().ok());
  }
  auto storage = store::sqlite::SqliteLedgerStorage::open({directory_.path()}, clock_);
  ASSERT_TRUE(storage.ok());
  auto opened = ledger::Ledger::open({}, **storage, clock_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, "journal_corrupt");
}

}  // namespace
}  // namespace mpay
