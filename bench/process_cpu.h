// CPU time a process has used (user + system, all its threads), read from /proc/<pid>/stat: how
// the benchmarks tell the server's cost per payment from the load generator's on a machine they
// share.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace mpay::bench {

// Nanoseconds of CPU time `pid` has used so far; nullopt if it cannot be read.
std::optional<int64_t> process_cpu_ns(pid_t pid);

}  // namespace mpay::bench
