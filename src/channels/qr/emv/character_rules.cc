#include <array>
#include <string>

#include "channels/qr/emv/character_rules_internal.h"
#include "core/check.h"

namespace mpay::qr::internal {

bool is_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_alphanumeric_special(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

bool is_upper_case_letters(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

bool is_ascii_letters(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!letter) return false;
  }
  return true;
}

std::optional<int> id_number(std::string_view id) {
  if (id.size() != 2 || !is_digits(id)) return std::nullopt;
  return (id[0] - '0') * 10 + (id[1] - '0');
}

std::string_view id_text(int number) {
  MPAY_CHECK(number >= 0 && number <= 99, "an EMV ID is two digits");
  static const std::array<std::string, 100> kTexts = [] {
    std::array<std::string, 100> texts;
    for (int n = 0; n < 100; ++n) {
      texts[n] = std::string{static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)};
    }
    return texts;
  }();
  return kTexts[static_cast<size_t>(number)];
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'a' && a[i] <= 'z' ? static_cast<char>(a[i] - 32) : a[i];
    char y = b[i] >= 'a' && b[i] <= 'z' ? static_cast<char>(b[i] - 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace mpay::qr::internal
