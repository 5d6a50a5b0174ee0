// mpayd's --webhook-private-networks and --webhook-https-only, turned into the webhook sender's
// network policy (notify/webhooks/webhook_network_policy.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "notify/webhooks/webhook_network_policy.h"
#include "payments/merchant/merchant_directory.h"
#include "server/listen_address.h"

namespace mpay::server {

inline constexpr std::string_view kPrivateNetworksAuto = "auto";
inline constexpr std::string_view kPrivateNetworksAllow = "allow";
inline constexpr std::string_view kPrivateNetworksRefuse = "refuse";

// `mode` is one of the three above (CLI11 checks it). "auto" allows private networks while mpayd
// listens on loopback only: then everyone who can set a merchant's URL is on this machine and
// reaches its networks anyway (a development machine, the tests, the quickstart). Listening on
// any other address refuses them.
notify::webhooks::WebhookNetworkPolicy webhook_network_policy(std::string_view mode,
                                                              const ListenAddress& listen,
                                                              bool https_only);

// How many of the directory's merchants have a webhook URL the policy refuses without a lookup
// (check_webhook_url_policy: http:// under https-only, localhost, a special-purpose IP literal).
// mpayd warns at start when there are any: their deliveries fail until the URL or the policy
// changes. A name that resolves into a refused range is only found at sending.
size_t merchants_with_refused_webhook_urls(const merchant::MerchantDirectory& directory,
                                           const notify::webhooks::WebhookNetworkPolicy& policy);

// For the start-up log, e.g. "private networks allowed (auto: listening on loopback); http:// and
// https://".
std::string describe(const notify::webhooks::WebhookNetworkPolicy& policy, std::string_view mode);

}  // namespace mpay::server
