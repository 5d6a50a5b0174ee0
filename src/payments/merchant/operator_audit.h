// The merchant service's view of the operators' audit log: the same hash-chained log the wallet
// writes (mpayd wires it to WalletRepository::append_audit), without a dependency on the wallet.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"

namespace mpay::merchant {

// Who asked, from where, under which request id.
struct OperatorCall {
  std::string actor;  // "operator"
  std::string remote_address;
  std::string request_id;
};

struct AuditEvent {
  int64_t at_ns = 0;
  OperatorCall call;
  std::string action;   // "merchant.create", "merchant.key.revoke", ...
  std::string target;   // "merchant:<uuid>"
  std::string details;  // JSON; never a secret, never personal data in clear
};

class OperatorAuditLog {
 public:
  virtual ~OperatorAuditLog() = default;
  // Durable when it returns ok.
  virtual Status append(const AuditEvent& event) = 0;
};

}  // namespace mpay::merchant
