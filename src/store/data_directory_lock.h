// An exclusive lock on a data directory (flock on DIR/LOCK), so that two processes never write the
// same store: a second mpayd on the same directory, or a rebuild while the server runs, is refused
// with "data_directory_in_use". Released when the object is destroyed or the process dies.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"

namespace mpay::store {

class DataDirectoryLock {
 public:
  static Result<std::unique_ptr<DataDirectoryLock>> acquire(const std::string& directory);
  ~DataDirectoryLock();
  DataDirectoryLock(const DataDirectoryLock&) = delete;
  DataDirectoryLock& operator=(const DataDirectoryLock&) = delete;

 private:
  explicit DataDirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace mpay::store
