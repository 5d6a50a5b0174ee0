#include "channels/qr/payment_code/payment_code_devices.h"

#include <sodium.h>

#include <array>

#include "channels/qr/payment_code/base32.h"
#include "core/check.h"
#include "core/display_text.h"

namespace mpay::qr {
namespace {

Error not_found() {
  return Error("payment_code_device_not_found", "this user has no such payment-code device", "device_id");
}

// Counts code points of valid UTF-8 without control characters (nor bidirectional controls or
// other invisible format characters: core/display_text.h); -1 if the text is not such.
int64_t label_characters(std::string_view text) {
  if (has_hidden_control(text)) return -1;
  int64_t characters = 0;
  for (size_t i = 0; i < text.size();) {
    auto byte = static_cast<uint8_t>(text[i]);
    size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return -1;
    uint32_t point = length == 1 ? byte : byte & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      auto next = static_cast<uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return -1;
      point = (point << 6) | (next & 0x3F);
    }
    static constexpr std::array<uint32_t, 5> kSmallest{0, 0, 0x80, 0x800, 0x10000};
    if (point < kSmallest[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return -1;
    if (point < 0x20 || (point >= 0x7F && point < 0xA0)) return -1;  // control characters
    ++characters;
    i += length;
  }
  return characters;
}

}  // namespace

PaymentCodeDevices::PaymentCodeDevices(PaymentCodeRepository& repository, const security::Sealer& sealer,
                                       RandomSource& random, UuidV7Generator& ids, PaymentCodeOptions options)
    : repository_(repository), sealer_(sealer), random_(random), ids_(ids), options_(options) {}

Result<std::unique_ptr<PaymentCodeDevices>> PaymentCodeDevices::open(PaymentCodeRepository& repository,
                                                                     const security::Sealer& sealer,
                                                                     RandomSource& random, UuidV7Generator& ids,
                                                                     PaymentCodeOptions options) {
  Result<std::vector<PaymentCodeDevice>> loaded = repository.load_devices();
  if (!loaded.ok()) return loaded.error();
  std::unique_ptr<PaymentCodeDevices> devices(new PaymentCodeDevices(repository, sealer, random, ids, options));
  for (const PaymentCodeDevice& device : *loaded) devices->install(device);
  return devices;
}

void PaymentCodeDevices::install(const PaymentCodeDevice& device) {
  std::unique_lock lock(maps_mutex_);
  auto slot = std::make_unique<Slot>();
  slot->record = device;
  bool inserted = by_number_.emplace(device.device_number, std::move(slot)).second;
  MPAY_CHECK(inserted, "PaymentCodeDevices: two devices with one number");
  number_by_id_[device.id] = device.device_number;
  numbers_by_user_[device.user_id.value()].push_back(device.device_number);
}

PaymentCodeDevices::Slot* PaymentCodeDevices::find_by_number(uint32_t device_number) const {
  std::shared_lock lock(maps_mutex_);
  auto found = by_number_.find(device_number);
  return found == by_number_.end() ? nullptr : found->second.get();
}

PaymentCodeDevices::Slot* PaymentCodeDevices::find_by_id(const Id128& device_id) const {
  std::shared_lock lock(maps_mutex_);
  auto number = number_by_id_.find(device_id);
  if (number == number_by_id_.end()) return nullptr;
  return by_number_.at(number->second).get();
}

std::vector<PaymentCodeDevice> PaymentCodeDevices::list(const wallet::UserId& user) const {
  std::vector<Slot*> slots;
  {
    std::shared_lock lock(maps_mutex_);
    auto numbers = numbers_by_user_.find(user.value());
    if (numbers == numbers_by_user_.end()) return {};
    for (uint32_t number : numbers->second) slots.push_back(by_number_.at(number).get());
  }
  std::vector<PaymentCodeDevice> devices;
  for (Slot* slot : slots) {
    std::lock_guard lock(slot->mutex);
    if (slot->record.active()) devices.push_back(slot->record);
  }
  return devices;
}

size_t PaymentCodeDevices::active_devices(const wallet::UserId& user) const { return list(user).size(); }

Result<uint32_t> PaymentCodeDevices::draw_free_number() {
  constexpr uint32_t kRange = kDeviceNumberMax - kDeviceNumberMin + 1;
  constexpr uint32_t kUnbiasedLimit = static_cast<uint32_t>((uint64_t{1} << 32) / kRange * kRange);
  for (int draw = 0; draw < options_.device_number_draws_max; ++draw) {
    uint32_t value = 0;
    random_.fill(&value, sizeof value);
    if (value >= kUnbiasedLimit) continue;  // rejection keeps every number equally likely
    uint32_t number = kDeviceNumberMin + value % kRange;
    if (find_by_number(number) == nullptr) return number;
  }
  return Error("payment_code_device_number_exhausted", "no free device number was found; try again");
}

std::string PaymentCodeDevices::new_secret(PaymentCodeDevice& device) {
  std::string secret(kDeviceSecretBytes, '\0');
  random_.fill(secret.data(), secret.size());
  device.secret_sealed = sealer_.seal(secret, device_secret_binding(device.id));
  std::string text = base32_encode(secret);
  sodium_memzero(secret.data(), secret.size());
  return text;
}

Result<std::string> PaymentCodeDevices::open_secret(const PaymentCodeDevice& device) const {
  return sealer_.open(device.secret_sealed, device_secret_binding(device.id));
}

Result<ProvisionedDevice> PaymentCodeDevices::provision(const wallet::UserId& user, std::string_view label,
                                                        int64_t now_ns) {
  int64_t characters = label_characters(label);
  if (characters < 1 || characters > static_cast<int64_t>(kDeviceLabelCharactersMax)) {
    return Error("payment_code_label_invalid",
                 "a device label is 1 to " + std::to_string(kDeviceLabelCharactersMax) +
                     " characters of UTF-8 text without control characters",
                 "label");
  }
  std::lock_guard changes(changes_mutex_);
  if (active_devices(user) >= options_.active_devices_per_user_max) {
    return Error("payment_code_device_limit",
                 "at most " + std::to_string(options_.active_devices_per_user_max) +
                     " phones may show payment codes; revoke one first");
  }
  Result<uint32_t> number = draw_free_number();
  if (!number.ok()) return number.error();
  ProvisionedDevice provisioned;
  PaymentCodeDevice& device = provisioned.device;
  device.id = ids_.next();
  device.user_id = user;
  device.device_number = *number;
  device.label = std::string(label);
  device.created_at_ns = now_ns;
  provisioned.secret_base32 = new_secret(device);
  Status inserted = repository_.insert_device(device);
  if (!inserted.ok()) return inserted.error();
  install(device);
  return provisioned;
}

Result<ProvisionedDevice> PaymentCodeDevices::reprovision(const wallet::UserId& user, const Id128& device_id,
                                                          int64_t now_ns) {
  (void)now_ns;  // the record keeps no re-provisioning time; the parameter keeps the API uniform
  std::lock_guard changes(changes_mutex_);
  Slot* slot = find_by_id(device_id);
  if (slot == nullptr) return not_found();
  std::lock_guard lock(slot->mutex);
  if (slot->record.user_id != user) return not_found();
  if (!slot->record.active()) {
    return Error("payment_code_device_revoked", "this device was revoked; provision a new one", "device_id");
  }
  ProvisionedDevice provisioned;
  provisioned.device = slot->record;
  provisioned.secret_base32 = new_secret(provisioned.device);
  provisioned.device.failed_attempts = 0;
  provisioned.device.locked_at_ns = 0;
  Status updated = repository_.update_device(provisioned.device);
  if (!updated.ok()) return updated.error();
  slot->record = provisioned.device;
  return provisioned;
}

Result<PaymentCodeDevice> PaymentCodeDevices::revoke(const wallet::UserId& user, const Id128& device_id,
                                                     int64_t now_ns) {
  std::lock_guard changes(changes_mutex_);
  Slot* slot = find_by_id(device_id);
  if (slot == nullptr) return not_found();
  std::lock_guard lock(slot->mutex);
  if (slot->record.user_id != user) return not_found();
  if (!slot->record.active()) return slot->record;
  PaymentCodeDevice revoked = slot->record;
  revoked.revoked_at_ns = now_ns;
  Status updated = repository_.update_device(revoked);
  if (!updated.ok()) return updated.error();
  slot->record = revoked;
  return revoked;
}

Status PaymentCodeDevices::change_device(uint32_t device_number, const Change& change) {
  Slot* slot = find_by_number(device_number);
  if (slot == nullptr) {
    return Error("payment_code_device_not_found", "no device has this number", "device_number");
  }
  std::lock_guard lock(slot->mutex);
  PaymentCodeDevice next = slot->record;
  if (!change(next)) return ok_status();
  MPAY_CHECK(next.id == slot->record.id && next.device_number == device_number,
             "change_device: a device's identity cannot change");
  Status updated = repository_.update_device(next);
  if (!updated.ok()) return updated;
  slot->record = std::move(next);
  return ok_status();
}

}  // namespace mpay::qr
