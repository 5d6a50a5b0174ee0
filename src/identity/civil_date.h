// CivilDate: a calendar day (proleptic Gregorian, no time of day, no time zone), as printed on
// identity documents and as the "today" that birth dates are compared with.
//
// A plain aggregate: any three ints can be stored, so it can be filled from outside input and then
// checked. is_valid() says whether they name a real day: year 1..9999, month 1..12, and a day that
// exists in that month (February 29 only in leap years: divisible by 4, centuries only when
// divisible by 400, so 2000-02-29 exists and 1900-02-29 does not). Functions that take a CivilDate
// say what they do with an invalid one. Valid dates compare chronologically (the comparison is
// field by field: year, then month, then day). Thread-safe as a value.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace mpay::identity {

struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;

  bool is_valid() const;

  // "1990-01-15" (ISO 8601 calendar date) for a valid date; "invalid-date" otherwise.
  std::string to_string() const;

  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// The calendar day at `unix_ns` (nanoseconds since the Unix epoch, e.g. Clock::now_ns()) in a zone
// `utc_offset_minutes` east of UTC: China Standard Time is +480. Always returns a valid date (the
// int64 nanosecond range spans the years 1677..2262). An offset beyond +-24 hours is a programmer
// error (MPAY_CHECK).
CivilDate civil_date_from_unix_ns(int64_t unix_ns, int utc_offset_minutes);

inline constexpr int kChinaStandardTimeOffsetMinutes = 8 * 60;

}  // namespace mpay::identity
