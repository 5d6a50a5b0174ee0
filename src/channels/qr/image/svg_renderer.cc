#include "channels/qr/image/svg_renderer.h"

#include <optional>

#include "channels/qr/image/canvas_layout_internal.h"
#include "channels/qr/image/caption.h"
#include "channels/qr/image/qr_encoder.h"
#include "channels/qr/image/render_input_internal.h"

namespace mpay::qr {
namespace {

std::string xml_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// One subpath per horizontal run of dark modules: "M x y h w v m h -w z".
std::string dark_module_path(const QrMatrix& matrix, const internal::CanvasLayout& layout, int32_t module_px) {
  std::string path;
  for (int32_t y = 0; y < matrix.width_modules; ++y) {
    for (int32_t x = 0; x < matrix.width_modules;) {
      if (!matrix.is_dark(x, y)) {
        ++x;
        continue;
      }
      int32_t run_start = x;
      while (x < matrix.width_modules && matrix.is_dark(x, y)) ++x;
      int32_t run_px = (x - run_start) * module_px;
      path += "M" + std::to_string(layout.first_module_left_px + run_start * module_px) + " " +
              std::to_string(layout.first_module_top_px + y * module_px) + "h" + std::to_string(run_px) + "v" +
              std::to_string(module_px) + "h-" + std::to_string(run_px) + "z";
    }
  }
  return path;
}

}  // namespace

Result<std::string> render_svg(std::string_view text, const RenderOptions& options) {
  Result<internal::RenderInput> input = internal::prepare_render_input(text, options);
  if (!input.ok()) return input.error();
  const std::optional<Caption>& caption = input->caption;
  const QrMatrix& matrix = input->matrix;

  int32_t font_px = internal::caption_font_px(options.module_size_px);
  int32_t caption_width_px = caption ? internal::estimate_caption_width_px(caption->code_points, font_px) : 0;
  internal::CanvasLayout layout =
      internal::lay_out_canvas(matrix.width_modules, options, caption.has_value(), caption_width_px);
  std::string width = std::to_string(layout.canvas_width_px);
  std::string height = std::to_string(layout.canvas_height_px);

  std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + width + "\" height=\"" + height +
         "\" viewBox=\"0 0 " + width + " " + height + "\" shape-rendering=\"crispEdges\">\n";
  svg += "<rect x=\"0\" y=\"0\" width=\"" + width + "\" height=\"" + height + "\" fill=\"#ffffff\"/>\n";
  svg += "<path fill=\"#000000\" d=\"" + dark_module_path(matrix, layout, options.module_size_px) + "\"/>\n";
  if (caption) {
    svg += "<text x=\"" + std::to_string(layout.caption_centre_px) + "\" y=\"" +
           std::to_string(layout.caption_baseline_px) + "\" font-family=\"sans-serif\" font-size=\"" +
           std::to_string(layout.font_px) + "\" text-anchor=\"middle\" fill=\"#000000\">" +
           xml_escaped(caption->text) + "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace mpay::qr
