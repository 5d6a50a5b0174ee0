#include "process_cpu.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mpay::bench {
namespace {

struct StatReading {
  std::string name;
  int64_t cpu_ns = 0;
};

// One /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat file: the name and user + system time.
std::optional<StatReading> read_stat(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  // The name is in parentheses and may hold spaces and ')': count fields after the last ')'.
  size_t open = line.find('(');
  size_t close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open ||
      close + 2 >= line.size()) {
    return std::nullopt;
  }
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  int64_t user_ticks = 0;
  for (int index = 3; fields >> field; ++index) {  // field 3 is the state
    if (index == 14) user_ticks = std::stoll(field);
    if (index == 15) {
      int64_t system_ticks = std::stoll(field);
      long ticks_per_second = sysconf(_SC_CLK_TCK);
      if (ticks_per_second <= 0) return std::nullopt;
      return StatReading{line.substr(open + 1, close - open - 1),
                         (user_ticks + system_ticks) * (1'000'000'000 / ticks_per_second)};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> process_cpu_ns(pid_t pid) {
  std::optional<StatReading> reading = read_stat("/proc/" + std::to_string(pid) + "/stat");
  if (!reading) return std::nullopt;
  return reading->cpu_ns;
}

std::map<std::string, int64_t> thread_cpu_ns(pid_t pid) {
  std::map<std::string, int64_t> by_name;
  namespace fs = std::filesystem;
  std::error_code error;
  // Increments that fail (the process ended meanwhile) end the listing instead of throwing.
  for (fs::directory_iterator task("/proc/" + std::to_string(pid) + "/task", error);
       !error && task != fs::directory_iterator(); task.increment(error)) {
    // A thread may end between the listing and the read: it is then left out.
    std::optional<StatReading> reading = read_stat(task->path().string() + "/stat");
    if (reading) by_name[reading->name] += reading->cpu_ns;
  }
  return by_name;
}

}  // namespace mpay::bench
