#include "core/thread_priority.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>

namespace mpay {

// PRIO_PROCESS with a thread id addresses that one thread on Linux (not POSIX, which would mean
// the whole process).
bool set_current_thread_nice(int nice) {
  if (nice < 0 || nice > kNiceMax) return false;
  return setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) == 0;
}

int current_thread_nice() {
  errno = 0;
  return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
}

}  // namespace mpay
