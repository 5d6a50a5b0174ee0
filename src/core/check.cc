#include "core/check.h"

#include <cstdio>
#include <cstdlib>

namespace mpay::detail {

void check_failed(const char* file, int line, const char* condition, const char* message) {
  std::fprintf(stderr, "FATAL %s:%d: check failed: %s: %s\n", file, line, condition, message);
  std::fflush(stderr);
  std::abort();
}

}  // namespace mpay::detail
