#include "channels/qr/image/gd_image_internal.h"

#include <mutex>

namespace mpay::qr::internal {

void set_up_gd_font_cache_once() {
  static std::once_flag once;
  std::call_once(once, [] { gdFontCacheSetup(); });
}

}  // namespace mpay::qr::internal
