// SandboxKycVerifier: a SANDBOX KycVerifier for development, tests and demos. It checks nothing
// against any real source and must never be configured in production: it approves every request
// that its fixed rules do not refuse. It exists because no identity service offers a public test
// endpoint; it behaves like one (refusals, outages, latency) so that the code around KycVerifier
// can be exercised end to end.
//
// Deterministic rules, applied in this order to each verify():
//   1. outage switch on (SandboxKycOptions::outage or set_outage(true))  -> error kyc_unavailable
//   2. the name contains "OUTAGE" (ASCII, any case)                        -> error kyc_unavailable
//      (an outage for one request, for tests that cannot reach the switch)
//   3. then, if SandboxKycOptions::latency is not zero, the call sleeps that long
//   4. the name is empty or only spaces                                    -> refused "name_missing"
//   5. the name contains "REJECT" (ASCII, any case)                        -> refused "name_mismatch"
//   6. the name contains "NOTFOUND" (ASCII, any case)              -> refused "identity_not_found"
//   7. the document number is in the deny list (whatever the document type) -> refused
//      "document_blocked"
//   8. otherwise                                                           -> approved, "approved"
// Deny-list entries are normalised like document numbers (spaces removed, letters upper-cased).
//
// Thread-safe: verify(), set_outage() and deny_document() may be called concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "identity/kyc_verifier.h"

namespace mpay::identity {

struct SandboxKycOptions {
  std::vector<std::string> denied_document_numbers;
  bool outage = false;
  std::chrono::milliseconds latency{0};
};

inline constexpr std::chrono::milliseconds kSandboxKycLatencyMax{10'000};

class SandboxKycVerifier final : public KycVerifier {
 public:
  // A latency above kSandboxKycLatencyMax is a programmer error (MPAY_CHECK).
  explicit SandboxKycVerifier(SandboxKycOptions options = {});

  Result<KycDecision> verify(const KycRequest& request) override;

  void set_outage(bool outage);
  void deny_document(std::string_view number);

  // How many times verify() was called (outages included), for tests.
  uint64_t verify_calls() const { return verify_calls_.load(); }

 private:
  bool is_denied(const std::string& number) const;

  const std::chrono::milliseconds latency_;
  std::atomic<bool> outage_;
  std::atomic<uint64_t> verify_calls_{0};
  mutable std::mutex denied_mutex_;
  std::set<std::string, std::less<>> denied_;  // guarded by denied_mutex_
};

}  // namespace mpay::identity
