#include "channels/qr/merchant_code_book.h"

#include "core/check.h"

namespace mpay::qr {

void MerchantCodeBook::put(const MerchantCode& code) {
  std::lock_guard lock(mutex_);
  codes_[code.id] = code;
  by_token_[code.token] = code.id;
  by_merchant_[{code.merchant_id, code.id}] = true;
}

std::optional<MerchantCode> MerchantCodeBook::get(const Id128& id) const {
  std::lock_guard lock(mutex_);
  auto found = codes_.find(id);
  if (found == codes_.end()) return std::nullopt;
  return found->second;
}

std::optional<MerchantCode> MerchantCodeBook::by_token(const std::string& token) const {
  std::lock_guard lock(mutex_);
  auto found = by_token_.find(token);
  if (found == by_token_.end()) return std::nullopt;
  return codes_.at(found->second);
}

std::vector<MerchantCode> MerchantCodeBook::list_for_merchant(const Id128& merchant,
                                                              std::optional<Id128> after,
                                                              size_t limit) const {
  std::lock_guard lock(mutex_);
  std::vector<MerchantCode> page;
  // Ids are UUIDv7 (time-ordered): walking the merchant's range backwards gives newest first.
  auto end = after ? by_merchant_.lower_bound({merchant, *after})
                   : by_merchant_.upper_bound({merchant, Id128{~0ULL, ~0ULL}});
  for (auto it = end; it != by_merchant_.begin() && page.size() < limit;) {
    --it;
    if (!(it->first.first == merchant)) break;
    page.push_back(codes_.at(it->first.second));
  }
  return page;
}

size_t MerchantCodeBook::active_static_count(const Id128& merchant) const {
  std::lock_guard lock(mutex_);
  size_t count = 0;
  for (auto it = by_merchant_.lower_bound({merchant, Id128{}});
       it != by_merchant_.end() && it->first.first == merchant; ++it) {
    const MerchantCode& code = codes_.at(it->first.second);
    count += code.kind == CodeKind::static_code && code.deactivated_at_ns == 0;
  }
  return count;
}

ClaimOutcome MerchantCodeBook::try_claim(const Id128& code_id, const wallet::UserId& user,
                                         int64_t at_ns) {
  std::lock_guard lock(mutex_);
  MerchantCode& code = codes_.at(code_id);
  MPAY_CHECK(code.kind == CodeKind::dynamic_code, "only dynamic codes are claimed");
  if (code.claimed_by) {
    return *code.claimed_by == user ? ClaimOutcome::already_yours : ClaimOutcome::someone_else;
  }
  code.claimed_by = user;
  code.claimed_at_ns = at_ns;
  return ClaimOutcome::claimed_now;
}

void MerchantCodeBook::release_claim(const Id128& code_id) {
  std::lock_guard lock(mutex_);
  MerchantCode& code = codes_.at(code_id);
  code.claimed_by.reset();
  code.claimed_at_ns = 0;
}

void MerchantCodeBook::set_request(const Id128& code_id, const Id128& request_id) {
  std::lock_guard lock(mutex_);
  codes_.at(code_id).request_id = request_id;
}

void MerchantCodeBook::deactivate(const Id128& code_id, int64_t at_ns) {
  std::lock_guard lock(mutex_);
  codes_.at(code_id).deactivated_at_ns = at_ns;
}

void MerchantCodeBook::set_payment_code_limit(const wallet::UserId& user, int64_t limit_minor) {
  std::lock_guard lock(mutex_);
  payment_code_limits_[user.value()] = limit_minor;
}

std::optional<int64_t> MerchantCodeBook::payment_code_limit(const wallet::UserId& user) const {
  std::lock_guard lock(mutex_);
  auto found = payment_code_limits_.find(user.value());
  if (found == payment_code_limits_.end()) return std::nullopt;
  return found->second;
}

}  // namespace mpay::qr
