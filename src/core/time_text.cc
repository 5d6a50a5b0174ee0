#include "core/time_text.h"

#include <chrono>
#include <cstdio>

namespace mpay {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

bool digits(std::string_view text, size_t at, size_t count, int* out) {
  if (at + count > text.size()) return false;
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

}  // namespace

std::string format_rfc3339_ms(int64_t unix_ns) {
  int64_t seconds = unix_ns / kNsPerSecond;
  int64_t rest = unix_ns % kNsPerSecond;
  if (rest < 0) {
    rest += kNsPerSecond;
    --seconds;
  }
  std::chrono::sys_seconds time{std::chrono::seconds(seconds)};
  std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(time);
  std::chrono::year_month_day date(day);
  std::chrono::hh_mm_ss clock(time - day);
  char text[40];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()), static_cast<int>(rest / 1'000'000));
  return text;
}

Result<int64_t> parse_rfc3339(std::string_view text) {
  Error invalid("timestamp_invalid", "expected an RFC 3339 time such as 2026-11-25T13:12:45Z");
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || !digits(text, 0, 4, &year) || text[4] != '-' || !digits(text, 5, 2, &month) ||
      text[7] != '-' || !digits(text, 8, 2, &day) || (text[10] != 'T' && text[10] != 't') ||
      !digits(text, 11, 2, &hour) || text[13] != ':' || !digits(text, 14, 2, &minute) ||
      text[16] != ':' || !digits(text, 17, 2, &second)) {
    return invalid;
  }
  std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok() || year < 1970 || year > 2261 || hour > 23 || minute > 59 || second > 59) return invalid;
  size_t at = 19;
  int64_t fraction_ns = 0;
  if (at < text.size() && text[at] == '.') {
    size_t start = ++at;
    int64_t scale = 100'000'000;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - start < 9) {
      fraction_ns += (text[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == start) return invalid;
  }
  int offset_minutes = 0;
  if (at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    // UTC
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    int offset_hours = 0, offset_rest = 0;
    if (!digits(text, at + 1, 2, &offset_hours) || !digits(text, at + 4, 2, &offset_rest) ||
        offset_hours > 23 || offset_rest > 59) {
      return invalid;
    }
    offset_minutes = (offset_hours * 60 + offset_rest) * (text[at] == '+' ? 1 : -1);
  } else {
    return invalid;
  }
  int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - int64_t{offset_minutes} * 60;
  if (seconds < 0) return invalid;
  return seconds * kNsPerSecond + fraction_ns;
}

}  // namespace mpay
