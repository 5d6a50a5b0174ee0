#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <memory>
#include <system_error>

#include "security/key_file_internal.h"
#include "security/key_ring.h"

namespace mpay::security::internal {
namespace {

constexpr size_t kKeyHexChars = Key::kBytes * 2;
constexpr size_t kKeyFileBytesMax = kKeyHexChars + 1;  // the hex and a newline
constexpr mode_t kDirectoryMode = 0700;
constexpr mode_t kFileMode = 0600;
constexpr mode_t kGroupOrOthersWrite = S_IWGRP | S_IWOTH;
constexpr mode_t kGroupOrOthersAny = S_IRWXG | S_IRWXO;
constexpr size_t kTemporaryNameRandomBytes = 8;
constexpr std::string_view kKeyFileSuffix = ".key";

std::string system_error_text(int error_number) {
  return std::system_category().message(error_number);
}

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Zeroes a buffer that held key material when the scope ends, whichever way it ends.
class WipeOnExit {
 public:
  WipeOnExit(void* buffer, size_t size) : buffer_(buffer), size_(size) {}
  ~WipeOnExit() { sodium_memzero(buffer_, size_); }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  void* buffer_;
  size_t size_;
};

class FileDescriptor {
 public:
  explicit FileDescriptor(int descriptor) : descriptor_(descriptor) {}
  ~FileDescriptor() {
    if (descriptor_ >= 0) ::close(descriptor_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  bool valid() const { return descriptor_ >= 0; }
  int get() const { return descriptor_; }
  // Closes now and reports whether the close succeeded (a failed close can mean lost data).
  bool close() {
    int descriptor = descriptor_;
    descriptor_ = -1;
    return ::close(descriptor) == 0;
  }

 private:
  int descriptor_;
};

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::string parent_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status sync_directory(const std::string& directory) {
  FileDescriptor descriptor(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!descriptor.valid() || ::fsync(descriptor.get()) != 0) {
    return Error("key_directory_unusable",
                 "cannot sync directory " + directory + ": " + system_error_text(errno));
  }
  return ok_status();
}

// mkdir -p with mode 0700 for every directory it creates (whatever the umask), each creation
// made durable by syncing its parent.
Status make_directories(const std::string& directory) {
  struct stat info {};
  if (::stat(directory.c_str(), &info) == 0) {
    if (!S_ISDIR(info.st_mode)) {
      return Error("key_directory_unusable", directory + " exists and is not a directory");
    }
    return ok_status();
  }
  if (errno != ENOENT) {
    return Error("key_directory_unusable",
                 "cannot inspect " + directory + ": " + system_error_text(errno));
  }
  std::string parent = parent_of(directory);
  if (parent != directory) {
    Status parent_status = make_directories(parent);
    if (!parent_status) return parent_status;
  }
  if (::mkdir(directory.c_str(), kDirectoryMode) != 0) {
    if (errno == EEXIST) return make_directories(directory);  // made by someone else just now
    return Error("key_directory_unusable",
                 "cannot create " + directory + ": " + system_error_text(errno));
  }
  if (::chmod(directory.c_str(), kDirectoryMode) != 0) {
    return Error("key_directory_unusable",
                 "cannot set mode 0700 on " + directory + ": " + system_error_text(errno));
  }
  return sync_directory(parent);
}

// "<id>" of "<purpose>-<id>.key": decimal, no sign, no leading zero, 1 to UINT32_MAX.
bool parse_key_id(std::string_view text, uint32_t& id) {
  if (text.empty() || text.front() == '0') return false;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  return error == std::errc() && end == text.data() + text.size();
}

Status read_exactly(int descriptor, char* buffer, size_t size, const std::string& path) {
  size_t done = 0;
  while (done < size) {
    ssize_t got = ::read(descriptor, buffer + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      return Error("key_file_unreadable", "cannot read " + path + ": " + system_error_text(errno));
    }
    if (got == 0) return Error("key_file_invalid", path + " changed size while being read");
    done += static_cast<size_t>(got);
  }
  return ok_status();
}

Status write_all(int descriptor, const char* buffer, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t written = ::write(descriptor, buffer + done, size - done);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return Error("key_file_unwritable", system_error_text(errno));
    if (written == 0) return Error("key_file_unwritable", "the disk accepted no bytes");
    done += static_cast<size_t>(written);
  }
  return ok_status();
}

Error invalid_format(const std::string& path) {
  return Error("key_file_invalid", path + " must hold exactly 64 hexadecimal characters (a " +
                                       std::to_string(Key::kBytes) +
                                       "-byte key) and optionally one newline");
}

Status write_key_text(int descriptor, const std::string& path, const unsigned char* material) {
  char hex[kKeyHexChars + 1];  // sodium_bin2hex writes a terminating NUL, replaced by a newline
  WipeOnExit wipe_hex(hex, sizeof(hex));
  sodium_bin2hex(hex, sizeof(hex), material, Key::kBytes);
  hex[kKeyHexChars] = '\n';
  if (::fchmod(descriptor, kFileMode) != 0) {  // the umask may have removed owner bits
    return Error("key_file_unwritable",
                 "cannot set mode 0600 on " + path + ": " + system_error_text(errno));
  }
  Status written = write_all(descriptor, hex, sizeof(hex));
  if (!written) {
    return Error("key_file_unwritable", "cannot write " + path + ": " + written.error().message);
  }
  if (::fsync(descriptor) != 0) {
    return Error("key_file_unwritable", "cannot sync " + path + ": " + system_error_text(errno));
  }
  return ok_status();
}

// Creates `temporary_path` exclusively and writes the key into it; removes it again on failure.
Status write_temporary_key_file(const std::string& temporary_path, const unsigned char* material) {
  FileDescriptor descriptor(::open(temporary_path.c_str(),
                                   O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, kFileMode));
  if (!descriptor.valid()) {
    return Error("key_file_unwritable",
                 "cannot create " + temporary_path + ": " + system_error_text(errno));
  }
  Status written = write_key_text(descriptor.get(), temporary_path, material);
  if (written && !descriptor.close()) {
    written = Error("key_file_unwritable",
                    "cannot close " + temporary_path + ": " + system_error_text(errno));
  }
  if (!written) ::unlink(temporary_path.c_str());
  return written;
}

}  // namespace

Status ensure_key_directory(const std::string& directory_in) {
  std::string directory = without_trailing_slashes(directory_in);
  if (directory.empty()) return Error("key_directory_unusable", "the key directory is not set");
  Status made = make_directories(directory);
  if (!made) return made;
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0) {
    return Error("key_directory_unusable",
                 "cannot inspect " + directory + ": " + system_error_text(errno));
  }
  if ((info.st_mode & kGroupOrOthersWrite) != 0) {
    return Error("key_directory_insecure", directory + " is writable by group or others (mode " +
                                               mode_text(info.st_mode) +
                                               "); run: chmod 700 " + directory);
  }
  return ok_status();
}

std::string key_file_path(const std::string& directory, std::string_view purpose, uint32_t id) {
  return without_trailing_slashes(directory) + "/" + std::string(purpose) + "-" +
         std::to_string(id) + std::string(kKeyFileSuffix);
}

Result<std::vector<uint32_t>> list_key_ids(const std::string& directory,
                                           std::string_view purpose) {
  std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(directory.c_str()), &::closedir);
  if (listing == nullptr) {
    return Error("key_directory_unusable",
                 "cannot list " + directory + ": " + system_error_text(errno));
  }
  std::string prefix = std::string(purpose) + "-";
  std::vector<uint32_t> ids;
  errno = 0;
  while (const dirent* entry = ::readdir(listing.get())) {
    std::string_view name = entry->d_name;
    if (name.starts_with('.') || !name.starts_with(prefix) || !name.ends_with(kKeyFileSuffix)) {
      continue;
    }
    std::string_view id_text =
        name.substr(prefix.size(), name.size() - prefix.size() - kKeyFileSuffix.size());
    uint32_t id = 0;
    if (!parse_key_id(id_text, id)) {
      return Error("key_file_invalid",
                   without_trailing_slashes(directory) + "/" + std::string(name) +
                       " is not a valid key file name: expected " + prefix +
                       "<id>.key with <id> a decimal number from 1, without leading zeros");
    }
    ids.push_back(id);
  }
  if (errno != 0) {
    return Error("key_directory_unusable",
                 "cannot list " + directory + ": " + system_error_text(errno));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Status read_key_file(const std::string& path, unsigned char* material) {
  // Follows symbolic links on purpose: secret stores (e.g. Kubernetes secret volumes) link keys
  // into place. The checks below apply to the file actually read.
  FileDescriptor descriptor(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!descriptor.valid()) {
    return Error("key_file_unreadable", "cannot open " + path + ": " + system_error_text(errno));
  }
  struct stat info {};
  if (::fstat(descriptor.get(), &info) != 0) {
    return Error("key_file_unreadable", "cannot inspect " + path + ": " + system_error_text(errno));
  }
  if (!S_ISREG(info.st_mode)) return Error("key_file_invalid", path + " is not a regular file");
  if ((info.st_mode & kGroupOrOthersAny) != 0) {
    return Error("key_file_insecure", path + " is readable or writable by group or others (mode " +
                                          mode_text(info.st_mode) + "); run: chmod 600 " + path);
  }
  auto size = static_cast<size_t>(info.st_size);
  if (size != kKeyHexChars && size != kKeyFileBytesMax) return invalid_format(path);

  char text[kKeyFileBytesMax];
  WipeOnExit wipe_text(text, sizeof(text));
  Status read = read_exactly(descriptor.get(), text, size, path);
  if (!read) return read;
  if (size == kKeyFileBytesMax && text[kKeyHexChars] != '\n') return invalid_format(path);
  size_t decoded_bytes = 0;
  const char* hex_end = nullptr;
  if (sodium_hex2bin(material, Key::kBytes, text, kKeyHexChars, nullptr, &decoded_bytes,
                     &hex_end) != 0 ||
      decoded_bytes != Key::kBytes || hex_end != text + kKeyHexChars) {
    return invalid_format(path);
  }
  if (sodium_is_zero(material, Key::kBytes) != 0) {
    return Error("key_file_invalid", path + " holds an all-zero key");
  }
  return ok_status();
}

Status create_key_file(const std::string& directory_in, std::string_view purpose, uint32_t id,
                       const unsigned char* material, RandomSource& random) {
  std::string directory = without_trailing_slashes(directory_in);
  std::string path = key_file_path(directory, purpose, id);

  unsigned char name_random[kTemporaryNameRandomBytes];
  random.fill(name_random, sizeof(name_random));
  char name_random_hex[kTemporaryNameRandomBytes * 2 + 1];
  sodium_bin2hex(name_random_hex, sizeof(name_random_hex), name_random, sizeof(name_random));
  std::string temporary_path = directory + "/." + std::string(purpose) + "-" +
                               std::to_string(id) + ".key." + name_random_hex + ".tmp";

  Status written = write_temporary_key_file(temporary_path, material);
  if (!written) return written;
  // link() fails with EEXIST rather than replacing: an existing key is never overwritten.
  int linked = ::link(temporary_path.c_str(), path.c_str());
  int link_error = errno;
  ::unlink(temporary_path.c_str());  // if this fails, a 0600 copy of the key stays in DIR
  if (linked != 0 && link_error == EEXIST) return Error(kKeyFileExists, path + " already exists");
  if (linked != 0) {
    return Error("key_file_unwritable",
                 "cannot create " + path + ": " + system_error_text(link_error));
  }
  return sync_directory(directory);
}

}  // namespace mpay::security::internal
