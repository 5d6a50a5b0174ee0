// mpay's own merchant account information template, written into the codes mpay merchants show.
//
//   ID 26 (kMpayAccountTemplateId), subfields:
//     00  globally unique identifier: reverse-domain form, "com.mpay" unless configured otherwise
//     01  merchant id: 32 lower-case hexadecimal characters (the merchant's 128-bit id)
//     02  code token (optional): 1-32 characters [A-Za-z0-9]; the server finds the code's record by it
//
// What: a small builder and reader for that template; the rest of the payload is the caller's.
// Threads: an MpayAccountTemplate is immutable after construction; its methods are thread-safe.
// Failure: errors as values. Codes: qr_mpay_merchant_id_invalid (field "26.01"),
// qr_mpay_code_token_invalid ("26.02"), qr_mpay_account_missing (no template with our identifier),
// and the rules of build_payload for the identifier (qr_field_length_invalid,
// qr_field_characters_invalid on "26.00").
#pragma once

#include <optional>
#include <string>

#include "channels/qr/emv/payload.h"
#include "core/error.h"

namespace mpay::qr {

inline constexpr std::string_view kMpayGloballyUniqueIdentifier = "com.mpay";

struct MpayAccountReference {
  std::string merchant_id;                // 32 lower-case hex characters
  std::optional<std::string> code_token;  // 1-32 [A-Za-z0-9]

  friend bool operator==(const MpayAccountReference&, const MpayAccountReference&) = default;
};

class MpayAccountTemplate {
 public:
  explicit MpayAccountTemplate(std::string globally_unique_identifier = std::string(kMpayGloballyUniqueIdentifier));

  const std::string& globally_unique_identifier() const { return globally_unique_identifier_; }

  // The merchant account (ID 26) for `reference`, ready for MerchantPresentedPayload::merchant_accounts.
  Result<MerchantAccount> build(const MpayAccountReference& reference) const;

  // Our template in a parsed payload (found by globally unique identifier), read and checked.
  Result<MpayAccountReference> read(const MerchantPresentedPayload& payload) const;

 private:
  std::string globally_unique_identifier_;
};

}  // namespace mpay::qr
