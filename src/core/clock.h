// Time as an injectable dependency, so that tests and deterministic replays control it.
//
// now_ns() returns nanoseconds since the Unix epoch (wall clock). Implementations must be
// thread-safe. The ledger never reads a clock during replay: batch time comes from the journal.
#pragma once

#include <atomic>
#include <cstdint>

namespace mpay {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ns() = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t now_ns() override;
};

// A clock that only moves when told to. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ns) : now_ns_(start_ns) {}
  int64_t now_ns() override { return now_ns_.load(); }
  void advance_ns(int64_t delta_ns) { now_ns_ += delta_ns; }
  void set_ns(int64_t value_ns) { now_ns_ = value_ns; }

 private:
  std::atomic<int64_t> now_ns_;
};

}  // namespace mpay
