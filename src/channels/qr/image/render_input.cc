#include "channels/qr/image/render_input_internal.h"

namespace mpay::qr::internal {

Result<RenderInput> prepare_render_input(std::string_view text, const RenderOptions& options) {
  if (Status valid = validate_render_options(options); !valid.ok()) return valid.error();
  std::optional<Caption> caption;
  if (!options.caption.empty()) {
    Result<Caption> prepared = prepare_caption(options.caption);
    if (!prepared.ok()) return prepared.error();
    caption = std::move(*prepared);
  }
  Result<QrMatrix> matrix = encode_qr(text, options.level);
  if (!matrix.ok()) return matrix.error();
  return RenderInput{std::move(*matrix), std::move(caption)};
}

}  // namespace mpay::qr::internal
