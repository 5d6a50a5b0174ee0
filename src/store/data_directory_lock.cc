#include "store/data_directory_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace mpay::store {

Result<std::unique_ptr<DataDirectoryLock>> DataDirectoryLock::acquire(const std::string& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return Error("store_error", "cannot create " + directory + ": " + ec.message());
  std::string path = directory + "/LOCK";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Error("store_error", "cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Error("data_directory_in_use",
                 directory + " is in use by another mpay process (mpayd running?)");
  }
  return std::unique_ptr<DataDirectoryLock>(new DataDirectoryLock(fd));
}

DataDirectoryLock::~DataDirectoryLock() { ::close(fd_); }

}  // namespace mpay::store
