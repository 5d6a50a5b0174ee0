// The "id" of a created resource from its JSON answer, read without building the whole document:
// the load generator needs only that field, and parsing the full payment request (about 900
// bytes) into a tree cost it more than the rest of handling the answer (docs/performance.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mpay::bench {

// The string value of the top-level "id" member, or nullopt when the answer is not a JSON object
// with one. Reading stops at the id: what follows it is not checked.
std::optional<std::string> created_id(std::string_view answer);

}  // namespace mpay::bench
