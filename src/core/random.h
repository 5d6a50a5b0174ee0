// Randomness as an injectable dependency. SystemRandom reads the kernel CSPRNG (getrandom) and is
// fit for secrets and tokens; SeededRandom is deterministic, for tests and simulations only.
// Both are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>

namespace mpay {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(void* buffer, size_t size) = 0;
};

class SystemRandom final : public RandomSource {
 public:
  void fill(void* buffer, size_t size) override;
};

class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  void fill(void* buffer, size_t size) override;

 private:
  std::mutex mutex_;
  uint64_t state_;
};

}  // namespace mpay
