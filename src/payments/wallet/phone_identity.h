// A phone number as the wallet keys users by it: parsed to E.164 (mobile numbers only) and its
// keyed digest under the lookup key, the only form in which the database can find it.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "core/phone.h"
#include "payments/wallet/wallet_records.h"

namespace mpay::wallet {

struct WalletContext;

struct IdentifiedPhone {
  PhoneNumber number;
  Digest digest{};
  uint32_t key_id = 0;
};

// Phone texts already identified, by their exact text. Bounded: starts over when full. Valid while
// the lookup key is not rotated (mpayd restarts after a rotation). Thread-safe.
class PhoneCache {
 public:
  static constexpr size_t kEntriesMax = 1 << 18;
  std::optional<IdentifiedPhone> find(std::string_view text);
  void remember(std::string_view text, const IdentifiedPhone& phone);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, IdentifiedPhone> entries_;
};

// Errors: core's phone_* codes with `field` set. Successes are remembered by their exact text
// (parsing with libphonenumber costs more than the rest of a payment's checks together).
Result<IdentifiedPhone> identify_phone(const WalletContext& context, std::string_view text,
                                       std::string_view field);

// The user's E.164 number, opened from its sealed copy; "" (and an error log naming the user, not
// the number) if it does not open: a missing key file or a tampered row.
std::string unsealed_phone(const WalletContext& context, const UserRecord& user);

// Associated data binding a sealed value to its user and column ("user:<uuid>:phone").
std::string sealed_field(const UserId& user, std::string_view column);

}  // namespace mpay::wallet
