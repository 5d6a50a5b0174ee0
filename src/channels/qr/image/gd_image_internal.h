// Internal to the QR image module: ownership of libgd images and memory, and the one-time set-up
// of libgd's font cache. Thread-safe (the set-up runs once, under std::call_once).
#pragma once

#include <gd.h>

#include <memory>

namespace mpay::qr::internal {

struct GdImageDeleter {
  void operator()(gdImage* image) const { gdImageDestroy(image); }
};
using GdImage = std::unique_ptr<gdImage, GdImageDeleter>;

struct GdMemoryDeleter {
  void operator()(void* memory) const { gdFree(memory); }
};
using GdMemory = std::unique_ptr<void, GdMemoryDeleter>;

// libgd's FreeType font cache must be created before two threads draw text at once.
void set_up_gd_font_cache_once();

}  // namespace mpay::qr::internal
