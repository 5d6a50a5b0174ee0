// libsodium's one-time initialization (sodium_init: picks the fastest implementations and checks
// the system's randomness source). Every entry point of mpay_security that touches libsodium calls
// ensure_sodium_initialized() first, so callers never have to.
//
// Threads: safe from any thread; the first caller initializes, the others wait (std::call_once).
// Failure: if libsodium cannot initialize, the process aborts (MPAY_CHECK): there is no safe way to
// continue without working cryptography.
#pragma once

namespace mpay::security {

void ensure_sodium_initialized();

}  // namespace mpay::security
