#include "identity/kyc_verifier.h"

#include <algorithm>

#include "identity/masking.h"

namespace mpay::identity {

namespace {
constexpr size_t kReferenceShownMax = 64;

bool is_loggable_reference(const std::string& reference) {
  if (reference.empty() || reference.size() > kReferenceShownMax) return false;
  return std::all_of(reference.begin(), reference.end(), [](char c) {
    return c > ' ' && c < 0x7F && c != '"' && c != '\\';
  });
}
}  // namespace

KycVerifier::~KycVerifier() = default;

std::string describe_for_log(const KycRequest& request) {
  std::string name = mask_name(request.full_name);
  std::replace_if(name.begin(), name.end(), [](char c) { return c == '"' || c == '\\'; }, '*');
  std::string line = "name=\"" + name + "\" document=";
  line += document_type_name(request.document.type);
  line += ':';
  line += mask_document(request.document);
  line += " reference=";
  line += is_loggable_reference(request.reference) ? request.reference : "<invalid>";
  return line;
}

}  // namespace mpay::identity
