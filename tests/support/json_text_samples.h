// What the text writers (core/json_text.h and the views built on it) are checked against: the
// tree's dump as mpay sends it, and strings that need every kind of care.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mpay::testing {

inline std::string dumped(const nlohmann::json& tree) {
  return tree.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Strings a merchant or payer may send, and some no JSON parser would have let through.
inline const std::vector<std::string> kAwkwardTexts = {
    "",
    "plain",
    "quote \" backslash \\ slash /",
    "controls \b\f\n\r\t \x01\x1f \x7f",
    "caf\xc3\xa9 \xe6\x94\xaf\xe4\xbb\x98 \xf0\x9f\x92\xb3",
    "broken \xff\xfe utf-8 \xc3",
};

}  // namespace mpay::testing
