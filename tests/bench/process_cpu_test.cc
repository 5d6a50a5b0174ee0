#include "process_cpu.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <thread>

namespace mpay::bench {
namespace {

int64_t own_thread_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// A named thread that spends `cpu_ns` of its own CPU time (however busy the machine), then
// waits, alive, until released.
class BusyThread {
 public:
  BusyThread(const char* name, int64_t cpu_ns) {
    thread_ = std::thread([this, name, cpu_ns] {
      pthread_setname_np(pthread_self(), name);
      volatile uint64_t sink = 0;
      while (own_thread_cpu_ns() < cpu_ns) sink = sink + 1;
      spent_ = true;
      while (!released_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
    while (!spent_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~BusyThread() {
    released_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> spent_{false};
  std::atomic<bool> released_{false};
  std::thread thread_;
};

TEST(ThreadCpu, NamesEachThreadAndCountsWhatItSpent) {
  BusyThread busy("cpu-burner", 150'000'000);
  std::map<std::string, int64_t> threads = thread_cpu_ns(getpid());
  ASSERT_TRUE(threads.count("cpu-burner")) << "the named thread is listed";
  // /proc counts in clock ticks (10 ms here): allow for the rounding down.
  EXPECT_GE(threads["cpu-burner"], 100'000'000);
  std::optional<int64_t> process = process_cpu_ns(getpid());
  ASSERT_TRUE(process.has_value());
  EXPECT_GE(*process, threads["cpu-burner"]);
}

TEST(ThreadCpu, AddsUpThreadsThatShareAName) {
  BusyThread one("cpu-twin", 60'000'000);
  BusyThread two("cpu-twin", 60'000'000);
  std::map<std::string, int64_t> threads = thread_cpu_ns(getpid());
  ASSERT_TRUE(threads.count("cpu-twin"));
  EXPECT_GE(threads["cpu-twin"], 100'000'000);
}

TEST(ThreadCpu, IsEmptyForAProcessThatDoesNotExist) {
  // Above the kernel's largest pid (pid_max is at most 2^22).
  EXPECT_TRUE(thread_cpu_ns(1 << 23).empty());
  EXPECT_FALSE(process_cpu_ns(1 << 23).has_value());
}

}  // namespace
}  // namespace mpay::bench
