// Test support: the independent decoders, run as programs, and file helpers.
//
// zbarimg is run as `zbarimg --nodbus --raw -q -Sbinary FILE`. Found on this machine (zbar
// 0.23.92): without -Sbinary, zbarimg guesses the character set of 8-bit data and converts it,
// so short UTF-8 text such as "Café é" comes out as Shift-JIS mojibake (Chinese UTF-8 happens to
// survive), and it appends a newline. With -Sbinary the exact bytes come out, with no newline.
// (zbarimg_charset_test.cc pins this down.) zbarimg exits 4 when it finds no code.
#pragma once

#include <optional>
#include <string>

#include "support/run_program.h"

namespace mpay::qr::testing {

using mpay::testing::ProgramOutput;
using mpay::testing::run_program;
using mpay::testing::shell_quoted;

// The payload zbarimg reads from the image file (exact bytes), or nullopt if it finds none.
std::optional<std::string> zbarimg_decode(const std::string& image_path, bool binary = true);

// Converts an SVG file to PNG with rsvg-convert; false if it fails.
bool rsvg_convert(const std::string& svg_path, const std::string& png_path);

void write_file(const std::string& path, const std::string& bytes);
std::string read_file(const std::string& path);

}  // namespace mpay::qr::testing
