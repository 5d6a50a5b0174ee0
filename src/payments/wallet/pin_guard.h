// The payment PIN check with lockout: options.pin_attempts_max wrong PINs in a row lock payments
// for options.pin_lock_ns; a right PIN resets the count. The counter is stored before the answer
// is given, so a crash cannot give an attacker free tries. The caller holds the user's lock.
#pragma once

#include <string_view>

#include "core/error.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::wallet {

// Updates `user` (and the directory) as it counts. Errors (field "pin"): pin_locked (message
// says until when), pin_incorrect (message says how many tries remain), store_error.
Status check_pin(WalletContext& context, UserRecord& user, std::string_view pin);

// Stores a new PIN (already policy-checked) under the current key, and clears the failure count.
Status set_pin(WalletContext& context, UserRecord& user, std::string_view pin);

}  // namespace mpay::wallet
