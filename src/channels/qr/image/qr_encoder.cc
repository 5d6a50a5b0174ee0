#include "channels/qr/image/qr_encoder.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <string>

#include "channels/qr/image/image_limits.h"

namespace mpay::qr {
namespace {

QRecLevel library_level(ErrorCorrection level) {
  switch (level) {
    case ErrorCorrection::low: return QR_ECLEVEL_L;
    case ErrorCorrection::medium: return QR_ECLEVEL_M;
    case ErrorCorrection::quartile: return QR_ECLEVEL_Q;
    case ErrorCorrection::high: return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

struct QrcodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

Error too_long(std::string_view text, ErrorCorrection level) {
  return Error("qr_text_too_long",
               "the text (" + std::to_string(text.size()) + " bytes) does not fit a QR code at level " +
                   std::string(error_correction_letter(level)),
               "text");
}

}  // namespace

Result<QrMatrix> encode_qr(std::string_view text, ErrorCorrection level) {
  if (text.empty()) return Error("qr_text_empty", "there is no text to encode", "text");
  if (text.size() > text_bytes_max) return too_long(text, level);

  // QRcode_encodeString splits the text into numeric, alphanumeric and 8-bit runs; the hint
  // QR_MODE_8 keeps every other byte as it is (UTF-8 survives; no Shift-JIS Kanji mode). It
  // needs a NUL-terminated string, so text with a NUL byte goes whole in 8-bit mode instead.
  std::string terminated(text);
  errno = 0;
  std::unique_ptr<QRcode, QrcodeDeleter> code(
      terminated.find('\0') == std::string::npos
          ? QRcode_encodeString(terminated.c_str(), 0, library_level(level), QR_MODE_8, 1)
          : QRcode_encodeData(static_cast<int>(text.size()),
                              reinterpret_cast<const unsigned char*>(text.data()), 0, library_level(level)));
  if (!code) {
    if (errno == ERANGE) return too_long(text, level);
    return Error("qr_encode_failed", "libqrencode could not encode the text", "text");
  }
  MPAY_CHECK(code->width > 0 && code->width <= symbol_modules_max, "libqrencode returned an impossible width");

  QrMatrix matrix;
  matrix.version = code->version;
  matrix.width_modules = code->width;
  matrix.level = level;
  size_t cells = static_cast<size_t>(code->width) * static_cast<size_t>(code->width);
  matrix.dark.resize(cells);
  for (size_t i = 0; i < cells; ++i) matrix.dark[i] = code->data[i] & 1;  // bit 0: dark
  return matrix;
}

}  // namespace mpay::qr
