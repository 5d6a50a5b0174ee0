// Every merchant code in memory (loaded from the repository at start, written through by the
// commands), with the users' own payment-code limits. Thread-safe: one mutex; every call is short.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "channels/qr/merchant_code_records.h"
#include "core/error.h"

namespace mpay::qr {

// Who holds a dynamic code after try_claim.
enum class ClaimOutcome { claimed_now, already_yours, someone_else };

class MerchantCodeBook {
 public:
  void put(const MerchantCode& code);  // adds or replaces
  std::optional<MerchantCode> get(const Id128& id) const;
  std::optional<MerchantCode> by_token(const std::string& token) const;
  // Newest first; `after` is the id of the last code of the previous page.
  std::vector<MerchantCode> list_for_merchant(const Id128& merchant, std::optional<Id128> after,
                                              size_t limit) const;
  size_t active_static_count(const Id128& merchant) const;

  // A dynamic code goes to its first scanner: claimed_now marks it (undo with release_claim if the
  // durable write fails), already_yours for the same user again, someone_else otherwise.
  // Precondition: the code exists and is dynamic.
  ClaimOutcome try_claim(const Id128& code_id, const wallet::UserId& user, int64_t at_ns);
  void release_claim(const Id128& code_id);
  void set_request(const Id128& code_id, const Id128& request_id);
  void deactivate(const Id128& code_id, int64_t at_ns);

  void set_payment_code_limit(const wallet::UserId& user, int64_t limit_minor);
  std::optional<int64_t> payment_code_limit(const wallet::UserId& user) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<Id128, MerchantCode, Id128Hash> codes_;
  std::unordered_map<std::string, Id128> by_token_;
  std::map<std::pair<Id128, Id128>, bool> by_merchant_;  // (merchant, code id), ordered by id
  std::unordered_map<Id128, int64_t, Id128Hash> payment_code_limits_;
};

}  // namespace mpay::qr
