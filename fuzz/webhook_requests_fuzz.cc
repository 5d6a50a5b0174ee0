// Fuzz target: the webhook inputs that come from outside (first byte picks the parser, mod 3):
// 0 a merchant's webhook URL (notify/webhooks/webhook_url.h), 1 the deliveries list query
// ("name=value" lines; api/webhook_requests.h), 2 a principal naming a merchant.
//
// Properties:
// - errors carry a code and a printable-ASCII message (never an echo of the input);
// - an accepted URL has a host, a port in 1..65535 and a target starting with "/", and written
//   back out ("http[s]://" + host_header() + target) it parses to the same parts;
// - the network policy (notify/webhooks/webhook_network_policy.h) accepts every URL the parser
//   accepts when it allows everything, refuses one only as webhook_url_not_allowed, refuses
//   http:// and nothing else for https-only, and names a range for any 4 or 16 input bytes it
//   is given as an address (or none);
// - a decoded query keeps limit in 1..100 and payment_request_id within 128 bytes;
// - an accepted principal is exactly "merchant:" + the lower-case UUID of a non-zero id.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/webhook_requests.h"
#include "core/check.h"
#include "decoder_checks.h"
#include "notify/webhooks/webhook_network_policy.h"
#include "notify/webhooks/webhook_url.h"

namespace {

void policy(std::string_view text, const mpay::notify::webhooks::WebhookUrl& parsed) {
  using mpay::notify::webhooks::check_webhook_url_policy;
  using mpay::notify::webhooks::WebhookNetworkPolicy;
  MPAY_CHECK(check_webhook_url_policy(text, WebhookNetworkPolicy{}).ok(),
             "allowing everything refused a URL");
  WebhookNetworkPolicy https_only;
  https_only.https_required = true;
  MPAY_CHECK(check_webhook_url_policy(text, https_only).ok() == parsed.secure,
             "https-only judged a URL by more than its scheme");
  WebhookNetworkPolicy public_only;
  public_only.private_networks_allowed = false;
  mpay::Status checked = check_webhook_url_policy(text, public_only);
  mpay::fuzz::check_error_shape(checked);
  MPAY_CHECK(checked.ok() || checked.error().code == "webhook_url_not_allowed",
             "the policy refused a parsed URL with another code");
  for (size_t length : {size_t{4}, size_t{16}}) {
    if (text.size() < length) break;
    auto range = mpay::notify::webhooks::special_purpose_range(
        std::span(reinterpret_cast<const uint8_t*>(text.data()), length));
    MPAY_CHECK(!range || !range->empty(), "an unnamed range");
  }
}

void url(std::string_view text) {
  using mpay::notify::webhooks::WebhookUrl;
  mpay::Result<WebhookUrl> parsed = mpay::notify::webhooks::parse_webhook_url(text);
  mpay::fuzz::check_error_shape(parsed);
  if (!parsed.ok()) return;
  MPAY_CHECK(!parsed->host.empty() && parsed->port >= 1, "an accepted URL without host or port");
  MPAY_CHECK(!parsed->target.empty() && parsed->target.front() == '/', "a target that is not a path");
  std::string again = (parsed->secure ? "https://" : "http://") + parsed->host_header() + parsed->target;
  mpay::Result<WebhookUrl> reparsed = mpay::notify::webhooks::parse_webhook_url(again);
  MPAY_CHECK(reparsed.ok(), "a written-back URL does not parse");
  MPAY_CHECK(reparsed->secure == parsed->secure && reparsed->host == parsed->host &&
                 reparsed->port == parsed->port && reparsed->target == parsed->target,
             "a written-back URL parses differently");
  policy(text, *parsed);
}

void query(std::string_view text) {
  auto decoded = mpay::api::decode_delivery_query(mpay::Id128{1, 1}, mpay::fuzz::query_of(text));
  mpay::fuzz::check_error_shape(decoded);
  if (!decoded.ok()) return;
  MPAY_CHECK(decoded->limit >= 1 && decoded->limit <= mpay::notify::webhooks::kDeliveriesPageMax, "limit out of range");
  if (decoded->subject_id) {
    MPAY_CHECK(!decoded->subject_id->empty() && decoded->subject_id->size() <= 128, "payment_request_id too long");
  }
}

void principal(std::string_view text) {
  std::optional<mpay::Id128> merchant = mpay::api::merchant_of_principal(text);
  if (!merchant) return;
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  MPAY_CHECK(!merchant->is_zero(), "the zero id named a merchant");
  MPAY_CHECK(lower == "merchant:" + mpay::to_uuid_text(*merchant), "a principal that is not the canonical form");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: url(input); break;
    case 1: query(input); break;
    case 2: principal(input); break;
  }
  return 0;
}
