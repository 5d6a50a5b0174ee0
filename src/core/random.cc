#include "core/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include "core/check.h"

namespace mpay {

void SystemRandom::fill(void* buffer, size_t size) {
  auto* bytes = static_cast<unsigned char*>(buffer);
  while (size > 0) {
    ssize_t got = getrandom(bytes, size, 0);
    if (got < 0) {
      MPAY_CHECK(errno == EINTR, "getrandom failed");
      continue;
    }
    bytes += got;
    size -= static_cast<size_t>(got);
  }
}

void SeededRandom::fill(void* buffer, size_t size) {
  auto* bytes = static_cast<unsigned char*>(buffer);
  std::lock_guard lock(mutex_);
  while (size > 0) {
    // splitmix64: small, fast, good enough for reproducible test data.
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    size_t n = size < sizeof(z) ? size : sizeof(z);
    std::memcpy(bytes, &z, n);
    bytes += n;
    size -= n;
  }
}

}  // namespace mpay
