// Internal to the QR image module: what both renderers start from, checked once: the options, the
// caption (cut and decoded) and the symbol. Pure; safe from any thread.
#pragma once

#include <optional>
#include <string_view>

#include "channels/qr/image/caption.h"
#include "channels/qr/image/qr_encoder.h"
#include "channels/qr/image/render_options.h"

namespace mpay::qr::internal {

struct RenderInput {
  QrMatrix matrix;
  std::optional<Caption> caption;  // when options.caption is not empty
};

// Errors: those of validate_render_options, prepare_caption and encode_qr.
Result<RenderInput> prepare_render_input(std::string_view text, const RenderOptions& options);

}  // namespace mpay::qr::internal
