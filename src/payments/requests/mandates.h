// A user's standing mandates: created with the PIN (the consent), listed, revoked at any time.
#pragma once

#include <string>
#include <vector>

#include "payments/requests/request_context.h"

namespace mpay::requests {

struct NewMandate {
  Id128 merchant_id;
  std::string currency;
  std::string per_charge_max;  // decimal amounts, like every amount a user types
  std::string monthly_max;
  std::string pin;
};

// Errors: merchant_unavailable (field merchant_id), currency_*, amount_* (fields per_charge_max,
// monthly_max), mandate_caps_invalid, account_frozen, pin_locked, pin_incorrect, store_error.
Result<MandateRecord> create_mandate(RequestContext& context, const wallet::UserId& user,
                                     const NewMandate& mandate);
// Errors: mandate_not_found, mandate_revoked, store_error.
Result<MandateRecord> revoke_mandate(RequestContext& context, const wallet::UserId& user,
                                     const Id128& mandate_id);

}  // namespace mpay::requests
