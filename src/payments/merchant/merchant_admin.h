// What operators do to merchants: onboard them, read them, manage their API keys and webhook
// secret, suspend and reactivate them. Every call, done or refused, is written to the operators'
// audit log before the answer goes out (never a secret, never a settlement account in clear).
// Secrets are returned once, by the call that creates them.
//
// Errors (besides store_error / ledger errors): the validation codes of merchant_application.h,
// webhook_url_not_allowed (the context's webhook_url_policy refused the URL),
// merchant_not_found, key_not_found, key_limit_reached (kActiveKeysMax active keys already),
// key_already_revoked, already_suspended, not_suspended.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "payments/merchant/merchant_application.h"
#include "payments/merchant/merchant_context.h"

namespace mpay::merchant {

inline constexpr size_t kActiveKeysMax = 10;
inline constexpr size_t kListLimitMax = 100;

// A merchant as operators and the merchant itself see it: no secret, the settlement account masked.
struct MerchantView {
  MerchantRecord record;
  std::vector<ApiKey> keys;  // secrets cleared
};

struct NewKey {
  std::string key_id;
  std::string secret;  // shown once
  int64_t created_at_ns = 0;
};

struct Onboarded {
  MerchantView merchant;
  NewKey key;
  std::string webhook_secret;  // shown once
};

Result<Onboarded> create_merchant(MerchantContext& context, const OperatorCall& call,
                                  const MerchantApplication& application);
Result<MerchantView> view_merchant(MerchantContext& context, const OperatorCall& call, const MerchantId& id);
// At most min(limit, kListLimitMax), in creation order, after `after` (zero id = from the start).
Result<std::vector<MerchantView>> list_merchants(MerchantContext& context, const OperatorCall& call,
                                                 const MerchantId& after, size_t limit);
Result<NewKey> create_key(MerchantContext& context, const OperatorCall& call, const MerchantId& id);
Result<MerchantView> revoke_key(MerchantContext& context, const OperatorCall& call, const MerchantId& id,
                                const std::string& key_id);
// The new webhook secret, shown once; the old one stops being used at once.
Result<std::string> rotate_webhook_secret(MerchantContext& context, const OperatorCall& call, const MerchantId& id);
Result<MerchantView> set_merchant_suspended(MerchantContext& context, const OperatorCall& call,
                                            const MerchantId& id, bool suspended);

// The merchant's own view (GET /v1/merchant); not audited (it is the merchant's own data).
Result<MerchantView> own_view(MerchantContext& context, const MerchantId& id);

}  // namespace mpay::merchant
