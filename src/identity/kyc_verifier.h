// The KYC check behind real-name levels: does this person, with this name, hold this document?
// mpay cannot answer that itself; a KycVerifier asks whoever can (the public security identity
// service through a licensed provider, a bank, ...). Only an interface here: the one
// implementation in this tree is SandboxKycVerifier (sandbox_kyc_verifier.h), for development
// and tests; a production connector implements the same interface.
//
// Contract for implementations:
// - verify() may be called from any thread, concurrently, and may block (network calls): callers
//   keep it off threads that must not block (the ledger writer, HTTP I/O threads).
// - The request is already validated (its document by validate_document); an implementation does
//   not re-check formats.
// - A decision, approved or not, is a success: KycDecision{approved, reason_code}. reason_code is a
//   stable snake_case code: "approved" for approvals; for refusals "name_mismatch" (the name does
//   not match the document), "document_blocked" (reported lost, stolen, revoked, or otherwise
//   refused), "identity_not_found" (no such document), "name_missing" (no name given).
//   Implementations may add codes; callers treat unknown refusal codes as a refusal.
// - The only error is an outage: kyc_unavailable (retryable; the request may be sent again with
//   the same reference, which an implementation treats as the same check).
// - Nothing an implementation logs may contain the unmasked name or number: use
//   describe_for_log() (or the masks in masking.h).
#pragma once

#include <string>

#include "core/error.h"
#include "identity/identity_document.h"

namespace mpay::identity {

struct KycRequest {
  std::string full_name;       // UTF-8, as on the document
  ValidatedDocument document;
  std::string reference;       // the caller's id for this check (idempotency, audit)
};

struct KycDecision {
  bool approved = false;
  std::string reason_code;  // see above
};

class KycVerifier {
 public:
  virtual ~KycVerifier();
  virtual Result<KycDecision> verify(const KycRequest& request) = 0;
};

// A one-line, masked description of a request for logs:
//   name="张**" document=mainland_id_card:110***********002X reference=kyc-42
// A quote or backslash that the name mask would show is masked too, so the line stays parseable.
// The reference is shown only if it is 1 to 64 printable ASCII characters other than space, quote
// and backslash (a space would end the field); otherwise reference=<invalid>.
std::string describe_for_log(const KycRequest& request);

}  // namespace mpay::identity
