#include "server/operator_token.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace mpay::server {
namespace {

constexpr size_t kTokenBytes = 32;

std::string hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (size_t i = 0; i < size; ++i) {
    text += kDigits[bytes[i] >> 4];
    text += kDigits[bytes[i] & 0xF];
  }
  return text;
}

bool valid_token(const std::string& token) {
  if (token.size() != kTokenBytes * 2) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Result<std::string> load_or_create_operator_token(const std::string& data_directory,
                                                  RandomSource& random) {
  std::string path = data_directory + "/operator-token";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    unsigned char bytes[kTokenBytes];
    random.fill(bytes, sizeof(bytes));
    std::string token = hex(bytes, sizeof(bytes));
    std::string line = token + "\n";
    bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                   ::fsync(fd) == 0;
    ::close(fd);
    if (!written) return Error("operator_token_unreadable", "cannot write " + path);
    return token;
  }
  if (errno != EEXIST) {
    return Error("operator_token_unreadable", "cannot create " + path + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return Error("operator_token_unreadable", "cannot stat " + path + ": " + std::strerror(errno));
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error("operator_token_insecure",
                 path + " is readable by other users; run: chmod 600 " + path);
  }
  std::ifstream in(path);
  std::string token;
  if (!std::getline(in, token)) return Error("operator_token_unreadable", "cannot read " + path);
  if (!valid_token(token)) {
    return Error("operator_token_invalid", path + " must hold 64 lower-case hex characters");
  }
  return token;
}

}  // namespace mpay::server
