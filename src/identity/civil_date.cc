#include "identity/civil_date.h"

#include <chrono>
#include <cstdio>

#include "core/check.h"

namespace mpay::identity {

namespace {
constexpr int kYearMin = 1;
constexpr int kYearMax = 9999;  // four digits in every format we print or parse
constexpr int kUtcOffsetMinutesMax = 24 * 60;
}  // namespace

bool CivilDate::is_valid() const {
  if (year < kYearMin || year > kYearMax) return false;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  // Ranges checked first, so the narrowing casts below cannot wrap.
  std::chrono::year_month_day date{std::chrono::year{year},
                                   std::chrono::month{static_cast<unsigned>(month)},
                                   std::chrono::day{static_cast<unsigned>(day)}};
  return date.ok();
}

std::string CivilDate::to_string() const {
  if (!is_valid()) return "invalid-date";
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02d", year, month, day);
  return text;
}

CivilDate civil_date_from_unix_ns(int64_t unix_ns, int utc_offset_minutes) {
  using namespace std::chrono;
  MPAY_CHECK(utc_offset_minutes >= -kUtcOffsetMinutesMax && utc_offset_minutes <= kUtcOffsetMinutesMax,
             "civil_date_from_unix_ns: a UTC offset of more than a day");
  // Shifted in minutes (int64): the offset cannot overflow them.
  sys_time<nanoseconds> instant{nanoseconds{unix_ns}};
  auto local = floor<days>(floor<minutes>(instant) + minutes{utc_offset_minutes});
  year_month_day date{local};
  return CivilDate{static_cast<int>(date.year()), static_cast<int>(unsigned{date.month()}),
                   static_cast<int>(unsigned{date.day()})};
}

}  // namespace mpay::identity
