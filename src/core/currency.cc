#include "core/currency.h"

#include <algorithm>
#include <array>

namespace mpay {
namespace {

// Source: ISO 4217 list one (published by SIX Financial Information), current codes only.
// Kept sorted by code so lookups can binary-search; a unit test checks the order.
constexpr std::array<Currency, 41> kCurrencies{{
    {"AED", 784, 2}, {"AUD", 36, 2},  {"BDT", 50, 2},  {"BHD", 48, 3},  {"BRL", 986, 2},
    {"CAD", 124, 2}, {"CHF", 756, 2}, {"CLP", 152, 0}, {"CNY", 156, 2}, {"CZK", 203, 2},
    {"DKK", 208, 2}, {"EGP", 818, 2}, {"EUR", 978, 2}, {"GBP", 826, 2}, {"GHS", 936, 2},
    {"HKD", 344, 2}, {"IDR", 360, 2}, {"INR", 356, 2}, {"JOD", 400, 3}, {"JPY", 392, 0},
    {"KES", 404, 2}, {"KRW", 410, 0}, {"KWD", 414, 3}, {"MOP", 446, 2}, {"MXN", 484, 2},
    {"MYR", 458, 2}, {"NGN", 566, 2}, {"NOK", 578, 2}, {"NZD", 554, 2}, {"OMR", 512, 3},
    {"PHP", 608, 2}, {"PKR", 586, 2}, {"SAR", 682, 2}, {"SEK", 752, 2}, {"SGD", 702, 2},
    {"THB", 764, 2}, {"TWD", 901, 2}, {"TZS", 834, 2}, {"UGX", 800, 0}, {"USD", 840, 2},
    {"VND", 704, 0},
}};

}  // namespace

std::optional<Currency> currency_by_code(std::string_view code) {
  auto it = std::lower_bound(kCurrencies.begin(), kCurrencies.end(), code,
                             [](const Currency& c, std::string_view key) { return c.code < key; });
  if (it == kCurrencies.end() || it->code != code) return std::nullopt;
  return *it;
}

std::optional<Currency> currency_by_numeric(uint16_t numeric) {
  for (const Currency& c : kCurrencies) {
    if (c.numeric == numeric) return c;
  }
  return std::nullopt;
}

std::span<const Currency> known_currencies() { return kCurrencies; }

}  // namespace mpay
