// One phone able to show payment codes: the record the registry keeps in memory and the repository
// keeps in mpay.db. Plain values.
//
// The device secret (32 bytes) never appears in clear here: secret_sealed is the Sealer's output
// (security/sealer.h, key purpose "pii") under the associated data device_secret_binding(id), so a
// sealed secret copied onto another device's row fails to open.
//
// Threads: values; no shared state. Failure: none.
#pragma once

#include <cstdint>
#include <string>

#include "core/ids.h"
#include "payments/wallet/wallet_records.h"

namespace mpay::qr {

struct PaymentCodeDevice {
  Id128 id;                    // UUIDv7
  wallet::UserId user_id;      // the wallet user who owns the phone
  uint32_t device_number = 0;  // 10000000-99999999, random, unique, inside every code
  std::string label;           // the user's name for the phone, at most 40 code points
  std::string secret_sealed;   // binary; Sealer output
  int64_t created_at_ns = 0;
  int64_t revoked_at_ns = 0;      // 0 = active
  uint64_t last_counter = 0;      // the newest counter accepted; only newer codes pass
  int failed_attempts = 0;        // consecutive wrong OTPs
  int64_t locked_at_ns = 0;       // 0 = not locked

  bool active() const { return revoked_at_ns == 0; }
  bool locked() const { return locked_at_ns != 0; }
};

// Associated data for sealing a device's secret.
inline std::string device_secret_binding(const Id128& device_id) {
  return "payment_code_device:" + to_uuid_text(device_id) + ":secret";
}

}  // namespace mpay::qr
