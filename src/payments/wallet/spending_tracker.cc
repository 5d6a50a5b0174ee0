#include "payments/wallet/spending_tracker.h"

#include <chrono>

#include "core/money.h"

namespace mpay::wallet {
namespace {

constexpr int64_t kNanosecondsPerMinute = 60'000'000'000;

std::chrono::sys_days local_day(int64_t at_ns, int utc_offset_minutes) {
  int64_t local_minutes = at_ns / kNanosecondsPerMinute + utc_offset_minutes;
  if (at_ns < 0 && at_ns % kNanosecondsPerMinute != 0) --local_minutes;
  return std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::minutes>(
      std::chrono::minutes(local_minutes)));
}

}  // namespace

int64_t SpendingTracker::day_of(int64_t at_ns) const {
  return local_day(at_ns, utc_offset_minutes_).time_since_epoch().count();
}

int64_t SpendingTracker::month_of(int64_t at_ns) const {
  std::chrono::year_month_day date(local_day(at_ns, utc_offset_minutes_));
  return int64_t{static_cast<int>(date.year())} * 12 + static_cast<unsigned>(date.month()) - 1;
}

int64_t SpendingTracker::month_start_ns(int64_t at_ns) const {
  std::chrono::year_month_day date(local_day(at_ns, utc_offset_minutes_));
  std::chrono::sys_days first = date.year() / date.month() / std::chrono::day(1);
  int64_t minutes = std::chrono::duration_cast<std::chrono::minutes>(first.time_since_epoch()).count();
  return (minutes - utc_offset_minutes_) * kNanosecondsPerMinute;
}

SpendingTracker::Usage& SpendingTracker::current(const UserId& user, int64_t now_ns) {
  Usage& usage = usage_[user.value()];
  int64_t day = day_of(now_ns);
  int64_t month = month_of(now_ns);
  if (usage.day != day) {
    usage.day = day;
    usage.day_minor = 0;
  }
  if (usage.month != month) {
    usage.month = month;
    usage.month_minor = 0;
  }
  return usage;
}

Status SpendingTracker::reserve(const UserId& user, int64_t amount_minor, const KycLimits& limits,
                                int64_t now_ns) {
  if (amount_minor > limits.per_payment_minor) {
    return Error("limit_per_payment_exceeded", "the amount is over the per-payment limit", "amount");
  }
  std::lock_guard lock(mutex_);
  Usage& usage = current(user, now_ns);
  int64_t day_total = 0, month_total = 0;
  if (!checked_add(usage.day_minor, amount_minor, &day_total) ||
      day_total > limits.per_day_minor) {
    return Error("limit_daily_exceeded", "the amount would exceed today's limit", "amount");
  }
  if (!checked_add(usage.month_minor, amount_minor, &month_total) ||
      month_total > limits.per_month_minor) {
    return Error("limit_monthly_exceeded", "the amount would exceed this month's limit", "amount");
  }
  usage.day_minor = day_total;
  usage.month_minor = month_total;
  return ok_status();
}

void SpendingTracker::release(const UserId& user, int64_t amount_minor, int64_t reserved_at_ns) {
  std::lock_guard lock(mutex_);
  Usage& usage = usage_[user.value()];
  // A release that crosses midnight belongs to a period that is already over: nothing to undo.
  if (usage.day == day_of(reserved_at_ns)) usage.day_minor -= amount_minor;
  if (usage.month == month_of(reserved_at_ns)) usage.month_minor -= amount_minor;
}

bool SpendingTracker::is_loaded(const UserId& user) {
  std::lock_guard lock(mutex_);
  auto found = usage_.find(user.value());
  return found != usage_.end() && found->second.loaded;
}

void SpendingTracker::load(const UserId& user,
                           const std::vector<std::pair<int64_t, int64_t>>& amount_at_ns,
                           int64_t now_ns) {
  std::lock_guard lock(mutex_);
  Usage& usage = current(user, now_ns);
  if (usage.loaded) return;
  for (const auto& [amount_minor, at_ns] : amount_at_ns) {
    if (day_of(at_ns) == usage.day) usage.day_minor += amount_minor;
    if (month_of(at_ns) == usage.month) usage.month_minor += amount_minor;
  }
  usage.loaded = true;
}

Spending SpendingTracker::spending(const UserId& user, int64_t now_ns) {
  std::lock_guard lock(mutex_);
  Usage& usage = current(user, now_ns);
  return Spending{usage.day_minor, usage.month_minor};
}

}  // namespace mpay::wallet
