// Reads the QR code in a PNG image back to its text: libgd loads the image, ZXing-cpp finds and
// decodes the code (QR only, try harder). Meant for untrusted input (uploads, scans): the size
// limits of image_limits.h are checked on the file and on the dimensions its header claims
// before any pixel is decoded. Transparent pixels count as white.
//
// The text comes back as the exact bytes stored in the code (UTF-8 for codes this module made;
// no character-set guessing). Only a code that declares a character set with an ECI is
// converted, to UTF-8.
//
// Threads: any. libgd reports a damaged PNG through its error handler (stderr by default) before
// this returns. Failure: an Error, never an exception: qr_image_too_large (over
// png_input_bytes_max bytes or png_side_px_max pixels a side), qr_image_invalid (not a PNG, or
// one libgd cannot decode), qr_image_no_code (no readable QR code in it).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace mpay::qr {

Result<std::string> decode_qr_png(std::string_view png_bytes);

}  // namespace mpay::qr
