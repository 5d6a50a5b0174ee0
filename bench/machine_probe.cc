#include "machine_probe.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

namespace mpay::bench {
namespace {

constexpr size_t kCpuTaskBytes = 64u << 20;
constexpr size_t kSyncRecordBytes = 16u << 10;
constexpr int kSyncCommits = 200;

double thread_cpu_ms() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

double wall_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Error io_error(const std::string& what, const std::string& path) {
  return Error("machine_probe_failed", what + " " + path + ": " + std::strerror(errno));
}

Result<double> median_sync_ms(const std::string& directory) {
  std::string path = directory + "/mpay-bench-sync-probe-XXXXXX";
  std::vector<char> name(path.begin(), path.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return io_error("cannot create a file in", directory);
  path = name.data();
  ::unlink(path.c_str());  // gone when closed, whatever happens
  std::vector<char> bytes(kSyncRecordBytes * kSyncCommits, 0);
  Result<double> median = 0.0;
  if (::pwrite(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size()) ||
      ::fdatasync(fd) != 0) {
    median = io_error("cannot write", path);
  } else {
    std::fill(bytes.begin(), bytes.end(), 'x');
    std::vector<double> commits;
    for (int i = 0; i < kSyncCommits; ++i) {
      double start = wall_ms();
      off_t offset = static_cast<off_t>(i) * static_cast<off_t>(kSyncRecordBytes);
      if (::pwrite(fd, bytes.data(), kSyncRecordBytes, offset) !=
              static_cast<ssize_t>(kSyncRecordBytes) ||
          ::fdatasync(fd) != 0) {
        median = io_error("cannot write", path);
        break;
      }
      commits.push_back(wall_ms() - start);
    }
    if (median.ok()) {
      std::nth_element(commits.begin(), commits.begin() + commits.size() / 2, commits.end());
      median = commits[commits.size() / 2];
    }
  }
  ::close(fd);
  return median;
}

}  // namespace

Result<MachineReading> read_machine(const std::string& directory) {
  MachineReading reading;
  std::vector<unsigned char> input(kCpuTaskBytes, 0x5a);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_bytes = 0;
  double cpu_start = thread_cpu_ms();
  double wall_start = wall_ms();
  if (EVP_Digest(input.data(), input.size(), digest, &digest_bytes, EVP_sha256(), nullptr) != 1) {
    return Error("machine_probe_failed", "SHA-256 failed");
  }
  reading.cpu_task_wall_ms = wall_ms() - wall_start;
  reading.cpu_task_cpu_ms = thread_cpu_ms() - cpu_start;
  Result<double> sync = median_sync_ms(directory.empty() ? "/tmp" : directory);
  if (!sync.ok()) return sync.error();
  reading.sync_ms = *sync;
  return reading;
}

std::string describe(const MachineReading& reading) {
  double not_running = reading.cpu_task_wall_ms > 0
                           ? std::max(0.0, 1.0 - reading.cpu_task_cpu_ms / reading.cpu_task_wall_ms)
                           : 0.0;
  char text[512];
  std::snprintf(text, sizeof(text),
                "SHA-256 of 64 MiB on one thread: %.0f ms of CPU in %.0f ms (not running %.0f%% "
                "of the time: other processes or the host); a 16 KiB overwrite + fdatasync: median "
                "%.3f ms\n"
                "MACHINE cpu_task_cpu_ms=%.1f cpu_task_wall_ms=%.1f sync_ms=%.3f",
                reading.cpu_task_cpu_ms, reading.cpu_task_wall_ms, not_running * 100,
                reading.sync_ms, reading.cpu_task_cpu_ms, reading.cpu_task_wall_ms,
                reading.sync_ms);
  return text;
}

void print_machine_reading(const std::string& directory) {
  Result<MachineReading> reading = read_machine(directory);
  if (reading.ok()) {
    std::printf("%s\n", describe(*reading).c_str());
  } else {
    std::printf("machine reading failed: %s\n", reading.error().message.c_str());
  }
}

}  // namespace mpay::bench
