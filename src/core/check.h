// Always-on assertions for invariants (TigerStyle): a broken invariant in the money core crashes the
// process rather than letting it continue with wrong state. Active in release builds too.
//
// MPAY_CHECK(condition, message) prints the location, the condition and the message to stderr and
// aborts. Use it for programmer errors and "can never happen" states, never for bad input.
#pragma once

namespace mpay::detail {
[[noreturn]] void check_failed(const char* file, int line, const char* condition, const char* message);
}  // namespace mpay::detail

#define MPAY_CHECK(condition, message)                                        \
  do {                                                                        \
    if (!(condition)) [[unlikely]] {                                          \
      ::mpay::detail::check_failed(__FILE__, __LINE__, #condition, message);  \
    }                                                                         \
  } while (false)
