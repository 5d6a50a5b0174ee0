#include "payments/wallet/kyc.h"

#include <mutex>

#include "identity/civil_date.h"
#include "identity/identity_document.h"
#include "identity/kyc_verifier.h"
#include "identity/masking.h"
#include "payments/wallet/phone_identity.h"

namespace mpay::wallet {
namespace {

bool is_blank(std::string_view text) {
  return text.find_first_not_of(' ') == std::string_view::npos;
}

}  // namespace

Result<UserRecord> submit_kyc(WalletContext& context, const UserId& user_id,
                              const KycSubmission& submission) {
  if (is_blank(submission.full_name)) {
    return Error("full_name_invalid", "the name as written on the document is needed", "full_name");
  }
  Result<identity::DocumentType> type = identity::parse_document_type(submission.document_type);
  if (!type.ok()) return type.error();
  identity::CivilDate today =
      identity::civil_date_from_unix_ns(context.clock.now_ns(), context.options.utc_offset_minutes);
  Result<identity::ValidatedDocument> document =
      identity::validate_document(*type, submission.document_number, today);
  if (!document.ok()) return document.error();

  std::lock_guard lock(context.locks.of(user_id));
  Result<std::optional<UserRecord>> found = context.users.by_id(user_id);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Error("user_not_found", "the user does not exist");
  UserRecord user = **found;
  if (user.kyc_level >= KycLevel::identity_checked) {
    return Error("kyc_already_verified", "the identity of this user is already verified");
  }

  identity::KycRequest request{submission.full_name, *document, "kyc-" + user.id.to_string()};
  Result<identity::KycDecision> decision = context.kyc.verify(request);
  if (!decision.ok()) return decision.error();
  if (!decision->approved) {
    return Error("kyc_" + decision->reason_code,
                 "the identity check refused the name or document (" + decision->reason_code + ")");
  }

  user.kyc_level = KycLevel::identity_checked;
  user.full_name_sealed = context.sealer.seal(submission.full_name, sealed_field(user.id, "full_name"));
  user.document_type = std::string(identity::document_type_name(document->type));
  user.document_sealed = context.sealer.seal(document->number, sealed_field(user.id, "document"));
  user.document_masked = identity::mask_document(*document);
  if (document->birth_date) user.birth_date = document->birth_date->to_string();
  Status stored = context.users.update_kyc(user);
  if (!stored.ok()) return stored.error();
  return user;
}

Result<std::string> unsealed_full_name(const WalletContext& context, const UserRecord& user) {
  if (user.full_name_sealed.empty()) return Error("kyc_required", "verify your identity first");
  return context.sealer.open(user.full_name_sealed, sealed_field(user.id, "full_name"));
}

}  // namespace mpay::wallet
