// The URL a merchant's webhooks are sent to: checked when it is set, so that the webhook sender
// never meets a URL it cannot use.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.h"

namespace mpay::merchant {

inline constexpr size_t kWebhookUrlCharsMax = 512;

// ok for "http://" or "https://" (lower case) + host [+ ":" port 1..65535] [+ path starting "/",
// with an optional query]; printable ASCII only, at most kWebhookUrlCharsMax characters; no
// user info ("@"), no fragment ("#"), no spaces. A host is letters, digits, "-" and "." (DNS names
// and IPv4 addresses). https is what production merchants should use; http is accepted for
// development and sandboxes. Error: webhook_url_invalid (field "webhook_url"), the message says
// which rule.
Status validate_webhook_url(std::string_view url);

}  // namespace mpay::merchant
