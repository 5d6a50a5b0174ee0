// When to try a failed delivery again, and when to give up.
//
// Exponential backoff with full jitter: after the n-th failed attempt (n >= 1) the next one waits
// a uniformly random delay in [0, min(cap, base * factor^(n-1))]; spreading retries over the whole
// range keeps many deliveries that failed together (a merchant's outage) from returning together.
// A delivery gives up (becomes `failed`) when its next attempt would fall more than `window`
// after its first attempt; the last attempt therefore happens within the window.
// Thread-safe if the RandomSource is (core's are).
#pragma once

#include <cstdint>
#include <optional>

#include "core/random.h"

namespace mpay::notify::webhooks {

struct RetryOptions {
  int64_t base_ns = 10'000'000'000;             // 10 s
  int64_t factor = 2;
  int64_t cap_ns = 3600'000'000'000;            // 1 h
  int64_t window_ns = 24 * 3600'000'000'000LL;  // give up 24 h after the first attempt
};

class RetrySchedule {
 public:
  RetrySchedule(RetryOptions options, RandomSource& random) : options_(options), random_(random) {}

  // The ceiling of the delay after `failed_attempts` failures: min(cap, base * factor^(n-1)).
  int64_t delay_ceiling_ns(int64_t failed_attempts) const;
  // A uniformly random delay in [0, delay_ceiling_ns(failed_attempts)].
  int64_t delay_ns(int64_t failed_attempts);
  // When to try next after a failure at now_ns, or nullopt: give up.
  std::optional<int64_t> next_attempt_at_ns(int64_t first_attempt_at_ns, int64_t failed_attempts,
                                            int64_t now_ns);

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
  RandomSource& random_;
};

}  // namespace mpay::notify::webhooks
