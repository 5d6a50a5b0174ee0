// Test helpers for mpay_security: writing key files by hand and reading file modes.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace mpay::security::testing {

// The key 00 01 02 ... 1f, as a key file holds it; the known-answer tests use it.
inline constexpr const char* kCountingKeyHex =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

inline void write_file(const std::string& path, const std::string& content, mode_t mode) {
  int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (descriptor < 0) std::abort();
  if (::write(descriptor, content.data(), content.size()) !=
      static_cast<ssize_t>(content.size())) {
    std::abort();
  }
  ::close(descriptor);
  if (::chmod(path.c_str(), mode) != 0) std::abort();
}

inline std::string read_file(const std::string& path) {
  std::string content;
  int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) return content;
  char buffer[256];
  ssize_t got;
  while ((got = ::read(descriptor, buffer, sizeof(buffer))) > 0) {
    content.append(buffer, static_cast<size_t>(got));
  }
  ::close(descriptor);
  return content;
}

// Permission bits of a path (e.g. 0600), or -1 if it does not exist.
inline int file_mode(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int>(info.st_mode & 07777);
}

}  // namespace mpay::security::testing
