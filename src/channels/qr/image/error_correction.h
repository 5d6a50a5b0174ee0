// The four QR error-correction levels and their one-letter names (L, M, Q, H), as the CLI and
// options spell them. Pure functions; safe from any thread. An unknown letter gives nullopt.
#pragma once

#include <optional>
#include <string_view>

namespace mpay::qr {

// How much of the symbol may be damaged and still read: about 7, 15, 25 and 30 per cent.
enum class ErrorCorrection { low, medium, quartile, high };

// "L", "M", "Q" or "H" (upper case only); nullopt for anything else.
std::optional<ErrorCorrection> error_correction_from_letter(std::string_view letter);

// The level's letter: "L", "M", "Q" or "H".
std::string_view error_correction_letter(ErrorCorrection level);

}  // namespace mpay::qr
