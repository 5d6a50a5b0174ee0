#include "process_cpu.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace mpay::bench {

std::optional<int64_t> process_cpu_ns(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  // The command name is in parentheses and may hold spaces: count fields after the last ')'.
  size_t close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  int64_t user_ticks = 0;
  int64_t system_ticks = 0;
  for (int index = 3; fields >> field; ++index) {  // field 3 is the state
    if (index == 14) user_ticks = std::stoll(field);
    if (index == 15) {
      system_ticks = std::stoll(field);
      long ticks_per_second = sysconf(_SC_CLK_TCK);
      if (ticks_per_second <= 0) return std::nullopt;
      return (user_ticks + system_ticks) * (1'000'000'000 / ticks_per_second);
    }
  }
  return std::nullopt;
}

}  // namespace mpay::bench
