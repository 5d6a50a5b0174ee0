// Getting in: sign-up by phone (one-time code + PIN), sessions (PIN, plus a one-time code on a
// device not seen before), logout, and the PIN's life (change with the old PIN, reset with a code).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::wallet {

inline constexpr size_t kDeviceIdCharsMax = 128;

struct SignUpRequest {
  std::string phone;
  std::string otp;
  std::string pin;
  std::optional<std::string> device_id;
};

// Opens the user and the wallet account. Errors: phone_* (field "phone"), pin_format,
// pin_too_simple (field "pin"), device_id_invalid, phone_registered, otp_*, ledger_*,
// store_error.
Result<UserRecord> sign_up(WalletContext& context, const SignUpRequest& request);

struct SessionRequest {
  std::string phone;
  std::string pin;
  std::optional<std::string> device_id;
  std::optional<std::string> otp;
};

struct SessionGrant {
  std::string token;  // handed out once; only its digest is stored
  UserId user_id;
  int64_t expires_at_ns = 0;
};

// Errors: phone_*, user_not_found, pin_locked, pin_incorrect, otp_required (an unknown device
// without "otp"), otp_*, device_id_invalid, store_error.
Result<SessionGrant> open_session(WalletContext& context, const SessionRequest& request);

// The user a bearer token belongs to. Errors: session_invalid, session_expired, store_error.
Result<UserId> authenticate(WalletContext& context, std::string_view token);

Status close_session(WalletContext& context, std::string_view token);

// Errors: pin_locked, pin_incorrect (the old PIN), pin_format, pin_too_simple,
// pin_matches_birth_date (field "new_pin"), pin_unchanged.
Status change_pin(WalletContext& context, const UserId& user_id, std::string_view pin,
                  std::string_view new_pin);

// Sets a new PIN after a one-time code, lifts a PIN lock and ends every session of the user.
Status reset_pin(WalletContext& context, std::string_view phone, std::string_view otp,
                 std::string_view new_pin);

}  // namespace mpay::wallet
