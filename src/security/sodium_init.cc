#include "security/sodium_init.h"

#include <sodium.h>

#include <mutex>

#include "core/check.h"

namespace mpay::security {

void ensure_sodium_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    // 0: initialized now; 1: someone else already did; -1: failure.
    MPAY_CHECK(sodium_init() >= 0, "libsodium failed to initialize");
  });
}

}  // namespace mpay::security
