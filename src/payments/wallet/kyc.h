// Real-name verification (KYC level 1): the user's name and identity document, format-checked
// here and verified by the KycVerifier. Name and number are stored sealed; only masks leave.
#pragma once

#include <string>

#include "core/error.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::wallet {

inline constexpr size_t kFullNameCharsMax = 100;

struct KycSubmission {
  std::string full_name;
  std::string document_type;
  std::string document_number;
};

// Errors: kyc_already_verified, full_name_invalid, document_type_unknown, document_* (format),
// kyc_<reason> when the verifier refuses (kyc_name_mismatch, kyc_document_blocked,
// kyc_identity_not_found, kyc_name_missing), kyc_unavailable, store_error.
Result<UserRecord> submit_kyc(WalletContext& context, const UserId& user_id,
                              const KycSubmission& submission);

// The user's name, unsealed, for a bank's holder check. Never log or return it.
Result<std::string> unsealed_full_name(const WalletContext& context, const UserRecord& user);

}  // namespace mpay::wallet
