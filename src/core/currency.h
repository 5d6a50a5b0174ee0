// ISO 4217 currencies: alphabetic code, numeric code and minor-unit exponent.
//
// The table is compiled in (currencies change rarely and every node must agree). Lookups are
// thread-safe. A Currency is a small value type; compare it by numeric code.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mpay {

struct Currency {
  std::string_view code;  // "CNY"
  uint16_t numeric = 0;   // 156
  uint8_t exponent = 0;   // digits after the decimal point: 2 for CNY, 0 for JPY, 3 for KWD

  friend bool operator==(const Currency& a, const Currency& b) { return a.numeric == b.numeric; }
};

// Finds a currency by its three upper-case letters ("CNY"). Lower case is not accepted: ISO codes are
// upper case and accepting both invites two spellings of the same key.
std::optional<Currency> currency_by_code(std::string_view code);

// Finds a currency by its ISO numeric code (156 for CNY).
std::optional<Currency> currency_by_numeric(uint16_t numeric);

// Every currency the platform knows, in code order.
std::span<const Currency> known_currencies();

}  // namespace mpay
