#include "payments/wallet/otp.h"

#include <fmt/format.h>

#include "security/keyed_hash.h"
#include "security/tokens.h"

namespace mpay::wallet {
namespace {

constexpr std::string_view kOtpPurpose = "code";
constexpr int64_t kHourNs = 3600LL * 1'000'000'000;

Digest code_digest(const WalletContext& context, const IdentifiedPhone& phone, std::string_view code) {
  return security::keyed_hash(context.token_keys, context.token_keys.current_id(), "otp",
                              phone.number.e164 + ":" + std::string(code));
}

// Uniform over 000000..999999: rejection sampling avoids the modulo bias.
std::string random_code(RandomSource& random) {
  constexpr uint32_t kRange = 1'000'000;
  constexpr uint32_t kLimit = UINT32_MAX - UINT32_MAX % kRange;
  uint32_t value = 0;
  do {
    random.fill(&value, sizeof(value));
  } while (value >= kLimit);
  return fmt::format("{:06}", value % kRange);
}

bool is_code_format(std::string_view code) {
  if (code.size() != kOtpDigits) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Status request_otp(WalletContext& context, std::string_view phone_text,
                   std::string_view remote_address) {
  Result<IdentifiedPhone> phone = identify_phone(context, phone_text, "phone");
  if (!phone.ok()) return phone.error();
  const int64_t now = context.clock.now_ns();

  Result<int> per_phone = context.repository.count_rate(
      "otp:phone:" + security::to_hex(phone->digest), kHourNs, now);
  if (!per_phone.ok()) return per_phone.error();
  if (*per_phone > context.options.otp_per_phone_per_hour) {
    return Error("otp_rate_limited", "too many codes requested for this phone; try again later",
                 "phone");
  }
  Result<int> per_address =
      context.repository.count_rate("otp:address:" + std::string(remote_address), kHourNs, now);
  if (!per_address.ok()) return per_address.error();
  if (*per_address > context.options.otp_per_address_per_hour) {
    return Error("otp_rate_limited", "too many codes requested from this address; try again later");
  }

  std::string code = random_code(context.random);
  OtpChallenge challenge;
  challenge.phone_digest = phone->digest;
  challenge.purpose = std::string(kOtpPurpose);
  challenge.code_digest = code_digest(context, *phone, code);
  challenge.expires_at_ns = now + context.options.otp_ttl_ns;
  Status stored = context.repository.put_otp(challenge);
  if (!stored.ok()) return stored;

  notify::SmsMessage message;
  message.to_e164 = phone->number.e164;
  message.purpose = "otp";
  message.text = fmt::format("mpay code {} (valid {} minutes). Never share it, not even with mpay staff.",
                             code, context.options.otp_ttl_ns / (60LL * 1'000'000'000));
  return context.sms.send(message);
}

Status consume_otp(WalletContext& context, const IdentifiedPhone& phone, std::string_view code) {
  if (!is_code_format(code)) return Error("otp_format", "the code is 6 digits", "otp");
  Result<std::optional<OtpChallenge>> found =
      context.repository.find_otp(phone.digest, std::string(kOtpPurpose));
  if (!found.ok()) return found.error();
  if (!found->has_value() || (*found)->consumed) {
    return Error("otp_not_requested", "no code is outstanding for this phone: request one", "otp");
  }
  OtpChallenge challenge = **found;
  if (context.clock.now_ns() >= challenge.expires_at_ns) {
    return Error("otp_expired", "the code has expired: request a new one", "otp");
  }
  if (challenge.attempts >= context.options.otp_attempts_max) {
    return Error("otp_attempts_exceeded", "too many wrong codes: request a new one", "otp");
  }
  if (!security::digests_equal(challenge.code_digest, code_digest(context, phone, code))) {
    challenge.attempts += 1;
    Status counted = context.repository.update_otp(challenge);
    if (!counted.ok()) return counted;
    return Error("otp_incorrect", "the code is not correct", "otp");
  }
  challenge.consumed = true;
  return context.repository.update_otp(challenge);
}

}  // namespace mpay::wallet
