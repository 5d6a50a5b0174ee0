// The journal's WAL stays bounded: SQLite restarts a WAL only once a checkpoint has caught up with
// its last frame, which never happens under steady load, so SqliteLedgerStorage starts it over
// (RESTART) past half of journal_wal_bytes_max, and SQLite cuts a longer file back to that size
// (journal_size_limit) at the first commit after the restart.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_database.h"
#include "store/sqlite/sqlite_ledger_storage.h"
#include "support/temp_directory.h"

namespace mpay::store::sqlite {
namespace {

namespace fs = std::filesystem;

uint64_t wal_size(const std::string& directory) {
  std::error_code ec;
  uint64_t size = fs::file_size(fs::path(directory) / "journal.db-wal", ec);
  return ec ? 0 : size;
}

int64_t journal_page_bytes(const std::string& directory) {
  OpenOptions read_only;
  read_only.read_only = true;
  auto db = SqliteDatabase::open((fs::path(directory) / "journal.db").string(), read_only);
  if (!db.ok()) return 0;
  auto pragma = (*db)->prepare("PRAGMA page_size");
  if (!pragma.ok() || !(*pragma)->step().ok()) return 0;
  return (*pragma)->column_int64(0);
}

// A journal.db as an older mpay created it, with 64 KiB pages.
void create_journal_with_64_kib_pages(const std::string& directory, Clock& clock) {
  OpenOptions options;
  options.page_size_bytes = 64 * 1024;
  auto db = SqliteDatabase::open((fs::path(directory) / "journal.db").string(), options);
  ASSERT_TRUE(db.ok()) << db.error().message;
  ASSERT_TRUE(migrate(**db, journal_migrations(), clock.now_ns()).ok());
}

TEST(JournalWal, ANewJournalHas16KibPagesAndAnOlderOneKeepsItsOwn) {
  SystemClock clock;
  testing::TempDirectory fresh;
  SqliteStorageOptions options;
  options.directory = fresh.path();
  ASSERT_TRUE(SqliteLedgerStorage::open(options, clock).ok());
  EXPECT_EQ(journal_page_bytes(fresh.path()), 16 * 1024);

  testing::TempDirectory older;
  create_journal_with_64_kib_pages(older.path(), clock);
  options.directory = older.path();
  auto storage = SqliteLedgerStorage::open(options, clock);
  ASSERT_TRUE(storage.ok()) << storage.error().message;
  std::vector<std::byte> bytes(1000, std::byte{0x11});
  ASSERT_TRUE((*storage)->journal_append(std::vector<ledger::JournalRecordRef>{{1, bytes}}).ok());
  storage->reset();
  EXPECT_EQ(journal_page_bytes(older.path()), 64 * 1024);
}

// The bound holds for either page size: the WAL's length is counted in the file's own pages.
class JournalWalBound : public ::testing::TestWithParam<bool> {};

TEST_P(JournalWalBound, APastTheLimitWalIsStartedOverAndCutBackAndTheJournalKeepsEveryRecord) {
  testing::TempDirectory directory;
  SystemClock clock;
  bool older_file = GetParam();
  if (older_file) create_journal_with_64_kib_pages(directory.path(), clock);
  SqliteStorageOptions options;
  options.directory = directory.path();
  options.journal_wal_bytes_max = 1024 * 1024;
  auto storage = SqliteLedgerStorage::open(options, clock);
  ASSERT_TRUE(storage.ok()) << storage.error().message;

  // 24 MiB of journal, in batches of eight 32 KiB records: three times the checkpoint interval.
  std::vector<std::byte> bytes(32 * 1024, std::byte{0x5a});
  uint64_t seq = 0;
  for (int batch = 0; batch < 96; ++batch) {
    std::vector<ledger::JournalRecordRef> records;
    for (int i = 0; i < 8; ++i) records.push_back({++seq, bytes});
    ASSERT_TRUE((*storage)->journal_append(records).ok());
  }
  ASSERT_GT(wal_size(directory.path()), options.journal_wal_bytes_max)
      << "the writes outran the checkpointer";
  // The checkpointer looks at least once a second; the cut happens at the commit after a restart,
  // so small commits go on meanwhile, as they would under load.
  std::vector<std::byte> small(512, std::byte{0x33});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (wal_size(directory.path()) > options.journal_wal_bytes_max &&
         std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(
        (*storage)->journal_append(std::vector<ledger::JournalRecordRef>{{++seq, small}}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_LE(wal_size(directory.path()), options.journal_wal_bytes_max);
  // Started over in place: the file keeps its blocks for the next commits to overwrite (emptying
  // it, as TRUNCATE does, would leave it one frame long).
  EXPECT_GT(wal_size(directory.path()), options.journal_wal_bytes_max / 2)
      << wal_size(directory.path());

  // Nothing was lost by the truncation, also across a reopen.
  storage->reset();
  auto reopened = SqliteLedgerStorage::open(options, clock);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->journal_last_seq(), seq);
  uint64_t read = 0;
  ASSERT_TRUE((*reopened)
                  ->journal_read(1, seq,
                                 [&](uint64_t, std::span<const std::byte> record) {
                                   ++read;
                                   EXPECT_TRUE(record.size() == bytes.size() ||
                                               record.size() == small.size());
                                   return ok_status();
                                 })
                  .ok());
  EXPECT_EQ(read, seq);
}

INSTANTIATE_TEST_SUITE_P(PageSizes, JournalWalBound, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Older64KibPages" : "New16KibPages";
                         });

}  // namespace
}  // namespace mpay::store::sqlite
