#include "store/sqlite/wal_headroom.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace mpay::store::sqlite {
namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Error io_error(const std::string& what, const std::string& path) {
  return Error("store_error", what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<WalLengthening> lengthen_wal_with_zeros(const std::string& wal_path, uint64_t target_bytes,
                                               std::mutex& writer_mutex, uint64_t chunk_bytes) {
  WalLengthening done;
  // No O_CREAT: the file is SQLite's to create. The descriptor takes no lock; SQLite keeps its
  // POSIX locks on the database and -shm files, never on the WAL, so closing it releases none.
  FileDescriptor file(::open(wal_path.c_str(), O_WRONLY | O_CLOEXEC));
  if (file.get() < 0) {
    if (errno == ENOENT) return done;
    return io_error("cannot open", wal_path);
  }
  chunk_bytes = std::max<uint64_t>(chunk_bytes, 4096);
  std::vector<char> zeros(chunk_bytes, 0);
  bool first = true;
  while (true) {
    uint64_t written = 0;
    {
      std::lock_guard lock(writer_mutex);
      struct stat status {};
      if (::fstat(file.get(), &status) != 0) return io_error("cannot stat", wal_path);
      uint64_t length = static_cast<uint64_t>(status.st_size);
      if (first) done.length_before = length;
      first = false;
      if (length >= target_bytes) break;
      // Read under the mutex: a commit may have lengthened the file, or cut it back, since the
      // last chunk. Zeros only ever go past its current end.
      uint64_t size = std::min(chunk_bytes, target_bytes - length);
      ssize_t n = ::pwrite(file.get(), zeros.data(), size, static_cast<off_t>(length));
      if (n < 0) return io_error("cannot lengthen", wal_path);
      written = static_cast<uint64_t>(n);
    }
    done.bytes_added += written;
    if (::fdatasync(file.get()) != 0) return io_error("cannot sync", wal_path);
    if (written == 0) break;  // a full disk that reports nothing written: stop rather than spin
  }
  return done;
}

}  // namespace mpay::store::sqlite
