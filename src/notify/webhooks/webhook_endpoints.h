// Where a merchant's webhooks go and the secret they are signed with: the one thing the webhook
// machinery needs from the merchant directory, which implements this interface.
//
// Both calls may be made from any dispatcher thread at any time, so implementations must be
// thread-safe; they may block briefly (a database read). A result of nullopt means "this merchant
// has none": its deliveries are recorded as `skipped`. An Error means "cannot tell right now": the
// attempt counts as failed and is retried on the usual schedule.
#pragma once

#include <optional>
#include <string>

#include "core/error.h"
#include "core/ids.h"

namespace mpay::notify::webhooks {

class WebhookEndpoints {
 public:
  virtual ~WebhookEndpoints() = default;
  // "https://host[:port]/path" (or http:// where the operator allows plain HTTP).
  virtual Result<std::optional<std::string>> url_of(const Id128& merchant_id) = 0;
  // The HMAC-SHA256 key of X-Mpay-Signature. Never logged, never stored by the outbox.
  virtual Result<std::optional<std::string>> secret_of(const Id128& merchant_id) = 0;
};

}  // namespace mpay::notify::webhooks
