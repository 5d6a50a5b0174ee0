// Limits and timings of the wallet service, declared in one place. Amounts are minor units of the
// wallet currency. The defaults follow the spirit of tiered real-name payment accounts: little
// without an identity check, more with one, most with a linked bank account.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace mpay::wallet {

struct KycLimits {
  int64_t per_payment_minor = 0;
  int64_t per_day_minor = 0;
  int64_t per_month_minor = 0;
  int64_t balance_cap_minor = 0;  // what a wallet at this level may hold
};

struct WalletOptions {
  std::string currency = "CNY";
  std::string default_region = "CN";
  std::array<KycLimits, 3> limits = {{
      {50'000, 100'000, 300'000, 100'000},                  // level 0: 500 / 1,000 / 3,000; holds 1,000
      {500'000, 1'000'000, 5'000'000, 5'000'000},           // level 1
      {5'000'000, 10'000'000, 50'000'000, 100'000'000},     // level 2
  }};
  int64_t otp_ttl_ns = 5LL * 60 * 1'000'000'000;
  int otp_attempts_max = 5;
  int otp_per_phone_per_hour = 5;
  int otp_per_address_per_hour = 20;
  int pin_attempts_max = 5;
  int64_t pin_lock_ns = 30LL * 60 * 1'000'000'000;
  int64_t session_ttl_ns = 30LL * 24 * 3600 * 1'000'000'000;
  size_t note_chars_max = 140;
  uint32_t withdrawal_hold_timeout_s = 24 * 3600;  // a bank that never answers releases the hold
  int utc_offset_minutes = 8 * 60;  // days and months for limits start at local midnight (UTC+8)
};

}  // namespace mpay::wallet
