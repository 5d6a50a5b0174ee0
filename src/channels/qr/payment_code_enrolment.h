// A user's phones that show payment codes: provisioning one (PIN required: the phone can then pay
// without it, up to the user's limit), listing them, re-provisioning one (a new secret; how a
// locked phone is unlocked, PIN required) and revoking one. Called from the API's blocking pool.
#pragma once

#include <string>
#include <vector>

#include "channels/qr/qr_context.h"

namespace mpay::qr {

// Errors: user_not_found, account_frozen, pin_incorrect, pin_locked, and those of
// PaymentCodeDevices::provision (payment_code_label_invalid, payment_code_device_limit, ...).
Result<ProvisionedDevice> provision_device(QrContext& context, const wallet::UserId& user,
                                           const std::string& pin, const std::string& label);
// As provision_device, for an existing device (payment_code_device_not_found, _revoked).
Result<ProvisionedDevice> reprovision_device(QrContext& context, const wallet::UserId& user,
                                             const Id128& device_id, const std::string& pin);

}  // namespace mpay::qr
