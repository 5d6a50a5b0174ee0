#include "channels/qr/image/render_options.h"

namespace mpay::qr {

Status validate_render_options(const RenderOptions& options) {
  if (options.module_size_px < module_size_px_min || options.module_size_px > module_size_px_max) {
    return Error("qr_option_invalid",
                 "module size must be " + std::to_string(module_size_px_min) + ".." +
                     std::to_string(module_size_px_max) + " pixels",
                 "module_size_px");
  }
  if (options.quiet_zone_modules < quiet_zone_modules_min || options.quiet_zone_modules > quiet_zone_modules_max) {
    return Error("qr_option_invalid",
                 "quiet zone must be " + std::to_string(quiet_zone_modules_min) + ".." +
                     std::to_string(quiet_zone_modules_max) + " modules",
                 "quiet_zone_modules");
  }
  if (options.quiet_zone_modules < quiet_zone_modules_spec && !options.allow_narrow_quiet_zone) {
    return Error("qr_option_invalid",
                 "a quiet zone under 4 modules breaks the QR specification; ask for it explicitly",
                 "quiet_zone_modules");
  }
  return ok_status();
}

}  // namespace mpay::qr
