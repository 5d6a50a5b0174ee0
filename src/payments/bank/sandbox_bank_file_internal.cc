#include "payments/bank/sandbox_bank_file_internal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mpay::bank {

namespace {

Error io_error(std::string_view what, const std::string& path) {
  return Error("sandbox_bank_file_io",
               std::string(what) + " " + path + ": " + std::strerror(errno));
}

Result<std::string> read_all(int descriptor, const std::string& path) {
  std::string contents;
  char buffer[65536];
  while (true) {
    ssize_t got = ::read(descriptor, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return io_error("cannot read", path);
    if (got == 0) return contents;
    contents.append(buffer, static_cast<size_t>(got));
  }
}

// Decodes every complete line; returns the length of the part of `contents` that holds them.
Result<size_t> decode_lines(std::string_view contents, const std::string& path,
                            std::vector<SandboxRecord>* records) {
  size_t start = 0;
  size_t line_number = 0;
  while (true) {
    size_t end = contents.find('\n', start);
    if (end == std::string_view::npos) return start;
    ++line_number;
    Result<SandboxRecord> record = decode_sandbox_record(contents.substr(start, end - start));
    if (!record.ok()) {
      return Error("sandbox_bank_file_corrupt", path + " line " + std::to_string(line_number) +
                                                    ": " + record.error().message);
    }
    records->push_back(std::move(record).value());
    start = end + 1;
  }
}

}  // namespace

Result<std::unique_ptr<SandboxBankFile>> SandboxBankFile::open(
    const std::string& path, std::vector<SandboxRecord>* records) {
  int descriptor = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (descriptor < 0) return io_error("cannot open", path);
  auto file = std::make_unique<SandboxBankFile>(descriptor);
  Result<std::string> contents = read_all(descriptor, path);
  if (!contents.ok()) return contents.error();
  Result<size_t> complete_bytes = decode_lines(*contents, path, records);
  if (!complete_bytes.ok()) return complete_bytes.error();
  if (*complete_bytes != contents->size()) {
    if (::ftruncate(descriptor, static_cast<off_t>(*complete_bytes)) != 0 ||
        ::fdatasync(descriptor) != 0) {
      return io_error("cannot cut the torn last line of", path);
    }
  }
  return file;
}

SandboxBankFile::~SandboxBankFile() { ::close(descriptor_); }

Status SandboxBankFile::append(std::string_view lines) {
  while (!lines.empty()) {
    ssize_t written = ::write(descriptor_, lines.data(), lines.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return io_error("cannot append to", "the sandbox bank file");
    lines.remove_prefix(static_cast<size_t>(written));
  }
  if (::fdatasync(descriptor_) != 0) return io_error("cannot sync", "the sandbox bank file");
  return ok_status();
}

}  // namespace mpay::bank
