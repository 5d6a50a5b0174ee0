#include "channels/qr/image/font_coverage_internal.h"

#include <ft2build.h>
#include FT_FREETYPE_H

namespace mpay::qr::internal {

FontCoverage check_font_coverage(const std::string& font_path, const std::vector<char32_t>& code_points) {
  // libgd reads its font argument as a list separated by ';' or ','; a path with them would name
  // other files than the one checked here.
  if (font_path.empty() || font_path.find_first_of(";,") != std::string::npos) return FontCoverage::font_unreadable;
  FT_Library library = nullptr;
  if (FT_Init_FreeType(&library) != 0) return FontCoverage::font_unreadable;
  FontCoverage answer = FontCoverage::font_unreadable;
  FT_Face face = nullptr;
  if (FT_New_Face(library, font_path.c_str(), 0, &face) == 0) {
    if (FT_Select_Charmap(face, FT_ENCODING_UNICODE) == 0) {
      answer = FontCoverage::covered;
      for (char32_t code_point : code_points) {
        if (FT_Get_Char_Index(face, code_point) == 0) {
          answer = FontCoverage::glyphs_missing;
          break;
        }
      }
    }
    FT_Done_Face(face);
  }
  FT_Done_FreeType(library);
  return answer;
}

}  // namespace mpay::qr::internal
