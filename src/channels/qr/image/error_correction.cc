#include "channels/qr/image/error_correction.h"

namespace mpay::qr {

std::optional<ErrorCorrection> error_correction_from_letter(std::string_view letter) {
  if (letter == "L") return ErrorCorrection::low;
  if (letter == "M") return ErrorCorrection::medium;
  if (letter == "Q") return ErrorCorrection::quartile;
  if (letter == "H") return ErrorCorrection::high;
  return std::nullopt;
}

std::string_view error_correction_letter(ErrorCorrection level) {
  switch (level) {
    case ErrorCorrection::low: return "L";
    case ErrorCorrection::medium: return "M";
    case ErrorCorrection::quartile: return "Q";
    case ErrorCorrection::high: return "H";
  }
  return "?";
}

}  // namespace mpay::qr
