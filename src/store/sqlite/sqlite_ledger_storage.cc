#include "store/sqlite/sqlite_ledger_storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "store/sqlite/migrations.h"
#include "store/sqlite/wal_headroom.h"

namespace mpay::store::sqlite {
namespace {

namespace fs = std::filesystem;
using ledger::JournalEntry;
using ledger::TransferRecord;

constexpr const char* kTransferColumns =
    "t.timestamp, t.id, t.seq, t.debit_account_id, t.credit_account_id, t.pending_id, t.amount, "
    "t.amount_applied, t.amount_released, t.user_data, t.timeout_s, t.currency, t.code, t.flags, "
    "t.defaulted, t.status, t.resolved_timestamp";
constexpr size_t kSnapshotsKept = 2;
constexpr uint64_t kCheckpointEveryBytes = 8 * 1024 * 1024;  // written to the WAL, about
// Pages for new journal files. Large, as each row is a whole batch's record; but each commit
// writes its last page whole (checksummed, copied, synced), so not larger than a typical
// request-to-pay batch: 64 KiB pages (until 2026-12-05) wrote 72 KiB per commit there, 16 KiB
// pages 26 KiB, and the big batches of the ledger benchmark lost nothing (docs/performance.md).
// Files created with another size keep it.
constexpr uint64_t kJournalPageBytes = 16 * 1024;
constexpr uint64_t kWalFrameHeaderBytes = 24;
constexpr uint64_t kWalHeaderBytes = 32;
constexpr uint64_t kWalHeadroomFromBytes = 4 * 1024 * 1024;
constexpr uint64_t kWalHeadroomBytes = 2 * kCheckpointEveryBytes;

TransferRecord read_transfer_row(const Statement& row) {
  TransferRecord record;
  JournalEntry& e = record.entry;
  e = ledger::make_entry(ledger::EntryType::create_transfer);
  e.timestamp = row.column_int64(0);
  e.id = row.column_id(1);
  record.seq = static_cast<uint64_t>(row.column_int64(2));
  e.debit_account_id = row.column_id(3);
  e.credit_account_id = row.column_id(4);
  e.pending_id = row.column_id(5);
  e.amount = row.column_int64(6);
  e.amount_applied = row.column_int64(7);
  e.amount_released = row.column_int64(8);
  e.user_data = static_cast<uint64_t>(row.column_int64(9));
  e.timeout_s = static_cast<uint32_t>(row.column_int64(10));
  e.currency = static_cast<uint16_t>(row.column_int64(11));
  e.code = static_cast<uint16_t>(row.column_int64(12));
  e.flags = static_cast<uint16_t>(row.column_int64(13));
  e.defaulted = static_cast<uint8_t>(row.column_int64(14));
  record.status = static_cast<ledger::PendingStatus>(row.column_int64(15));
  record.resolved_timestamp = row.column_int64(16);
  return record;
}

Error io_error(const std::string& what) {
  return Error("store_error", what + ": " + std::strerror(errno));
}

Status fsync_path(const fs::path& path, bool directory) {
  int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return io_error("open " + path.string());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return io_error("fsync " + path.string());
  return ok_status();
}

Status write_file_durably(const fs::path& path, std::span<const std::byte> bytes) {
  fs::path temporary = path;
  temporary += ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return io_error("create " + temporary.string());
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error error = io_error("write " + temporary.string());
      ::close(fd);
      return error;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Error error = io_error("fsync " + temporary.string());
    ::close(fd);
    return error;
  }
  ::close(fd);
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) return Error("store_error", "rename " + temporary.string() + ": " + ec.message());
  return fsync_path(path.parent_path(), /*directory=*/true);
}

// snapshot-00000000000000000042.bin -> 42
std::optional<uint64_t> snapshot_seq_of(const fs::path& path) {
  std::string name = path.filename().string();
  const std::string prefix = "snapshot-", suffix = ".bin";
  if (name.size() != prefix.size() + 20 + suffix.size() || name.rfind(prefix, 0) != 0 ||
      name.substr(name.size() - suffix.size()) != suffix) {
    return std::nullopt;
  }
  std::string digits = name.substr(prefix.size(), 20);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoull(digits);
}

std::vector<std::pair<uint64_t, fs::path>> list_snapshots(const fs::path& directory) {
  std::vector<std::pair<uint64_t, fs::path>> found;
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(directory, ec)) {
    if (auto seq = snapshot_seq_of(item.path())) found.emplace_back(*seq, item.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

Result<std::unique_ptr<SqliteLedgerStorage>> SqliteLedgerStorage::open(SqliteStorageOptions options,
                                                                      Clock& clock) {
  std::error_code ec;
  fs::create_directories(fs::path(options.directory) / "snapshots", ec);
  if (ec) {
    return Error("store_error", "cannot create data directory " + options.directory + ": " + ec.message());
  }
  std::unique_ptr<SqliteLedgerStorage> storage(new SqliteLedgerStorage(std::move(options), clock));
  Status opened = storage->open_databases();
  if (!opened.ok()) return opened.error();
  return storage;
}

SqliteLedgerStorage::~SqliteLedgerStorage() {
  {
    std::lock_guard lock(checkpoint_mutex_);
    checkpoint_stop_ = true;
  }
  checkpoint_cv_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
}

void SqliteLedgerStorage::checkpoint_loop() {
  while (true) {
    {
      std::unique_lock lock(checkpoint_mutex_);
      checkpoint_cv_.wait_for(lock, std::chrono::seconds(1), [this] {
        return checkpoint_stop_ || wal_bytes_since_checkpoint_ >= kCheckpointEveryBytes;
      });
      if (wal_bytes_since_checkpoint_ == 0 && !checkpoint_stop_) continue;
      wal_bytes_since_checkpoint_ = 0;
    }
    // PASSIVE never waits for the writer; frames appended meanwhile go in the next round. A
    // failure is only logged by the next round's success or the next start: the journal's
    // durability comes from the WAL, not from checkpoints. It answers how many frames the WAL
    // holds since it last started over.
    int64_t wal_frames = 0;
    Result<std::unique_ptr<Statement>> passive =
        checkpoint_db_->prepare("PRAGMA wal_checkpoint(PASSIVE)");
    if (passive.ok()) {
      Result<bool> row = (*passive)->step();
      if (row.ok() && *row) wal_frames = (*passive)->column_int64(1);  // busy, log, checkpointed
      (*passive)->reset();
    }
    // Under steady load PASSIVE never catches up with the last frame, so SQLite never starts the
    // WAL over and it grows without end (400 MB in 20 s under the request-to-pay benchmark). Past
    // half the limit, RESTART copies the few frames left and waits for readers, so that the next
    // commit writes the WAL from its start again. It holds the writer meanwhile, so it may wait for
    // readers only briefly (the connection's busy timeout, set at open); if they are slow it gives
    // up and the next round tries again.
    //
    // Started over rather than emptied (TRUNCATE, until 2026-12-04): a commit that makes the file
    // longer costs its fdatasync a second synchronous write, of the file's size, on ext4; one that
    // overwrites blocks the file already has does not. Reusing the file took the mean commit from
    // 1.0 to 0.8 ms and the request-to-pay benchmark up 6-18% (docs/performance.md). The file
    // then stays at its high-water mark, cut back to the limit if it ever passes it
    // (journal_size_limit, applied by SQLite at the first commit after a restart). So the WAL's
    // length is read from its frame count, not from the file's size.
    uint64_t wal_bytes =
        static_cast<uint64_t>(wal_frames) * (journal_page_bytes_ + kWalFrameHeaderBytes);
    if (wal_bytes > options_.journal_wal_bytes_max / 2) {
      (void)checkpoint_db_->exec("PRAGMA wal_checkpoint(RESTART)");
    } else {
      keep_wal_headroom(kWalHeaderBytes + wal_bytes);
    }
    std::lock_guard lock(checkpoint_mutex_);
    if (checkpoint_stop_) return;
  }
}

// Past kWalHeadroomFromBytes of frames (a light load never gets there, so a quiet server or a
// test writes no zeros), the WAL file is kept kWalHeadroomBytes longer than its frames, up to
// journal_wal_bytes_max, which SQLite would cut it back to. Two checkpoint rounds' worth of
// headroom: the rounds come every kCheckpointEveryBytes.
void SqliteLedgerStorage::keep_wal_headroom(uint64_t wal_end) {
  if (wal_end < kWalHeadroomFromBytes) return;
  uint64_t target = std::min(options_.journal_wal_bytes_max, wal_end + kWalHeadroomBytes);
  std::string path = (fs::path(options_.directory) / "journal.db-wal").string();
  Result<WalLengthening> lengthened = lengthen_wal_with_zeros(path, target, journal_mutex_);
  bool failed_before = wal_headroom_failing_;
  wal_headroom_failing_ = !lengthened.ok();
  if (!lengthened.ok()) {
    // Only a cost: SQLite lengthens the file itself as it writes, as it does without this. Said
    // once until it works again, not every round (a full disk would fail every second).
    if (!failed_before) {
      spdlog::warn("journal WAL not lengthened ahead of its writer: {}",
                   lengthened.error().message);
    }
  } else if (lengthened->bytes_added > 0) {
    spdlog::debug("journal WAL lengthened from {} to {} bytes ahead of its writer",
                  lengthened->length_before, lengthened->length_before + lengthened->bytes_added);
  }
}

Status SqliteLedgerStorage::open_databases() {
  fs::path directory(options_.directory);
  OpenOptions writer_options;
  writer_options.synchronous_full = options_.synchronous_full;

  Result<std::unique_ptr<SqliteDatabase>> main =
      SqliteDatabase::open((directory / "mpay.db").string(), writer_options);
  if (!main.ok()) return main.error();
  main_db_ = std::move(*main);
  Status migrated = migrate(*main_db_, main_migrations(), clock_.now_ns());
  if (!migrated.ok()) return migrated;

  OpenOptions journal_options = writer_options;
  journal_options.page_size_bytes = kJournalPageBytes;
  journal_options.wal_autocheckpoint_pages = 0;  // checkpoint_loop() does it, off the commit path
  Result<std::unique_ptr<SqliteDatabase>> journal =
      SqliteDatabase::open((directory / "journal.db").string(), journal_options);
  if (!journal.ok()) return journal.error();
  journal_db_ = std::move(*journal);
  Status limited = journal_db_->exec("PRAGMA journal_size_limit=" +
                                     std::to_string(options_.journal_wal_bytes_max));
  if (!limited.ok()) return limited;
  migrated = migrate(*journal_db_, journal_migrations(), clock_.now_ns());
  if (!migrated.ok()) return migrated;
  Result<std::unique_ptr<Statement>> page_size = journal_db_->prepare("PRAGMA page_size");
  if (!page_size.ok()) return page_size.error();
  Result<bool> page_row = (*page_size)->step();
  if (!page_row.ok()) return page_row.error();
  journal_page_bytes_ = static_cast<uint64_t>((*page_size)->column_int64(0));
  (*page_size)->reset();

  // Projections are rebuilt from the journal after a crash, so their commits need not wait for
  // the disk: synchronous=NORMAL keeps them atomic and consistent (WAL) without an fsync per
  // commit, which leaves the disk's sync capacity to the journal.
  OpenOptions projection_options = writer_options;
  projection_options.synchronous_full = false;
  projection_options.cache_kib = 64 * 1024;
  Result<std::unique_ptr<SqliteDatabase>> projections =
      SqliteDatabase::open((directory / "projections.db").string(), projection_options);
  if (!projections.ok()) return projections.error();
  projection_db_ = std::move(*projections);
  migrated = migrate(*projection_db_, projection_migrations(), clock_.now_ns());
  if (!migrated.ok()) return migrated;

  Status readers = readers_.open((directory / "projections.db").string(),
                                 std::max<size_t>(1, options_.reader_connections));
  if (!readers.ok()) return readers;

  Result<std::unique_ptr<SqliteDatabase>> checkpoint =
      SqliteDatabase::open((directory / "journal.db").string(), journal_options);
  if (!checkpoint.ok()) return checkpoint.error();
  checkpoint_db_ = std::move(*checkpoint);
  Status brief = checkpoint_db_->exec("PRAGMA busy_timeout=50");  // see checkpoint_loop()
  if (!brief.ok()) return brief;
  checkpointer_ = std::thread([this] { checkpoint_loop(); });

  Result<std::unique_ptr<Statement>> last = journal_db_->prepare("SELECT coalesce(max(seq), 0) FROM journal");
  if (!last.ok()) return last.error();
  Result<bool> row = (*last)->step();
  if (!row.ok()) return row.error();
  journal_last_seq_ = static_cast<uint64_t>((*last)->column_int64(0));
  return ok_status();
}

// --- journal ---------------------------------------------------------------------------------

Result<uint64_t> SqliteLedgerStorage::journal_last_seq() {
  std::lock_guard lock(journal_mutex_);
  return journal_last_seq_;
}

Status SqliteLedgerStorage::journal_append(std::span<const ledger::JournalRecordRef> records) {
  std::lock_guard lock(journal_mutex_);
  if (records.empty()) return ok_status();
  uint64_t expected = journal_last_seq_ + 1;
  uint64_t bytes = 0;
  for (const ledger::JournalRecordRef& record : records) {
    if (record.seq != expected++) {
      return Error("journal_gap", "batch " + std::to_string(record.seq) + " after " +
                                      std::to_string(expected - 2));
    }
    bytes += record.bytes.size();
  }
  Result<std::unique_ptr<Statement>> insert =
      journal_db_->prepare("INSERT INTO journal (seq, record) VALUES (?, ?)");
  if (!insert.ok()) return insert.error();
  auto insert_all = [&]() -> Status {
    for (const ledger::JournalRecordRef& record : records) {
      Status inserted =
          (*insert)->bind(1, static_cast<int64_t>(record.seq)).bind_blob(2, record.bytes).run();
      (*insert)->reset();
      if (!inserted.ok()) return inserted;
    }
    return ok_status();
  };
  // One record: an INSERT in autocommit mode is its own transaction. Several: one explicit
  // transaction, so one sync of the WAL makes them all durable.
  Status appended = records.size() == 1 ? insert_all() : in_transaction(*journal_db_, insert_all);
  if (!appended.ok()) return appended;
  journal_last_seq_ = records.back().seq;
  bool checkpoint_due;
  {
    std::lock_guard checkpoint_lock(checkpoint_mutex_);
    // What the WAL grew by, about: the records, and the page their rows end on, which each commit
    // writes again whole. Counting the records alone let the WAL grow by some 60 MiB between two
    // checkpoint rounds under load, past its limit before a restart could come.
    wal_bytes_since_checkpoint_ += bytes + journal_page_bytes_;
    checkpoint_due = wal_bytes_since_checkpoint_ >= kCheckpointEveryBytes;
  }
  if (checkpoint_due) checkpoint_cv_.notify_one();  // no wake-up (and context switch) per commit
  return ok_status();
}

Status SqliteLedgerStorage::journal_read(
    uint64_t from_seq, uint64_t to_seq,
    const std::function<Status(uint64_t, std::span<const std::byte>)>& visit) {
  std::lock_guard lock(journal_mutex_);
  Result<std::unique_ptr<Statement>> select = journal_db_->prepare(
      "SELECT seq, record FROM journal WHERE seq >= ? AND seq <= ? ORDER BY seq");
  if (!select.ok()) return select.error();
  (*select)->bind(1, static_cast<int64_t>(from_seq)).bind(2, static_cast<int64_t>(to_seq));
  uint64_t expected = from_seq;
  while (true) {
    Result<bool> row = (*select)->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    uint64_t seq = static_cast<uint64_t>((*select)->column_int64(0));
    if (seq != expected) {
      return Error("journal_corrupt", "journal is missing batch " + std::to_string(expected));
    }
    Status visited = visit(seq, (*select)->column_blob(1));
    if (!visited.ok()) return visited;
    ++expected;
  }
  if (from_seq <= to_seq && expected != to_seq + 1) {
    return Error("journal_corrupt", "journal ends before batch " + std::to_string(to_seq));
  }
  return ok_status();
}

// --- snapshots -------------------------------------------------------------------------------

Status SqliteLedgerStorage::snapshot_save(uint64_t seq, std::span<const std::byte> image) {
  std::lock_guard lock(snapshot_mutex_);
  fs::path directory = fs::path(options_.directory) / "snapshots";
  char name[64];
  std::snprintf(name, sizeof(name), "snapshot-%020llu.bin", static_cast<unsigned long long>(seq));
  Status written = write_file_durably(directory / name, image);
  if (!written.ok()) return written;
  auto snapshots = list_snapshots(directory);
  for (size_t i = 0; i + kSnapshotsKept < snapshots.size(); ++i) {
    std::error_code ec;
    fs::remove(snapshots[i].second, ec);
  }
  return ok_status();
}

Result<std::optional<ledger::StoredSnapshot>> SqliteLedgerStorage::snapshot_load_latest() {
  std::lock_guard lock(snapshot_mutex_);
  auto snapshots = list_snapshots(fs::path(options_.directory) / "snapshots");
  if (snapshots.empty()) return std::optional<ledger::StoredSnapshot>();
  const auto& [seq, path] = snapshots.back();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error("store_error", "cannot read " + path.string());
  ledger::StoredSnapshot snapshot;
  snapshot.seq = seq;
  in.seekg(0, std::ios::end);
  snapshot.image.resize(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(snapshot.image.data()), static_cast<std::streamsize>(snapshot.image.size()));
  if (!in) return Error("store_error", "short read of " + path.string());
  return std::optional<ledger::StoredSnapshot>(std::move(snapshot));
}

// --- projections: writes ---------------------------------------------------------------------

Result<uint64_t> SqliteLedgerStorage::projection_applied_seq() {
  std::lock_guard lock(projection_mutex_);
  Result<std::unique_ptr<Statement>> select =
      projection_db_->prepare("SELECT applied_seq FROM projection_state WHERE name = 'ledger'");
  if (!select.ok()) return select.error();
  Result<bool> row = (*select)->step();
  if (!row.ok()) return row.error();
  if (!*row) return Error("store_error", "projection_state row missing");
  return static_cast<uint64_t>((*select)->column_int64(0));
}

Status SqliteLedgerStorage::projection_apply(const ledger::ProjectionWrite& write) {
  std::lock_guard lock(projection_mutex_);
  return in_transaction(*projection_db_, [&] { return apply_projection_locked(write); });
}

Status SqliteLedgerStorage::apply_projection_locked(const ledger::ProjectionWrite& write) {
  SqliteDatabase& db = *projection_db_;

  if (!write.accounts_created.empty()) {
    Result<std::unique_ptr<Statement>> insert = db.prepare(
        "INSERT INTO accounts (id, timestamp, seq, user_data, currency, kind, flags, code) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.error();
    Statement& s = **insert;
    for (const auto& [seq, e] : write.accounts_created) {
      Status ran = s.bind(1, e.id).bind(2, e.timestamp).bind(3, static_cast<int64_t>(seq))
                       .bind(4, static_cast<int64_t>(e.user_data)).bind(5, int64_t{e.currency})
                       .bind(6, int64_t{e.account_kind}).bind(7, int64_t{e.flags})
                       .bind(8, int64_t{e.code}).run();
      s.reset();
      if (!ran.ok()) return ran;
    }
  }

  if (!write.transfers_created.empty()) {
    Result<std::unique_ptr<Statement>> insert = db.prepare(
        "INSERT INTO transfers (timestamp, id, seq, debit_account_id, credit_account_id, "
        "pending_id, amount, amount_applied, amount_released, user_data, timeout_s, currency, "
        "code, flags, defaulted, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!insert.ok()) return insert.error();
    Statement& s = **insert;
    std::vector<std::pair<Id128, int64_t>> ids;
    std::vector<std::pair<Id128, int64_t>> history;
    ids.reserve(write.transfers_created.size());
    history.reserve(write.transfers_created.size() * 2);
    for (const auto& [seq, e] : write.transfers_created) {
      s.bind(1, e.timestamp).bind(2, e.id).bind(3, static_cast<int64_t>(seq))
          .bind(4, e.debit_account_id).bind(5, e.credit_account_id);
      if (e.pending_id.is_zero()) {
        s.bind_null(6);
      } else {
        s.bind(6, e.pending_id);
      }
      bool pending = (e.flags & ledger::transfer_flags::pending) != 0;
      Status ran = s.bind(7, e.amount).bind(8, e.amount_applied).bind(9, e.amount_released)
                       .bind(10, static_cast<int64_t>(e.user_data)).bind(11, int64_t{e.timeout_s})
                       .bind(12, int64_t{e.currency}).bind(13, int64_t{e.code})
                       .bind(14, int64_t{e.flags}).bind(15, int64_t{e.defaulted})
                       .bind(16, static_cast<int64_t>(pending ? ledger::PendingStatus::pending
                                                              : ledger::PendingStatus::none))
                       .run();
      s.reset();
      if (!ran.ok()) return ran;
      ids.emplace_back(e.id, e.timestamp);
      history.emplace_back(e.debit_account_id, e.timestamp);
      history.emplace_back(e.credit_account_id, e.timestamp);
    }
    // Sorted inserts touch each B-tree page once instead of at random.
    std::sort(ids.begin(), ids.end());
    std::sort(history.begin(), history.end());
    Result<std::unique_ptr<Statement>> insert_id =
        db.prepare("INSERT INTO transfer_ids (id, timestamp) VALUES (?, ?)");
    if (!insert_id.ok()) return insert_id.error();
    for (const auto& [id, timestamp] : ids) {
      Status ran = (*insert_id)->bind(1, id).bind(2, timestamp).run();
      (*insert_id)->reset();
      if (!ran.ok()) return ran;
    }
    Result<std::unique_ptr<Statement>> insert_history =
        db.prepare("INSERT INTO account_transfers (account_id, timestamp) VALUES (?, ?)");
    if (!insert_history.ok()) return insert_history.error();
    for (const auto& [account, timestamp] : history) {
      Status ran = (*insert_history)->bind(1, account).bind(2, timestamp).run();
      (*insert_history)->reset();
      if (!ran.ok()) return ran;
    }
  }

  if (!write.transfers_failed.empty()) {
    Result<std::unique_ptr<Statement>> insert = db.prepare(
        "INSERT INTO failed_transfers (id, seq, timestamp, result, debit_account_id, "
        "credit_account_id, pending_id, amount, user_data, timeout_s, currency, code, flags) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!insert.ok()) return insert.error();
    Statement& s = **insert;
    for (const auto& [seq, e] : write.transfers_failed) {
      Status ran = s.bind(1, e.id).bind(2, static_cast<int64_t>(seq)).bind(3, e.timestamp)
                       .bind(4, int64_t{e.result}).bind(5, e.debit_account_id)
                       .bind(6, e.credit_account_id).bind(7, e.pending_id).bind(8, e.amount)
                       .bind(9, static_cast<int64_t>(e.user_data)).bind(10, int64_t{e.timeout_s})
                       .bind(11, int64_t{e.currency}).bind(12, int64_t{e.code})
                       .bind(13, int64_t{e.flags}).run();
      s.reset();
      if (!ran.ok()) return ran;
    }
  }

  if (!write.resolutions.empty()) {
    Result<std::unique_ptr<Statement>> update = db.prepare(
        "UPDATE transfers SET status = ?, resolved_timestamp = ? "
        "WHERE timestamp = (SELECT timestamp FROM transfer_ids WHERE id = ?)");
    if (!update.ok()) return update.error();
    for (const ledger::PendingResolution& r : write.resolutions) {
      Status ran = (*update)->bind(1, static_cast<int64_t>(r.status)).bind(2, r.timestamp)
                       .bind(3, r.pending_id.value()).run();
      (*update)->reset();
      if (!ran.ok()) return ran;
    }
  }

  if (!write.balance_deltas.empty()) {
    Result<std::unique_ptr<Statement>> update = db.prepare(
        "UPDATE accounts SET debits_pending = debits_pending + ?, debits_posted = debits_posted + ?, "
        "credits_pending = credits_pending + ?, credits_posted = credits_posted + ? WHERE id = ?");
    if (!update.ok()) return update.error();
    for (const ledger::BalanceDelta& d : write.balance_deltas) {
      Status ran = (*update)->bind(1, d.delta.debits_pending).bind(2, d.delta.debits_posted)
                       .bind(3, d.delta.credits_pending).bind(4, d.delta.credits_posted)
                       .bind(5, d.account_id.value()).run();
      (*update)->reset();
      if (!ran.ok()) return ran;
    }
  }

  if (!write.app_events.empty()) {
    Result<std::unique_ptr<Statement>> insert = db.prepare(
        "INSERT INTO app_events (timestamp, seq, id, subject_id, ref_id, amount, amount2, "
        "user_data, kind, status, currency, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!insert.ok()) return insert.error();
    Statement& s = **insert;
    for (const ledger::AppEventRecord& r : write.app_events) {
      const ledger::AppEvent& e = r.event;
      Status ran = s.bind(1, r.timestamp)
                       .bind(2, static_cast<int64_t>(r.seq))
                       .bind(3, e.id)
                       .bind(4, e.subject_id)
                       .bind(5, e.ref_id)
                       .bind(6, e.amount)
                       .bind(7, e.amount2)
                       .bind(8, static_cast<int64_t>(e.user_data))
                       .bind(9, int64_t{e.kind})
                       .bind(10, int64_t{e.status})
                       .bind(11, int64_t{e.currency})
                       .bind_blob(12, std::as_bytes(std::span(e.payload.data(), e.payload.size())))
                       .run();
      s.reset();
      if (!ran.ok()) return ran;
    }
  }

  Result<std::unique_ptr<Statement>> state =
      db.prepare("UPDATE projection_state SET applied_seq = ? WHERE name = 'ledger'");
  if (!state.ok()) return state.error();
  return (*state)->bind(1, static_cast<int64_t>(write.applied_seq)).run();
}

Status SqliteLedgerStorage::projection_reset() {
  std::lock_guard lock(projection_mutex_);
  return in_transaction(*projection_db_, [&] {
    return projection_db_->exec(
        "DELETE FROM transfers; DELETE FROM transfer_ids; DELETE FROM account_transfers;"
        "DELETE FROM failed_transfers; DELETE FROM accounts; DELETE FROM app_events;"
        "UPDATE projection_state SET applied_seq = 0 WHERE name = 'ledger';");
  });
}

// --- projections: reads ----------------------------------------------------------------------

Result<std::optional<TransferRecord>> SqliteLedgerStorage::projection_find_transfer(
    const TransferId& id) {
  ReaderLease db = borrow_reader();
  Result<std::unique_ptr<Statement>> select = db->prepare(
      std::string("SELECT ") + kTransferColumns +
      " FROM transfer_ids i JOIN transfers t ON t.timestamp = i.timestamp WHERE i.id = ?");
  if (!select.ok()) return select.error();
  (*select)->bind(1, id.value());
  Result<bool> row = (*select)->step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<TransferRecord>();
  return std::optional<TransferRecord>(read_transfer_row(**select));
}

Result<std::optional<TransferRecord>> SqliteLedgerStorage::projection_find_failed(
    const TransferId& id) {
  ReaderLease db = borrow_reader();
  Result<std::unique_ptr<Statement>> select = db->prepare(
      "SELECT seq, timestamp, result, debit_account_id, credit_account_id, pending_id, amount, "
      "user_data, timeout_s, currency, code, flags FROM failed_transfers WHERE id = ?");
  if (!select.ok()) return select.error();
  Statement& s = **select;
  s.bind(1, id.value());
  Result<bool> row = s.step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<TransferRecord>();
  TransferRecord record;
  JournalEntry& e = record.entry;
  e = ledger::make_entry(ledger::EntryType::create_transfer);
  e.id = id.value();
  record.seq = static_cast<uint64_t>(s.column_int64(0));
  e.timestamp = s.column_int64(1);
  e.result = static_cast<uint16_t>(s.column_int64(2));
  e.debit_account_id = s.column_id(3);
  e.credit_account_id = s.column_id(4);
  e.pending_id = s.column_id(5);
  e.amount = s.column_int64(6);
  e.user_data = static_cast<uint64_t>(s.column_int64(7));
  e.timeout_s = static_cast<uint32_t>(s.column_int64(8));
  e.currency = static_cast<uint16_t>(s.column_int64(9));
  e.code = static_cast<uint16_t>(s.column_int64(10));
  e.flags = static_cast<uint16_t>(s.column_int64(11));
  return std::optional<TransferRecord>(record);
}

Result<std::vector<TransferRecord>> SqliteLedgerStorage::projection_account_transfers(
    const AccountId& account_id, const ledger::HistoryQuery& query) {
  ReaderLease db = borrow_reader();
  const bool descending = query.order == ledger::HistoryOrder::descending;
  std::string sql = std::string("SELECT ") + kTransferColumns +
                    " FROM account_transfers a JOIN transfers t ON t.timestamp = a.timestamp"
                    " WHERE a.account_id = ? AND a.timestamp " + (descending ? "<" : ">") +
                    " ? ORDER BY a.timestamp " + (descending ? "DESC" : "ASC") + " LIMIT ?";
  Result<std::unique_ptr<Statement>> select = db->prepare(sql);
  if (!select.ok()) return select.error();
  int64_t bound = query.after_timestamp.value_or(descending ? INT64_MAX : INT64_MIN);
  (*select)->bind(1, account_id.value()).bind(2, bound).bind(3, int64_t{query.limit});
  std::vector<TransferRecord> records;
  while (true) {
    Result<bool> row = (*select)->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    records.push_back(read_transfer_row(**select));
  }
  return records;
}

Result<std::optional<ledger::AccountState>> SqliteLedgerStorage::projection_find_account(
    const AccountId& id) {
  ReaderLease db = borrow_reader();
  Result<std::unique_ptr<Statement>> select = db->prepare(
      "SELECT timestamp, user_data, currency, kind, flags, code, debits_pending, debits_posted, "
      "credits_pending, credits_posted FROM accounts WHERE id = ?");
  if (!select.ok()) return select.error();
  Statement& s = **select;
  s.bind(1, id.value());
  Result<bool> row = s.step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<ledger::AccountState>();
  ledger::AccountState state;
  state.account.id = id;
  state.timestamp = s.column_int64(0);
  state.account.user_data = static_cast<uint64_t>(s.column_int64(1));
  state.account.currency = static_cast<uint16_t>(s.column_int64(2));
  state.account.kind = static_cast<ledger::AccountKind>(s.column_int64(3));
  state.account.flags = static_cast<uint16_t>(s.column_int64(4));
  state.account.code = static_cast<uint16_t>(s.column_int64(5));
  state.balances.debits_pending = s.column_int64(6);
  state.balances.debits_posted = s.column_int64(7);
  state.balances.credits_pending = s.column_int64(8);
  state.balances.credits_posted = s.column_int64(9);
  return std::optional<ledger::AccountState>(state);
}

Result<uint64_t> SqliteLedgerStorage::projection_id_count() {
  ReaderLease db = borrow_reader();
  Result<std::unique_ptr<Statement>> select = db->prepare(
      "SELECT (SELECT count(*) FROM transfer_ids) + (SELECT count(*) FROM failed_transfers)");
  if (!select.ok()) return select.error();
  Result<bool> row = (*select)->step();
  if (!row.ok()) return row.error();
  return static_cast<uint64_t>((*select)->column_int64(0));
}

Status SqliteLedgerStorage::projection_scan_ids(uint64_t up_to_seq,
                                               const std::function<void(const Id128&)>& visit) {
  ReaderLease db = borrow_reader();
  Result<std::unique_ptr<Statement>> select = db->prepare(
      "SELECT id FROM transfers WHERE seq <= ?1 UNION ALL "
      "SELECT id FROM failed_transfers WHERE seq <= ?1");
  if (!select.ok()) return select.error();
  (*select)->bind(1, static_cast<int64_t>(std::min<uint64_t>(up_to_seq, INT64_MAX)));
  while (true) {
    Result<bool> row = (*select)->step();
    if (!row.ok()) return row.error();
    if (!*row) return ok_status();
    visit((*select)->column_id(0));
  }
}

Status SqliteLedgerStorage::projection_scan_app_events(
    int64_t from_timestamp, const std::function<Status(const ledger::AppEventRecord&)>& visit) {
  ReaderLease db = borrow_reader();
  Result<std::unique_ptr<Statement>> select = db->prepare(
      "SELECT timestamp, seq, id, subject_id, ref_id, amount, amount2, user_data, kind, status, "
      "currency, payload FROM app_events WHERE timestamp >= ? ORDER BY timestamp");
  if (!select.ok()) return select.error();
  Statement& s = **select;
  s.bind(1, from_timestamp);
  while (true) {
    Result<bool> row = s.step();
    if (!row.ok()) return row.error();
    if (!*row) return ok_status();
    ledger::AppEventRecord record;
    record.timestamp = s.column_int64(0);
    record.seq = static_cast<uint64_t>(s.column_int64(1));
    record.event.id = s.column_id(2);
    record.event.subject_id = s.column_id(3);
    record.event.ref_id = s.column_id(4);
    record.event.amount = s.column_int64(5);
    record.event.amount2 = s.column_int64(6);
    record.event.user_data = static_cast<uint64_t>(s.column_int64(7));
    record.event.kind = static_cast<uint16_t>(s.column_int64(8));
    record.event.status = static_cast<uint16_t>(s.column_int64(9));
    record.event.currency = static_cast<uint16_t>(s.column_int64(10));
    std::span<const std::byte> payload = s.column_blob(11);
    record.event.payload.assign(reinterpret_cast<const char*>(payload.data()), payload.size());
    Status visited = visit(record);
    if (!visited.ok()) return visited;
  }
}

}  // namespace mpay::store::sqlite
