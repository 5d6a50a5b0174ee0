#include "server/webhook_network_mode.h"

namespace mpay::server {

namespace {

// `host` as parse_listen_address leaves it: an IPv4 address ("localhost" became 127.0.0.1).
bool is_loopback(const std::string& host) { return host.starts_with("127."); }

}  // namespace

notify::webhooks::WebhookNetworkPolicy webhook_network_policy(std::string_view mode,
                                                              const ListenAddress& listen,
                                                              bool https_only) {
  notify::webhooks::WebhookNetworkPolicy policy;
  policy.https_required = https_only;
  if (mode == kPrivateNetworksAllow) {
    policy.private_networks_allowed = true;
  } else if (mode == kPrivateNetworksRefuse) {
    policy.private_networks_allowed = false;
  } else {
    policy.private_networks_allowed = is_loopback(listen.host);
  }
  return policy;
}

size_t merchants_with_refused_webhook_urls(const merchant::MerchantDirectory& directory,
                                           const notify::webhooks::WebhookNetworkPolicy& policy) {
  size_t refused = 0;
  directory.read_all([&](const merchant::MerchantRecord& merchant) {
    if (!notify::webhooks::check_webhook_url_policy(merchant.webhook_url, policy).ok()) ++refused;
  });
  return refused;
}

std::string describe(const notify::webhooks::WebhookNetworkPolicy& policy, std::string_view mode) {
  std::string text =
      policy.private_networks_allowed ? "private networks allowed" : "public addresses only";
  if (mode == kPrivateNetworksAuto) {
    text += policy.private_networks_allowed ? " (auto: listening on loopback)"
                                            : " (auto: listening beyond loopback)";
  }
  text += policy.https_required ? "; https:// only" : "; http:// and https://";
  return text;
}

}  // namespace mpay::server
