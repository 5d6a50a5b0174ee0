#include "core/random.h"

#include <pthread.h>
#include <sys/random.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "core/check.h"

namespace mpay {

namespace {

void fill_from_kernel(unsigned char* bytes, size_t size) {
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

// Small requests (ids, nonces) are served from a per-thread buffer of kernel randomness, so that
// generating an id costs a copy rather than a system call. Bytes are never handed out twice.
constexpr size_t kBufferBytes = 4096;
constexpr size_t kBufferedRequestMax = 64;

struct RandomBuffer {
  unsigned char bytes[kBufferBytes];
  size_t used = kBufferBytes;
  uint64_t fork_generation = 0;
};

// A forked child must not reuse its parent's buffered bytes: every fork bumps the generation.
std::atomic<uint64_t> fork_generation{0};
const int fork_handler_installed = pthread_atfork(nullptr, nullptr, [] { ++fork_generation; });

}  // namespace

void SystemRandom::fill(void* buffer, size_t size) {
  auto* out = static_cast<unsigned char*>(buffer);
  if (size > kBufferedRequestMax) {
    fill_from_kernel(out, size);
    return;
  }
  thread_local RandomBuffer pool;
  (void)fork_handler_installed;
  uint64_t generation = fork_generation.load(std::memory_order_relaxed);
  if (kBufferBytes - pool.used < size || pool.fork_generation != generation) {
    pool.fork_generation = generation;
    fill_from_kernel(pool.bytes, kBufferBytes);
    pool.used = 0;
  }
  std::memcpy(out, pool.bytes + pool.used, size);
  std::memset(pool.bytes + pool.used, 0, size);  // consumed bytes do not linger in memory
  pool.used += size;
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
