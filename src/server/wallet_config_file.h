// The wallet's settings from a TOML file (mpayd --config FILE), so that an operator sets limits
// and timings without rebuilding. Every key is optional (the defaults are wallet_options.h's);
// an unknown key, a wrong type or a bad amount is an error naming the key, so a typo never
// silently leaves a limit at its default. Amounts are decimal strings in the wallet currency.
//
//   [wallet]
//   currency = "CNY"                 # also --currency
//   default_region = "CN"
//   otp_per_phone_per_hour = 5
//   otp_per_address_per_hour = 20    # also --otp-per-address-per-hour
//   pin_attempts_max = 5
//   pin_lock_minutes = 30
//   session_ttl_days = 30
//   note_chars_max = 140
//
//   [wallet.limits.level0]           # level1, level2 likewise
//   per_payment = "500.00"
//   per_day = "1000.00"
//   per_month = "3000.00"
//   balance_cap = "1000.00"
#pragma once

#include <string>

#include "core/error.h"
#include "payments/wallet/wallet_options.h"

namespace mpay::server {

// Reads `path` over `options` (which holds the defaults). Errors: config_unreadable,
// config_invalid (syntax; the message names line and column), config_unknown_key,
// config_wrong_type, config_out_of_range, config_amount_invalid; `field` is the dotted key.
Status load_wallet_config(const std::string& path, wallet::WalletOptions& options);

}  // namespace mpay::server
