#include "identity/sandbox_kyc_verifier.h"

#include <algorithm>
#include <thread>

#include "core/check.h"

namespace mpay::identity {

namespace {

char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Whether `text` contains `upper_word` (upper-case ASCII) ignoring ASCII case.
bool contains_word(std::string_view text, std::string_view upper_word) {
  auto match = std::search(text.begin(), text.end(), upper_word.begin(), upper_word.end(),
                           [](char a, char b) { return ascii_upper(a) == b; });
  return match != text.end();
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' '; });
}

std::string normalize_number(std::string_view number) {
  std::string normalized;
  for (char c : number) {
    if (c != ' ') normalized.push_back(ascii_upper(c));
  }
  return normalized;
}

Error unavailable() {
  return Error("kyc_unavailable", "the sandbox KYC verifier is simulating an outage");
}

}  // namespace

SandboxKycVerifier::SandboxKycVerifier(SandboxKycOptions options)
    : latency_(options.latency), outage_(options.outage) {
  MPAY_CHECK(latency_.count() >= 0 && latency_ <= kSandboxKycLatencyMax,
             "SandboxKycVerifier: latency out of range");
  for (const std::string& number : options.denied_document_numbers) deny_document(number);
}

Result<KycDecision> SandboxKycVerifier::verify(const KycRequest& request) {
  verify_calls_.fetch_add(1);
  if (outage_.load() || contains_word(request.full_name, "OUTAGE")) return unavailable();
  if (latency_.count() > 0) std::this_thread::sleep_for(latency_);
  if (is_blank(request.full_name)) return KycDecision{false, "name_missing"};
  if (contains_word(request.full_name, "REJECT")) return KycDecision{false, "name_mismatch"};
  if (contains_word(request.full_name, "NOTFOUND")) return KycDecision{false, "identity_not_found"};
  if (is_denied(request.document.number)) return KycDecision{false, "document_blocked"};
  return KycDecision{true, "approved"};
}

void SandboxKycVerifier::set_outage(bool outage) { outage_.store(outage); }

void SandboxKycVerifier::deny_document(std::string_view number) {
  std::lock_guard lock(denied_mutex_);
  denied_.insert(normalize_number(number));
}

bool SandboxKycVerifier::is_denied(const std::string& number) const {
  std::lock_guard lock(denied_mutex_);
  return denied_.count(normalize_number(number)) > 0;
}

}  // namespace mpay::identity
