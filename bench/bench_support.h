// Small measuring tools shared by the benchmarks: latency percentiles, resident memory, scratch
// directories. Benchmarks print figures; they never assert.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

namespace mpay::bench {

using SteadyClock = std::chrono::steady_clock;

inline int64_t since_ns(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - start).count();
}

// Collects latencies from many threads; percentiles over everything recorded.
class LatencyRecorder {
 public:
  void record(int64_t ns) {
    std::lock_guard lock(mutex_);
    samples_.push_back(ns);
  }
  int64_t percentile_ns(double fraction) {
    std::lock_guard lock(mutex_);
    if (samples_.empty()) return 0;
    std::sort(samples_.begin(), samples_.end());
    size_t index = static_cast<size_t>(fraction * static_cast<double>(samples_.size() - 1));
    return samples_[index];
  }
  size_t count() {
    std::lock_guard lock(mutex_);
    return samples_.size();
  }

 private:
  std::mutex mutex_;
  std::vector<int64_t> samples_;
};

// Resident set size of this process, from /proc/self/statm.
inline int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t total_pages = 0, resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return resident_pages * sysconf(_SC_PAGESIZE);
}

// A scratch directory removed on destruction.
class ScratchDirectory {
 public:
  explicit ScratchDirectory(const std::string& parent) {
    std::filesystem::create_directories(parent);
    std::string pattern = parent + "/mpay-bench-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace mpay::bench
