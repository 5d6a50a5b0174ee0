// Merchant category codes (ISO 18245): four digits naming what a merchant sells, which fees,
// limits and risk rules depend on.
#pragma once

#include <optional>
#include <string_view>

namespace mpay::merchant {

// The ISO 18245 block a code falls in ("airlines", "retail outlet services", ...), or nullopt when
// the text is not four ASCII digits or lies outside every assigned block (0000-0741, 0781-1519 and
// 2843-2999 are unassigned).
std::optional<std::string_view> mcc_category(std::string_view mcc);

}  // namespace mpay::merchant
