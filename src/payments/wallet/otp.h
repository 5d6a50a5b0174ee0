// One-time codes sent by SMS: proof that the caller holds the phone. One code per phone is
// outstanding at a time (a new request replaces it); it expires after options.otp_ttl_ns and dies
// after options.otp_attempts_max wrong tries. Requests are rate-limited per phone and per client
// address (fixed one-hour windows), so the service cannot be used to flood a phone with SMS.
// Codes are stored only as keyed digests (token key), never in clear (the SMS outbox holds the
// text, being the delivery channel).
#pragma once

#include <string_view>

#include "core/error.h"
#include "payments/wallet/phone_identity.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::wallet {

inline constexpr size_t kOtpDigits = 6;

// Errors: phone_* (field "phone"), otp_rate_limited, sms_unavailable, store_error.
Status request_otp(WalletContext& context, std::string_view phone_text,
                   std::string_view remote_address);

// Uses up the outstanding code when `code` matches. The caller holds
// context.locks.of_phone(phone.digest), so that a code is used once. Errors (field "otp"): otp_format,
// otp_not_requested, otp_expired, otp_attempts_exceeded, otp_incorrect; store_error.
Status consume_otp(WalletContext& context, const IdentifiedPhone& phone, std::string_view code);

}  // namespace mpay::wallet
