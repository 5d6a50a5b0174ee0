// Lengthens a SQLite WAL file with zeros ahead of its writer.
//
// On ext4, an fdatasync that must make a new file length durable also writes the inode: a second
// synchronous write in every commit that appends to the end of the WAL. The journal's WAL is reused
// once it is long enough (SqliteLedgerStorage starts it over in place), but until it has reached
// that length, for the first seconds of load after every start, each commit lengthens it. Writing
// zeros past the writer's position beforehand, off the commit path, makes those commits overwrite
// blocks the file already has, as PostgreSQL does for its WAL segments (wal_init_zero).
//
// Safe for SQLite: a WAL's frames are read only up to the last one its index (or a recovery, which
// stops at the first frame whose salt or checksum does not match) knows, so zeros past the end are
// never taken for frames; SQLite itself cuts the file back only when it is longer than
// journal_size_limit, which the caller's target must not pass.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "core/error.h"

namespace mpay::store::sqlite {

struct WalLengthening {
  uint64_t length_before = 0;
  uint64_t bytes_added = 0;
};

// Writes zeros from the end of the file at `wal_path` up to `target_bytes`, `chunk_bytes` at a
// time. Each chunk is written while `writer_mutex` (the one the database's writes run under) is
// held, so that no commit writes or cuts the file meanwhile, and synced after it is released, so
// that a commit's own sync has at most one chunk to carry. A file that does not exist (SQLite has
// not opened its WAL yet, or has removed it) is left alone: nothing is added.
Result<WalLengthening> lengthen_wal_with_zeros(const std::string& wal_path, uint64_t target_bytes,
                                               std::mutex& writer_mutex,
                                               uint64_t chunk_bytes = 256 * 1024);

}  // namespace mpay::store::sqlite
