// Group commit for ordinary tables: concurrent callers share transactions, a failing unit is
// rolled back alone, and everything acknowledged is there after reopening.
#include "store/sqlite/group_commit_writer.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/thread_priority.h"
#include "support/temp_directory.h"

namespace mpay::store::sqlite {
namespace {

std::unique_ptr<SqliteDatabase> open_db(const std::string& path) {
  auto db = SqliteDatabase::open(path, OpenOptions{});
  EXPECT_TRUE(db.ok());
  return std::move(*db);
}

int64_t count_rows(const std::string& path) {
  auto db = open_db(path);
  auto select = db->prepare("SELECT count(*) FROM items");
  EXPECT_TRUE(select.ok());
  EXPECT_TRUE((*select)->step().ok());
  return (*select)->column_int64(0);
}

TEST(GroupCommitWriter, ConcurrentWritersShareTransactionsAndFailuresStayAlone) {
  testing::TempDirectory directory;
  std::string path = directory.path() + "/items.db";
  {
    auto db = open_db(path);
    ASSERT_TRUE(db->exec("CREATE TABLE items (id INTEGER PRIMARY KEY, value TEXT NOT NULL)").ok());
  }
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::atomic<int> failures_seen{0};
  {
    GroupCommitWriter writer(open_db(path), {});
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          int64_t id = t * kPerThread + i;
          // Every tenth unit inserts its row and then fails: its row must not survive.
          bool fail = i % 10 == 9;
          Status status = writer.execute([id, fail](SqliteDatabase& db) -> Status {
            auto insert = db.prepare("INSERT INTO items (id, value) VALUES (?, 'x')");
            if (!insert.ok()) return insert.error();
            Status inserted = (*insert)->bind(1, id).run();
            if (!inserted.ok()) return inserted;
            if (fail) return Error("test_failure", "deliberate");
            return ok_status();
          });
          if (fail) {
            EXPECT_EQ(status.ok() ? "" : status.error().code, "test_failure");
            ++failures_seen;
          } else {
            EXPECT_TRUE(status.ok());
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(writer.units(), static_cast<uint64_t>(kThreads * kPerThread));
    EXPECT_LT(writer.commits(), writer.units()) << "no two units ever shared a transaction";
  }
  EXPECT_EQ(failures_seen.load(), kThreads * kPerThread / 10);
  EXPECT_EQ(count_rows(path), kThreads * kPerThread * 9 / 10);
}

// What PRAGMA synchronous says inside a unit: 1 = NORMAL, 2 = FULL.
Status read_sync_level(SqliteDatabase& db, int64_t& level) {
  auto pragma = db.prepare("PRAGMA synchronous");
  if (!pragma.ok()) return pragma.error();
  Result<bool> row = (*pragma)->step();
  if (!row.ok()) return row.error();
  level = (*pragma)->column_int64(0);
  (*pragma)->reset();
  return ok_status();
}

TEST(GroupCommitWriter, DurableUnitsOnANormalSyncConnectionCommitWithFullSync) {
  testing::TempDirectory directory;
  OpenOptions open_options;
  open_options.synchronous_full = false;
  auto db = SqliteDatabase::open(directory.path() + "/outbox.db", open_options);
  ASSERT_TRUE(db.ok());
  GroupCommitWriter::Options options;
  options.synchronous_normal = true;
  GroupCommitWriter writer(std::move(*db), options);
  int64_t plain = 0, durable = 0, after = 0;
  ASSERT_TRUE(writer.execute([&](SqliteDatabase& d) { return read_sync_level(d, plain); }).ok());
  ASSERT_TRUE(writer.execute_durable([&](SqliteDatabase& d) { return read_sync_level(d, durable); }).ok());
  ASSERT_TRUE(writer.execute([&](SqliteDatabase& d) { return read_sync_level(d, after); }).ok());
  EXPECT_EQ(plain, 1);
  EXPECT_EQ(durable, 2);
  EXPECT_EQ(after, 1) << "the sync level stays raised after the durable unit";
}

// With a gather time, units from two threads that arrive apart (well within it) share one
// transaction; without one, the first commits before the second arrives.
TEST(GroupCommitWriter, AGatherTimeLetsUnitsArrivingApartShareOneCommit) {
  for (int64_t gather_ns : {int64_t{0}, int64_t{1'000'000'000}}) {
    testing::TempDirectory directory;
    std::string path = directory.path() + "/gather.db";
    {
      auto db = open_db(path);
      ASSERT_TRUE(db->exec("CREATE TABLE items (n INTEGER NOT NULL)").ok());
    }
    GroupCommitWriter::Options options;
    options.gather_ns = gather_ns;
    GroupCommitWriter writer(open_db(path), options);
    auto insert = [&writer](int n) {
      return writer.execute([n](SqliteDatabase& db) {
        auto statement = db.prepare("INSERT INTO items (n) VALUES (?)");
        if (!statement.ok()) return Status(statement.error());
        return (*statement)->bind(1, int64_t{n}).run();
      });
    };
    std::thread first([&] { EXPECT_TRUE(insert(1).ok()); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(insert(2).ok());
    first.join();
    EXPECT_EQ(writer.units(), 2u);
    EXPECT_EQ(writer.commits(), gather_ns == 0 ? 2u : 1u) << "gather_ns " << gather_ns;
    EXPECT_EQ(count_rows(path), 2);
  }
}

// Units arriving while the writer gathers do not wake it one by one, but a full group does: it
// is written at once, not after the gather time (here far longer than the test may take).
TEST(GroupCommitWriter, AFullGroupIsWrittenWithoutWaitingOutTheGatherTime) {
  testing::TempDirectory directory;
  std::string path = directory.path() + "/full.db";
  {
    auto db = open_db(path);
    ASSERT_TRUE(db->exec("CREATE TABLE items (n INTEGER NOT NULL)").ok());
  }
  GroupCommitWriter::Options options;
  options.gather_ns = int64_t{3600} * 1'000'000'000;
  options.units_per_commit_max = 4;
  GroupCommitWriter writer(open_db(path), options);
  std::vector<std::thread> threads;
  for (int n = 0; n < 4; ++n) {
    threads.emplace_back([&writer, n] {
      EXPECT_TRUE(writer
                      .execute([n](SqliteDatabase& db) {
                        auto statement = db.prepare("INSERT INTO items (n) VALUES (?)");
                        if (!statement.ok()) return Status(statement.error());
                        return (*statement)->bind(1, int64_t{n}).run();
                      })
                      .ok());
    });
  }
  for (std::thread& thread : threads) thread.join();  // hangs for an hour if the group waited
  EXPECT_EQ(writer.units(), 4u);
  EXPECT_EQ(writer.commits(), 1u);
  EXPECT_EQ(count_rows(path), 4);
}

// A store nobody waits for yields the CPU: the writer thread carries the name and nice value it
// was given, and the caller's thread keeps its own.
TEST(GroupCommitWriter, TheWriterThreadHasTheGivenNameAndPriority) {
  testing::TempDirectory directory;
  GroupCommitWriter::Options options;
  options.thread_name = "test-writer";
  options.thread_nice = 7;
  GroupCommitWriter writer(open_db(directory.path() + "/named.db"), options);
  int caller_nice = current_thread_nice();
  int writer_nice = -1;
  char writer_name[16] = {};
  ASSERT_TRUE(writer
                  .execute([&](SqliteDatabase&) {
                    writer_nice = current_thread_nice();
                    pthread_getname_np(pthread_self(), writer_name, sizeof writer_name);
                    return ok_status();
                  })
                  .ok());
  EXPECT_EQ(writer_nice, 7);
  EXPECT_STREQ(writer_name, "test-writer");
  EXPECT_EQ(current_thread_nice(), caller_nice);
}

}  // namespace
}  // namespace mpay::store::sqlite
