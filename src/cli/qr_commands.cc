#include "cli/qr_commands.h"

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "channels/qr/image/qr_image.h"

namespace mpay::cli {
namespace {

struct RenderArguments {
  std::string payload, payload_file, format, out, level = "M", caption, font = qr::default_caption_font_path;
  int32_t module_px = qr::module_size_px_default;
  int32_t margin = qr::quiet_zone_modules_spec;
  bool allow_narrow_margin = false;
};

int fail(const Error& error) {
  std::fprintf(stderr, "mpay: %s: %s%s%s\n", error.code.c_str(), error.message.c_str(),
               error.field.empty() ? "" : " (field ", error.field.empty() ? "" : (error.field + ")").c_str());
  return 1;
}

// At most limit + 1 bytes, so that an oversized file is seen as such without reading it all.
Result<std::string> read_limited(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error("file_unreadable", "cannot open " + path, "file");
  std::string bytes(limit + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return Error("file_unreadable", "cannot read " + path, "file");
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

Status write_all(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Error("file_unwritable", "cannot write " + path, "out");
  return ok_status();
}

int render(const RenderArguments& arguments) {
  std::string payload = arguments.payload;
  if (!arguments.payload_file.empty()) {
    Result<std::string> read = read_limited(arguments.payload_file, qr::text_bytes_max);
    if (!read.ok()) return fail(read.error());
    payload = std::move(*read);
  }
  qr::RenderOptions options;
  options.level = *qr::error_correction_from_letter(arguments.level);  // checked by CLI11
  options.module_size_px = arguments.module_px;
  options.quiet_zone_modules = arguments.margin;
  options.allow_narrow_quiet_zone = arguments.allow_narrow_margin;
  options.caption = arguments.caption;
  options.font_path = arguments.font;

  std::string bytes;
  if (arguments.format == "png") {
    Result<qr::PngImage> png = qr::render_png(payload, options);
    if (!png.ok()) return fail(png.error());
    if (png->caption != qr::CaptionOutcome::not_requested && png->caption != qr::CaptionOutcome::drawn) {
      std::fprintf(stderr, "mpay: caption left out (%s)\n", std::string(qr::caption_outcome_name(png->caption)).c_str());
    }
    bytes = std::move(png->bytes);
  } else {
    Result<std::string> svg = qr::render_svg(payload, options);
    if (!svg.ok()) return fail(svg.error());
    bytes = std::move(*svg);
  }
  if (Status written = write_all(arguments.out, bytes); !written.ok()) return fail(written.error());
  std::printf("%s\n", arguments.out.c_str());
  return 0;
}

int decode(const std::string& path) {
  Result<std::string> bytes = read_limited(path, qr::png_input_bytes_max);
  if (!bytes.ok()) return fail(bytes.error());
  Result<std::string> payload = qr::decode_qr_png(*bytes);
  if (!payload.ok()) return fail(payload.error());
  std::fwrite(payload->data(), 1, payload->size(), stdout);
  std::fputc('\n', stdout);
  return 0;
}

}  // namespace

std::function<int()> add_qr_commands(CLI::App& app) {
  auto arguments = std::make_shared<RenderArguments>();
  auto decode_path = std::make_shared<std::string>();

  CLI::App* qr = app.add_subcommand("qr", "QR code images (PNG, SVG) of a payment payload");
  qr->require_subcommand(1);
  CLI::App* render_command = qr->add_subcommand("render", "draw a payload as a QR code image");
  RenderArguments& a = *arguments;
  CLI::Option* payload = render_command->add_option("--payload", a.payload, "the text to encode (UTF-8)");
  CLI::Option* payload_file =
      render_command->add_option("--payload-file", a.payload_file, "a file whose bytes are the payload")
          ->check(CLI::ExistingFile);
  payload->excludes(payload_file);
  payload_file->excludes(payload);
  render_command->add_option("--format", a.format, "png or svg")->required()->check(CLI::IsMember({"png", "svg"}));
  render_command->add_option("--out", a.out, "the image file to write")->required();
  render_command->add_option("--ec", a.level, "error correction: L, M, Q or H")
      ->capture_default_str()
      ->check(CLI::IsMember({"L", "M", "Q", "H"}));
  render_command->add_option("--module-px", a.module_px, "pixels per module, 1..32")->capture_default_str();
  render_command->add_option("--margin", a.margin, "quiet zone in modules, 0..16")->capture_default_str();
  render_command->add_flag("--allow-narrow-margin", a.allow_narrow_margin, "allow a quiet zone under 4 modules");
  render_command->add_option("--caption", a.caption, "text under the code, e.g. the merchant's name");
  render_command->add_option("--font", a.font, "TrueType font for the PNG caption")->capture_default_str();

  CLI::App* decode_command = qr->add_subcommand("decode", "print the payload of the QR code in a PNG");
  decode_command->add_option("file", *decode_path, "the PNG image")->required();

  return [=]() -> int {
    if (render_command->parsed()) {
      if (arguments->payload.empty() == arguments->payload_file.empty()) {
        return fail(Error("payload_missing", "give exactly one of --payload and --payload-file", "payload"));
      }
      return render(*arguments);
    }
    if (decode_command->parsed()) return decode(*decode_path);
    return -1;
  };
}

}  // namespace mpay::cli
