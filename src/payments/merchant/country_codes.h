// ISO 3166-1 alpha-2 country codes: where a merchant trades.
#pragma once

#include <string_view>

namespace mpay::merchant {

// True for an officially assigned code in upper case ("CN", "KE"); lower case is refused, like
// currency codes, so that one country has one spelling.
bool is_iso3166_alpha2(std::string_view code);

}  // namespace mpay::merchant
