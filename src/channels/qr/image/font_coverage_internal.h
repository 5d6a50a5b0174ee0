// Internal to the QR image module: can this TrueType font draw every character of a caption?
// Asked with FreeType before libgd draws, because libgd silently draws a box for a character the
// font lacks (Chinese with DejaVu Sans). Thread-safe: each call uses its own FreeType library
// instance. Never fails: the answer says what is wrong.
#pragma once

#include <string>
#include <vector>

namespace mpay::qr::internal {

enum class FontCoverage {
  covered,          // every code point has a glyph
  font_unreadable,  // no such file, not a font FreeType reads, or no Unicode character map
  glyphs_missing,   // at least one code point has no glyph
};

FontCoverage check_font_coverage(const std::string& font_path, const std::vector<char32_t>& code_points);

}  // namespace mpay::qr::internal
