// What payment requests learn about merchants (requests::MerchantLookup), answered from the
// merchant directory. Wiring only: keeps src/payments/requests independent of how merchants are
// stored. Thread-safe (the directory is).
#pragma once

#include "payments/merchant/merchant_directory.h"
#include "payments/requests/merchant_lookup.h"

namespace mpay::server {

class MerchantProfiles final : public requests::MerchantLookup {
 public:
  explicit MerchantProfiles(const merchant::MerchantDirectory& directory) : directory_(directory) {}

  std::optional<requests::MerchantProfile> find(const requests::MerchantId& id,
                                                uint16_t currency) const override {
    std::optional<requests::MerchantProfile> profile;
    directory_.read(merchant::MerchantId(id), [&](const merchant::MerchantRecord& record) {
      std::optional<AccountId> account = record.account_in(currency);
      if (!account) return;
      profile.emplace();
      profile->id = id;
      profile->display_name = record.display_name;
      profile->mcc = record.mcc;
      profile->country = record.country;
      profile->city = record.city;
      profile->fee_bps = static_cast<uint32_t>(record.fee_bps);
      profile->active = record.status == merchant::MerchantStatus::active;
      profile->account = *account;
    });
    return profile;
  }

 private:
  const merchant::MerchantDirectory& directory_;
};

}  // namespace mpay::server
