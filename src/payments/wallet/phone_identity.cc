#include "payments/wallet/phone_identity.h"

#include <spdlog/spdlog.h>

#include "payments/wallet/wallet_context.h"
#include "security/keyed_hash.h"

namespace mpay::wallet {

std::optional<IdentifiedPhone> PhoneCache::find(std::string_view text) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(std::string(text));
  if (found == entries_.end()) return std::nullopt;
  return found->second;
}

void PhoneCache::remember(std::string_view text, const IdentifiedPhone& phone) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kEntriesMax) entries_.clear();
  entries_.emplace(std::string(text), phone);
}

Result<IdentifiedPhone> identify_phone(const WalletContext& context, std::string_view text,
                                       std::string_view field) {
  if (std::optional<IdentifiedPhone> known = context.phone_cache.find(text)) return *known;
  Result<PhoneNumber> parsed = context.phones.parse_mobile(text);
  if (!parsed.ok()) {
    Error error = parsed.error();
    error.field = std::string(field);
    return error;
  }
  IdentifiedPhone phone;
  phone.number = std::move(parsed).value();
  phone.key_id = context.lookup_keys.current_id();
  phone.digest = security::keyed_hash(context.lookup_keys, phone.key_id, "phone", phone.number.e164);
  context.phone_cache.remember(text, phone);
  return phone;
}

std::string unsealed_phone(const WalletContext& context, const UserRecord& user) {
  Result<std::string> e164 = context.sealer.open(user.phone_sealed, sealed_field(user.id, "phone"));
  if (e164.ok()) return *e164;
  spdlog::error("user {}: the sealed phone number does not open: {}", user.id.to_string(), e164.error().code);
  return {};
}

std::string sealed_field(const UserId& user, std::string_view column) {
  return "user:" + user.to_string() + ":" + std::string(column);
}

}  // namespace mpay::wallet
