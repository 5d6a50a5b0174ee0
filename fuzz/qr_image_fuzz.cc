// Fuzz target: QR images. decode_qr_png on the input (untrusted PNG bytes, e.g. an upload).
//
// Properties:
// - the result is a text or one of the documented errors (qr_image_too_large, qr_image_invalid,
//   qr_image_no_code), with a printable-ASCII message (never an echo of the input's bytes);
// - input over png_input_bytes_max is qr_image_too_large, input without the PNG signature is
//   qr_image_invalid;
// - a decoded text that is short enough is drawn again with render_png and reads back to the
//   same bytes (the renderer and the decoder agree on any payload the decoder can produce).
// Each input is decoded twice: as it is, and with every chunk's CRC recomputed, since random
// damage almost never gets past libpng's CRC checks and the decoding behind them would
// otherwise go untested (the same idea as fuzz_checksum.h for the journal).
// libgd's warnings about damaged PNGs are silenced here (they would print on most inputs).
#include <gd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "channels/qr/image/qr_image.h"
#include "core/check.h"

namespace {

constexpr size_t round_trip_text_bytes_max = 256;

void ignore_gd_message(int, const char*, va_list) {}

uint32_t crc32_of(std::string_view bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (char c : bytes) {
    crc ^= static_cast<uint8_t>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xFFFFFFFFu;
}

// The input with the CRC of every complete chunk after the signature recomputed.
std::string with_chunk_crcs_recomputed(std::string png) {
  for (size_t at = 8; at + 12 <= png.size();) {
    uint32_t length = static_cast<uint32_t>(static_cast<uint8_t>(png[at])) << 24 |
                      static_cast<uint32_t>(static_cast<uint8_t>(png[at + 1])) << 16 |
                      static_cast<uint32_t>(static_cast<uint8_t>(png[at + 2])) << 8 |
                      static_cast<uint32_t>(static_cast<uint8_t>(png[at + 3]));
    if (length > png.size() - at - 12) break;
    uint32_t crc = crc32_of(std::string_view(png).substr(at + 4, 4 + length));
    for (int i = 0; i < 4; ++i) png[at + 8 + length + i] = static_cast<char>(crc >> (24 - 8 * i));
    at += 12 + length;
  }
  return png;
}

bool printable_ascii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

void check_decoding(std::string_view input) {
  size_t size = input.size();
  mpay::Result<std::string> text = mpay::qr::decode_qr_png(input);
  if (!text.ok()) {
    const std::string& code = text.error().code;
    MPAY_CHECK(code == "qr_image_too_large" || code == "qr_image_invalid" || code == "qr_image_no_code",
               "decode_qr_png returned an undocumented error code");
    MPAY_CHECK(printable_ascii(text.error().message), "error message is not printable ASCII");
    if (size > mpay::qr::png_input_bytes_max) MPAY_CHECK(code == "qr_image_too_large", "oversized input accepted");
    if (input.substr(0, 8) != std::string_view("\x89PNG\r\n\x1a\n", 8) && size <= mpay::qr::png_input_bytes_max) {
      MPAY_CHECK(code == "qr_image_invalid", "a non-PNG input was not called invalid");
    }
    return;
  }
  MPAY_CHECK(input.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8), "decoded a code from a non-PNG");
  if (!text->empty() && text->size() <= round_trip_text_bytes_max) {
    mpay::qr::RenderOptions options;
    options.module_size_px = 2;
    mpay::Result<mpay::qr::PngImage> png = mpay::qr::render_png(*text, options);
    MPAY_CHECK(png.ok(), "a decoded text could not be drawn again");
    mpay::Result<std::string> again = mpay::qr::decode_qr_png(png->bytes);
    MPAY_CHECK(again.ok() && *again == *text, "a decoded text did not survive render_png and decode_qr_png");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool silenced = [] {
    gdSetErrorMethod(ignore_gd_message);
    return true;
  }();
  (void)silenced;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check_decoding(input);
  if (size <= mpay::qr::png_input_bytes_max) check_decoding(with_chunk_crcs_recomputed(std::string(input)));
  return 0;
}
