// The QR symbol of a text: its square matrix of dark and light modules, made by libqrencode.
//
// The text is taken as bytes (UTF-8 for anything beyond ASCII) and comes back from any reader
// byte for byte: runs of digits are stored in numeric mode (an 18-digit payment code fits
// version 1), everything else in 8-bit mode without any character-set guessing (no Kanji mode).
// The version (size) is the smallest that holds the text at the asked level.
//
// Threads: any (libqrencode is built thread-safe on Debian). Failure: an Error, never an
// exception: qr_text_empty, qr_text_too_long (nothing up to version 40 holds it at this level),
// qr_encode_failed (the library ran out of memory or refused the input).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "channels/qr/image/error_correction.h"
#include "core/error.h"

namespace mpay::qr {

struct QrMatrix {
  int32_t version = 0;        // 1..40
  int32_t width_modules = 0;  // 17 + 4 * version; the matrix is square
  ErrorCorrection level = ErrorCorrection::medium;
  std::vector<uint8_t> dark;  // row-major, width_modules^2 entries, 1 = dark module

  bool is_dark(int32_t x, int32_t y) const {
    return dark[static_cast<size_t>(y) * static_cast<size_t>(width_modules) + static_cast<size_t>(x)] != 0;
  }
};

Result<QrMatrix> encode_qr(std::string_view text, ErrorCorrection level);

}  // namespace mpay::qr
