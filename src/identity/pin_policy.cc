#include "identity/pin_policy.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

namespace mpay::identity {

namespace {

constexpr std::string_view kField = "pin";

using Digits = std::array<int, kPinLength>;

// +1 or -1 modulo 10 (so 9 -> 0 and 0 -> 9 count), or 0 for any other step.
int unit_step(int from, int to) {
  int step = (to - from + 10) % 10;
  if (step == 1) return 1;
  if (step == 9) return -1;
  return 0;
}

bool is_run(const Digits& d) {
  int step = unit_step(d[0], d[1]);
  if (step == 0) return false;
  for (size_t i = 1; i + 1 < d.size(); ++i) {
    if (unit_step(d[i], d[i + 1]) != step) return false;
  }
  return true;
}

// Every digit equal to the one `period` places before it: 000000 (1), 121212 (2), 123123 (3).
bool has_period(const Digits& d, size_t period) {
  for (size_t i = period; i < d.size(); ++i) {
    if (d[i] != d[i - period]) return false;
  }
  return true;
}

bool is_two_triples(const Digits& d) {  // aaabbb
  return d[0] == d[1] && d[1] == d[2] && d[3] == d[4] && d[4] == d[5];
}

bool is_stepping_pairs(const Digits& d) {  // aabbcc with b = a +- 1, c = b +- 1 (same sign)
  if (d[0] != d[1] || d[2] != d[3] || d[4] != d[5]) return false;
  int step = unit_step(d[0], d[2]);
  return step != 0 && unit_step(d[2], d[4]) == step;
}

bool is_mirrored_run(const Digits& d) {  // abccba with a, b, c a run
  if (d[0] != d[5] || d[1] != d[4] || d[2] != d[3]) return false;
  int step = unit_step(d[0], d[1]);
  return step != 0 && unit_step(d[1], d[2]) == step;
}

// Popular PINs that none of the patterns catch (sources in pin_policy.h).
constexpr std::array<std::string_view, 17> kWeakPins = {
    "147258", "258369", "369258", "147369", "159357", "357159", "159753", "789456", "456123",
    "741852", "963852", "123789", "789123", "321654",  // keypad lines and shapes
    "521314", "201314", "131420",                      // "love" numbers
};

bool is_too_simple(std::string_view pin, const Digits& d) {
  if (has_period(d, 1) || has_period(d, 2) || has_period(d, 3)) return true;
  if (is_run(d) || is_two_triples(d) || is_stepping_pairs(d) || is_mirrored_run(d)) return true;
  return std::find(kWeakPins.begin(), kWeakPins.end(), pin) != kWeakPins.end();
}

std::string two_digits(int value) {
  char text[4];
  std::snprintf(text, sizeof(text), "%02d", value % 100);
  return text;
}

bool matches_birth_date(std::string_view pin, const CivilDate& birth_date) {
  if (!birth_date.is_valid()) return false;
  std::string yyyy = two_digits(birth_date.year / 100) + two_digits(birth_date.year);
  std::string yy = two_digits(birth_date.year);
  std::string mm = two_digits(birth_date.month);
  std::string dd = two_digits(birth_date.day);
  const std::array<std::string, 7> forms = {
      yy + mm + dd, dd + mm + yy, mm + dd + yy,  // two-digit year
      yyyy + mm,    mm + yyyy,                   // year and month
      mm + dd + mm, dd + mm + dd,                // month-day repeated
  };
  return std::find(forms.begin(), forms.end(), pin) != forms.end();
}

}  // namespace

Status check_pin_policy(std::string_view pin, std::optional<CivilDate> birth_date) {
  bool six_digits = pin.size() == kPinLength &&
                    std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!six_digits) {
    return Error("pin_format", "the PIN must be exactly 6 digits", std::string(kField));
  }
  Digits digits{};
  for (size_t i = 0; i < kPinLength; ++i) digits[i] = pin[i] - '0';
  if (is_too_simple(pin, digits)) {
    return Error("pin_too_simple", "the PIN is too easy to guess", std::string(kField));
  }
  if (birth_date && matches_birth_date(pin, *birth_date)) {
    return Error("pin_matches_birth_date", "the PIN must not be the birth date",
                 std::string(kField));
  }
  return ok_status();
}

}  // namespace mpay::identity
