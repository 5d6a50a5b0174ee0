// A short reading of the machine a benchmark runs on, printed beside its results, so that runs on
// different days or different virtual machines can be compared. On a shared virtual machine the
// same code's figures move by a factor of two or more with the host's load, and /proc/stat shows
// no steal time to say so (docs/performance.md, 2026-12-05).
#pragma once

#include <string>

#include "core/error.h"

namespace mpay::bench {

struct MachineReading {
  // A fixed CPU task on one thread (SHA-256 of 64 MiB): the CPU time it took and the wall time it
  // took. Wall time well above CPU time is other work taking the CPU: other processes, or on an
  // otherwise idle virtual machine the host.
  double cpu_task_cpu_ms = 0;
  double cpu_task_wall_ms = 0;
  // Median of 200 commits of 16 KiB written over an existing file, each followed by fdatasync:
  // what the journal's durable commit costs on this disk at least.
  double sync_ms = 0;
};

// Takes about half a second. `directory` is where the sync probe's scratch file goes (the
// benchmark's scratch parent, so that it is the disk the benchmark's data is on).
Result<MachineReading> read_machine(const std::string& directory);

// "SHA-256 of 64 MiB ...: 68 ms of CPU in 140 ms (not running 51% of the time ...); ..." and a
// parsable line
// "MACHINE cpu_task_cpu_ms=... cpu_task_wall_ms=... sync_ms=...".
std::string describe(const MachineReading& reading);

// Reads the machine and prints the description (or why it could not be read) on stdout.
void print_machine_reading(const std::string& directory);

}  // namespace mpay::bench
