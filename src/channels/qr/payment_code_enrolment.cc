#include "channels/qr/payment_code_enrolment.h"

#include "payments/wallet/pin_guard.h"

namespace mpay::qr {
namespace {

// The user's PIN, checked under the user's lock (PIN failures must not interleave).
Status check_user_pin(QrContext& context, const wallet::UserId& user, const std::string& pin) {
  wallet::WalletContext& wallet = context.requests.wallet;
  std::lock_guard lock(wallet.locks.of(user));
  Result<std::optional<wallet::UserRecord>> found = wallet.users.by_id(user);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Error("user_not_found", "the user does not exist");
  wallet::UserRecord record = **found;
  if (record.status == wallet::UserStatus::frozen) {
    return Error("account_frozen", "this wallet is frozen; contact support");
  }
  return wallet::check_pin(wallet, record, pin);
}

}  // namespace

Result<ProvisionedDevice> provision_device(QrContext& context, const wallet::UserId& user,
                                           const std::string& pin, const std::string& label) {
  Status checked = check_user_pin(context, user, pin);
  if (!checked.ok()) return checked.error();
  return context.devices.provision(user, label, context.requests.wallet.clock.now_ns());
}

Result<ProvisionedDevice> reprovision_device(QrContext& context, const wallet::UserId& user,
                                             const Id128& device_id, const std::string& pin) {
  Status checked = check_user_pin(context, user, pin);
  if (!checked.ok()) return checked.error();
  return context.devices.reprovision(user, device_id, context.requests.wallet.clock.now_ns());
}

}  // namespace mpay::qr
