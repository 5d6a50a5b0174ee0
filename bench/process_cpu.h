// CPU time a process has used (user + system), read from /proc: how the benchmarks tell the
// server's cost per payment from the load generator's on a machine they share, and which of the
// server's threads spends it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace mpay::bench {

// Nanoseconds of CPU time `pid` has used so far, all its threads; nullopt if it cannot be read.
std::optional<int64_t> process_cpu_ns(pid_t pid);

// Nanoseconds of CPU time used so far by each of `pid`'s threads that are alive now, summed by
// thread name (pthread_setname_np; threads that share a name are added up). Empty if the process
// cannot be read. A thread that ended is missing, so take the difference of two readings only for
// threads that live through both.
std::map<std::string, int64_t> thread_cpu_ns(pid_t pid);

}  // namespace mpay::bench
