#include "notify/webhooks/retry_schedule.h"

#include <algorithm>

#include "core/check.h"

namespace mpay::notify::webhooks {

int64_t RetrySchedule::delay_ceiling_ns(int64_t failed_attempts) const {
  MPAY_CHECK(failed_attempts >= 1, "a delay follows a failed attempt");
  MPAY_CHECK(options_.base_ns > 0 && options_.factor >= 1 && options_.cap_ns >= options_.base_ns,
             "retry options out of range");
  int64_t ceiling = options_.base_ns;
  // Multiply step by step and stop at the cap, so large attempt counts cannot overflow.
  for (int64_t n = 1; n < failed_attempts && ceiling < options_.cap_ns; ++n) {
    if (ceiling > options_.cap_ns / options_.factor) return options_.cap_ns;
    ceiling *= options_.factor;
  }
  return std::min(ceiling, options_.cap_ns);
}

int64_t RetrySchedule::delay_ns(int64_t failed_attempts) {
  uint64_t ceiling = static_cast<uint64_t>(delay_ceiling_ns(failed_attempts));
  uint64_t random = 0;
  random_.fill(&random, sizeof random);
  // The modulo bias over a 64-bit draw is below 2^-30 for any ceiling we use: irrelevant here.
  return static_cast<int64_t>(random % (ceiling + 1));
}

std::optional<int64_t> RetrySchedule::next_attempt_at_ns(int64_t first_attempt_at_ns,
                                                         int64_t failed_attempts, int64_t now_ns) {
  int64_t next = now_ns + delay_ns(failed_attempts);
  if (next - first_attempt_at_ns > options_.window_ns) return std::nullopt;
  return next;
}

}  // namespace mpay::notify::webhooks
