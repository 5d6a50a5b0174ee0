// The registry of phones that can show payment codes: provisioning (a random device number and a
// 32-byte secret handed over once as base32), listing, re-provisioning, revoking, and the
// per-device critical section the verifier runs in (payment_code_verifier.h).
//
// Every device is kept in memory (loaded from the repository at open) and every change is written
// through to the repository, durably, before it is visible in memory or returned. Secrets are kept
// sealed (payment_code_device.h); open_secret() unseals one for a moment.
//
// Re-provisioning gives an existing device a new secret and clears its failure count and lock: it
// is how a user unlocks a locked phone (revoking it is the other way).
//
// Threads: every method is safe from any thread. Changes to one device are serialised (each device
// has its own lock, held across the durable write), so two tills verifying the same code are
// decided one after the other; different devices proceed in parallel. Provisioning, re-provisioning
// and revoking are serialised among themselves (they are rare). The repository, sealer, random
// source and id generator must outlive the registry.
//
// Failure (errors as values; `field` where an input is at fault):
//   payment_code_label_invalid        label empty, over 40 code points, bad UTF-8 or control chars
//   payment_code_device_limit         the user already has options.active_devices_per_user_max
//   payment_code_device_not_found     no such device, or it belongs to another user
//   payment_code_device_revoked       re-provisioning a revoked device
//   payment_code_device_number_exhausted  no free device number found in the allowed draws
//   and the repository's own errors (store_error, store_busy), and the sealer's from open_secret.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "channels/qr/payment_code/payment_code_device.h"
#include "channels/qr/payment_code/payment_code_limits.h"
#include "channels/qr/payment_code/payment_code_repository.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/random.h"
#include "security/sealer.h"

namespace mpay::qr {

struct ProvisionedDevice {
  PaymentCodeDevice device;
  std::string secret_base32;  // shown to the app once; never stored in clear, never logged
};

class PaymentCodeDevices {
 public:
  // Loads every device from `repository`.
  static Result<std::unique_ptr<PaymentCodeDevices>> open(PaymentCodeRepository& repository,
                                                          const security::Sealer& sealer,
                                                          RandomSource& random, UuidV7Generator& ids,
                                                          PaymentCodeOptions options = {});

  Result<ProvisionedDevice> provision(const wallet::UserId& user, std::string_view label, int64_t now_ns);
  Result<ProvisionedDevice> reprovision(const wallet::UserId& user, const Id128& device_id, int64_t now_ns);
  // The user's active (not revoked) devices, oldest first.
  std::vector<PaymentCodeDevice> list(const wallet::UserId& user) const;
  // Revokes the user's device (already revoked: returns it unchanged).
  Result<PaymentCodeDevice> revoke(const wallet::UserId& user, const Id128& device_id, int64_t now_ns);

  // Runs `change` on a copy of the device with this number, under that device's lock. When it
  // returns true, the copy is written durably and then installed; if the write fails, nothing
  // changes and the write's error is returned. Error: payment_code_device_not_found (no device has
  // the number). `change` must be short and must not call back into the registry.
  using Change = std::function<bool(PaymentCodeDevice& device)>;
  Status change_device(uint32_t device_number, const Change& change);

  // The device's 32-byte secret, unsealed. The caller wipes it when done.
  Result<std::string> open_secret(const PaymentCodeDevice& device) const;

  const PaymentCodeOptions& options() const { return options_; }

 private:
  struct Slot {
    std::mutex mutex;
    PaymentCodeDevice record;
  };

  PaymentCodeDevices(PaymentCodeRepository& repository, const security::Sealer& sealer, RandomSource& random,
                     UuidV7Generator& ids, PaymentCodeOptions options);
  Slot* find_by_number(uint32_t device_number) const;
  Slot* find_by_id(const Id128& device_id) const;
  void install(const PaymentCodeDevice& device);
  size_t active_devices(const wallet::UserId& user) const;
  Result<uint32_t> draw_free_number();
  // A new secret for `device`: sets device.secret_sealed, returns the base32 text.
  std::string new_secret(PaymentCodeDevice& device);

  PaymentCodeRepository& repository_;
  const security::Sealer& sealer_;
  RandomSource& random_;
  UuidV7Generator& ids_;
  PaymentCodeOptions options_;

  std::mutex changes_mutex_;  // serialises provision, reprovision and revoke
  mutable std::shared_mutex maps_mutex_;
  std::unordered_map<uint32_t, std::unique_ptr<Slot>> by_number_;  // slots are never removed
  std::unordered_map<Id128, uint32_t> number_by_id_;
  std::unordered_map<Id128, std::vector<uint32_t>> numbers_by_user_;  // creation order
};

}  // namespace mpay::qr
