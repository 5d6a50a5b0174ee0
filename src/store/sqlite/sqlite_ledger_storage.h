// LedgerStorage on SQLite: the embedded default store.
//
// Files under the data directory:
//   journal.db      the journal: one row per batch, the truth. WAL mode, synchronous=FULL (a commit
//                   is durable when it returns), 16 KiB pages because each row is a large record.
//                   Checkpointed off the commit path; the WAL is started over (reused, so that
//                   commits overwrite it rather than lengthen it) past half of
//                   journal_wal_bytes_max, and never kept longer than that. Under load the
//                   checkpointer lengthens it with zeros ahead of its frames (wal_headroom.h), so
//                   that commits overwrite it from the start, not only once it has been reused.
//   mpay.db         the ordinary tables (users, merchants, ... as later issues add them).
//   projections.db  the query projections; can be deleted and rebuilt from the journal.
//   snapshots/      snapshot-<seq>.bin files, written atomically (temp file, fsync, rename); the
//                   newest two are kept.
// Separate files keep the journal's write lock free of other traffic (SQLite has one writer per
// file) and let each file have the page size that suits it. Thread-safe: the journal and the
// projection writer each own a connection behind a mutex; reads borrow a connection from a small
// pool.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "ledger/storage.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::store::sqlite {

struct SqliteStorageOptions {
  std::string directory = "./data";
  size_t reader_connections = 4;
  bool synchronous_full = true;  // false only for tools that rebuild rebuildable things
  // Above half this size the journal's WAL is checkpointed in full and started over; a WAL file
  // longer than this is cut back to it when it starts over (see checkpoint_loop).
  uint64_t journal_wal_bytes_max = 64ull * 1024 * 1024;
};

class SqliteLedgerStorage final : public ledger::LedgerStorage {
 public:
  // Creates the directory and databases if needed and applies migrations.
  static Result<std::unique_ptr<SqliteLedgerStorage>> open(SqliteStorageOptions options,
                                                          Clock& clock);
  ~SqliteLedgerStorage() override;

  Result<uint64_t> journal_last_seq() override;
  Status journal_append(std::span<const ledger::JournalRecordRef> records) override;
  Status journal_read(
      uint64_t from_seq, uint64_t to_seq,
      const std::function<Status(uint64_t, std::span<const std::byte>)>& visit) override;

  Status snapshot_save(uint64_t seq, std::span<const std::byte> image) override;
  Result<std::optional<ledger::StoredSnapshot>> snapshot_load_latest() override;

  Result<uint64_t> projection_applied_seq() override;
  Status projection_apply(const ledger::ProjectionWrite& write) override;
  Status projection_reset() override;
  Result<std::optional<ledger::TransferRecord>> projection_find_transfer(
      const TransferId& id) override;
  Result<std::optional<ledger::TransferRecord>> projection_find_failed(const TransferId& id) override;
  Result<std::vector<ledger::TransferRecord>> projection_account_transfers(
      const AccountId& account_id, const ledger::HistoryQuery& query) override;
  Result<std::optional<ledger::AccountState>> projection_find_account(const AccountId& id) override;
  Result<uint64_t> projection_id_count() override;
  Status projection_scan_ids(uint64_t up_to_seq,
                             const std::function<void(const Id128&)>& visit) override;
  Status projection_scan_app_events(
      int64_t from_timestamp,
      const std::function<Status(const ledger::AppEventRecord&)>& visit) override;

  const std::string& directory() const { return options_.directory; }

 private:
  using ReaderLease = ReaderPool::Lease;

  SqliteLedgerStorage(SqliteStorageOptions options, Clock& clock)
      : options_(std::move(options)), clock_(clock) {}
  Status open_databases();
  ReaderLease borrow_reader() { return readers_.borrow(); }
  Status apply_projection_locked(const ledger::ProjectionWrite& write);

  SqliteStorageOptions options_;
  Clock& clock_;

  std::unique_ptr<SqliteDatabase> main_db_;

  std::mutex journal_mutex_;
  std::unique_ptr<SqliteDatabase> journal_db_;
  uint64_t journal_last_seq_ = 0;

  std::mutex projection_mutex_;
  std::unique_ptr<SqliteDatabase> projection_db_;

  ReaderPool readers_;  // on projections.db

  std::mutex snapshot_mutex_;

  // Journal checkpoints run on their own thread and connection, so that copying the WAL into the
  // database file (and syncing it) never sits in a commit's path.
  void checkpoint_loop();
  void keep_wal_headroom(uint64_t wal_end);
  bool wal_headroom_failing_ = false;  // checkpointer thread only
  std::unique_ptr<SqliteDatabase> checkpoint_db_;
  std::thread checkpointer_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_cv_;
  uint64_t wal_bytes_since_checkpoint_ = 0;
  bool checkpoint_stop_ = false;
  // journal.db's page size, read at open: a file keeps the size it was created with.
  uint64_t journal_page_bytes_ = 0;
};

}  // namespace mpay::store::sqlite
