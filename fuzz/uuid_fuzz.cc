// Fuzz target: UUID text. parse_uuid_text on the input, to_uuid_text on the first 16 input bytes.
//
// Properties:
// - parse_uuid_text accepts exactly the canonical 36-character form (hex digits in either case,
//   dashes at 8, 13, 18 and 23), checked against an independent spelling of that rule;
// - to_uuid_text(parse_uuid_text(x)) is x in lower case;
// - parse_uuid_text(to_uuid_text(id)) == id for any id.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "core/check.h"
#include "core/ids.h"

namespace {

bool canonical_form(std::string_view text) {
  constexpr std::string_view kShape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  if (text.size() != kShape.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (kShape[i] == '-' ? c != '-' : !hex) return false;
  }
  return true;
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<mpay::Id128> id = mpay::parse_uuid_text(text);
  MPAY_CHECK(id.has_value() == canonical_form(text), "parse_uuid_text misjudged the form");
  if (id) {
    MPAY_CHECK(mpay::to_uuid_text(*id) == lower_case(text), "to_uuid_text(parse(x)) != lower(x)");
  }

  uint8_t bytes[16] = {};
  if (size > 0) std::memcpy(bytes, data, size < sizeof(bytes) ? size : sizeof(bytes));
  mpay::Id128 raw;
  std::memcpy(&raw.high, bytes, sizeof(raw.high));
  std::memcpy(&raw.low, bytes + 8, sizeof(raw.low));
  std::string printed = mpay::to_uuid_text(raw);
  MPAY_CHECK(canonical_form(printed) && lower_case(printed) == printed,
             "to_uuid_text printed a non-canonical form");
  std::optional<mpay::Id128> back = mpay::parse_uuid_text(printed);
  MPAY_CHECK(back.has_value() && *back == raw, "parse_uuid_text(to_uuid_text(id)) != id");
  return 0;
}
