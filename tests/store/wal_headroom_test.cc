// The journal's WAL is lengthened with zeros ahead of its writer (store/sqlite/wal_headroom.h), so
// that commits overwrite blocks instead of making the file longer. These tests check that SQLite
// never takes the zeros for frames, live or after a crash, and that under load the journal's
// commits stop lengthening the file.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "store/sqlite/sqlite_database.h"
#include "store/sqlite/sqlite_ledger_storage.h"
#include "store/sqlite/wal_headroom.h"
#include "support/temp_directory.h"

namespace mpay::store::sqlite {
namespace {

namespace fs = std::filesystem;

uint64_t file_size_or_zero(const fs::path& path) {
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

std::unique_ptr<SqliteDatabase> open_table(const fs::path& path) {
  OpenOptions options;
  options.wal_autocheckpoint_pages = 0;  // every row stays in the WAL, as under load
  auto db = SqliteDatabase::open(path.string(), options);
  EXPECT_TRUE(db.ok()) << db.error().message;
  if (!db.ok()) return nullptr;
  EXPECT_TRUE((*db)->exec("CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY, v BLOB)").ok());
  return std::move(*db);
}

void insert_rows(SqliteDatabase& db, int from, int to) {
  std::vector<std::byte> value(3000, std::byte{0x42});
  for (int n = from; n < to; ++n) {
    auto insert = db.prepare("INSERT INTO t (n, v) VALUES (?, ?)");
    ASSERT_TRUE(insert.ok());
    ASSERT_TRUE((*insert)->bind(1, n).bind_blob(2, value).run().ok());
  }
}

int64_t count_rows(SqliteDatabase& db) {
  auto select = db.prepare("SELECT count(*), coalesce(sum(length(v)), 0) FROM t");
  EXPECT_TRUE(select.ok());
  auto row = (*select)->step();
  EXPECT_TRUE(row.ok() && *row);
  EXPECT_EQ((*select)->column_int64(1), (*select)->column_int64(0) * 3000) << "a row was damaged";
  return (*select)->column_int64(0);
}

TEST(WalHeadroom, ZerosPastTheEndAreNeverReadAsFramesLiveOrAfterACrash) {
  testing::TempDirectory directory;
  fs::path db_path = fs::path(directory.path()) / "t.db";
  fs::path wal_path = db_path.string() + "-wal";
  std::unique_ptr<SqliteDatabase> db = open_table(db_path);
  ASSERT_TRUE(db);
  insert_rows(*db, 0, 100);
  uint64_t wal_before = file_size_or_zero(wal_path);
  ASSERT_GT(wal_before, 0u);

  std::mutex writer_mutex;
  uint64_t target = wal_before + 3 * 1024 * 1024 + 123;  // not a whole number of chunks
  auto lengthened = lengthen_wal_with_zeros(wal_path.string(), target, writer_mutex);
  ASSERT_TRUE(lengthened.ok()) << lengthened.error().message;
  EXPECT_EQ(lengthened->length_before, wal_before);
  EXPECT_EQ(lengthened->bytes_added, target - wal_before);
  EXPECT_EQ(file_size_or_zero(wal_path), target);

  // New commits overwrite the zeros and do not lengthen the file.
  insert_rows(*db, 100, 200);
  EXPECT_EQ(file_size_or_zero(wal_path), target);
  EXPECT_EQ(count_rows(*db), 200);

  // A crash image: the files as they are on disk while the writer is still open (its commits
  // were synced). A new process recovers the WAL's frames and stops at the zeros.
  testing::TempDirectory crashed;
  fs::path copy = fs::path(crashed.path()) / "t.db";
  fs::copy_file(db_path, copy);
  fs::copy_file(wal_path, copy.string() + "-wal");
  std::unique_ptr<SqliteDatabase> recovered = open_table(copy);
  ASSERT_TRUE(recovered);
  EXPECT_EQ(count_rows(*recovered), 200);
  insert_rows(*recovered, 200, 210);
  EXPECT_EQ(count_rows(*recovered), 210);
}

TEST(WalHeadroom, AMissingOrLongEnoughFileIsLeftAlone) {
  testing::TempDirectory directory;
  std::mutex writer_mutex;
  fs::path missing = fs::path(directory.path()) / "none.db-wal";
  auto none = lengthen_wal_with_zeros(missing.string(), 1 << 20, writer_mutex);
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none->bytes_added, 0u);
  EXPECT_FALSE(fs::exists(missing)) << "the file is SQLite's to create";

  fs::path db_path = fs::path(directory.path()) / "t.db";
  std::unique_ptr<SqliteDatabase> db = open_table(db_path);
  ASSERT_TRUE(db);
  insert_rows(*db, 0, 10);
  fs::path wal_path = db_path.string() + "-wal";
  uint64_t size = file_size_or_zero(wal_path);
  auto shorter = lengthen_wal_with_zeros(wal_path.string(), size / 2, writer_mutex);
  ASSERT_TRUE(shorter.ok());
  EXPECT_EQ(shorter->bytes_added, 0u);
  EXPECT_EQ(file_size_or_zero(wal_path), size);
}

// Under load, the journal's checkpointer keeps the WAL file ahead of its frames; a light load (a
// test, a quiet server) writes no zeros.
TEST(WalHeadroom, TheJournalsWalIsKeptAheadOfItsCommitsUnderLoadOnly) {
  testing::TempDirectory directory;
  SystemClock clock;
  SqliteStorageOptions options;
  options.directory = directory.path();
  auto storage = SqliteLedgerStorage::open(options, clock);
  ASSERT_TRUE(storage.ok()) << storage.error().message;
  fs::path wal_path = fs::path(directory.path()) / "journal.db-wal";

  std::vector<std::byte> record(32 * 1024, std::byte{0x5a});
  uint64_t seq = 0;
  auto append_bytes = [&](uint64_t total) {
    for (uint64_t done = 0; done < total; done += 8 * record.size()) {
      std::vector<ledger::JournalRecordRef> records;
      for (int i = 0; i < 8; ++i) records.push_back({++seq, record});
      ASSERT_TRUE((*storage)->journal_append(records).ok());
    }
  };

  // Light: 1 MiB, and more than a checkpoint round (at most a second) to look at it.
  append_bytes(1 << 20);
  uint64_t light = file_size_or_zero(wal_path);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(file_size_or_zero(wal_path), light) << "zeros written under a light load";

  // Load: 10 MiB, past the point where the checkpointer keeps headroom.
  append_bytes(10 << 20);
  uint64_t loaded = file_size_or_zero(wal_path);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (file_size_or_zero(wal_path) < loaded + (8 << 20) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  uint64_t ahead = file_size_or_zero(wal_path);
  ASSERT_GE(ahead, loaded + (8 << 20)) << "the WAL was not lengthened ahead of its writer";
  EXPECT_LE(ahead, options.journal_wal_bytes_max);

  // Commits go on over the zeros (that they then do not lengthen the file is the first test's),
  // and the journal reads back whole across a reopen.
  append_bytes(4 << 20);
  storage->reset();
  auto reopened = SqliteLedgerStorage::open(options, clock);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(*(*reopened)->journal_last_seq(), seq);
  uint64_t read = 0;
  ASSERT_TRUE((*reopened)
                  ->journal_read(1, seq,
                                 [&](uint64_t, std::span<const std::byte> bytes) {
                                   ++read;
                                   EXPECT_EQ(bytes.size(), record.size());
                                   return ok_status();
                                 })
                  .ok());
  EXPECT_EQ(read, seq);
}

}  // namespace
}  // namespace mpay::store::sqlite
