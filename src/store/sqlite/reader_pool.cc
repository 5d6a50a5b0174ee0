#include "store/sqlite/reader_pool.h"

namespace mpay::store::sqlite {

Status ReaderPool::open(const std::string& path, size_t count) {
  // Without one, every borrow() would wait forever.
  if (count == 0) return Error("store_error", "a reader pool needs at least one connection");
  for (size_t i = 0; i < count; ++i) {
    OpenOptions options;
    options.read_only = true;
    options.cache_kib = 4 * 1024;
    Result<std::unique_ptr<SqliteDatabase>> reader = SqliteDatabase::open(path, options);
    if (!reader.ok()) return reader.error();
    give_back(std::move(*reader));
  }
  return ok_status();
}

ReaderPool::Lease ReaderPool::borrow() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [this] { return !idle_.empty(); });
  std::unique_ptr<SqliteDatabase> db = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(db));
}

void ReaderPool::give_back(std::unique_ptr<SqliteDatabase> db) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(db));
  }
  returned_.notify_one();
}

}  // namespace mpay::store::sqlite
