// --webhook-private-networks and --webhook-https-only: "auto" follows the listen address, the
// explicit modes do not, and https-only is independent of both.
#include "server/webhook_network_mode.h"

#include <gtest/gtest.h>

namespace mpay::server {
namespace {

ListenAddress listening_on(const std::string& host) {
  return ListenAddress{host, 8080};
}

TEST(WebhookNetworkMode, AutoAllowsPrivateNetworksOnlyWhileListeningOnLoopback) {
  for (const std::string host : {"127.0.0.1", "127.0.0.53"}) {
    EXPECT_TRUE(webhook_network_policy(kPrivateNetworksAuto, listening_on(host), false)
                    .private_networks_allowed)
        << host;
  }
  for (const std::string host : {"0.0.0.0", "10.0.0.5", "203.0.113.7"}) {
    EXPECT_FALSE(webhook_network_policy(kPrivateNetworksAuto, listening_on(host), false)
                     .private_networks_allowed)
        << host;
  }
}

TEST(WebhookNetworkMode, AllowAndRefuseIgnoreTheListenAddress) {
  EXPECT_TRUE(webhook_network_policy(kPrivateNetworksAllow, listening_on("0.0.0.0"), false)
                  .private_networks_allowed);
  EXPECT_FALSE(webhook_network_policy(kPrivateNetworksRefuse, listening_on("127.0.0.1"), false)
                   .private_networks_allowed);
}

TEST(WebhookNetworkMode, HttpsOnlyIsItsOwnChoiceAndTheLogLineSaysWhatApplies) {
  auto policy = webhook_network_policy(kPrivateNetworksAuto, listening_on("0.0.0.0"), true);
  EXPECT_TRUE(policy.https_required);
  EXPECT_FALSE(webhook_network_policy(kPrivateNetworksRefuse, listening_on("0.0.0.0"), false)
                   .https_required);
  EXPECT_EQ(describe(policy, kPrivateNetworksAuto),
            "public addresses only (auto: listening beyond loopback); https:// only");
  EXPECT_EQ(describe(webhook_network_policy(kPrivateNetworksAuto, listening_on("127.0.0.1"), false),
                     kPrivateNetworksAuto),
            "private networks allowed (auto: listening on loopback); http:// and https://");
  EXPECT_EQ(describe(webhook_network_policy(kPrivateNetworksAllow, listening_on("0.0.0.0"), false),
                     kPrivateNetworksAllow),
            "private networks allowed; http:// and https://");
}

TEST(WebhookNetworkMode, StoredUrlsThePolicyRefusesAreCountedForTheStartUpWarning) {
  merchant::MerchantDirectory directory;
  int next = 1;
  for (const std::string url : {"https://hooks.example.com/mpay", "http://127.0.0.1:8090/hooks",
                                "http://hooks.example.com/plain", "https://localhost/x"}) {
    merchant::MerchantRecord record;
    record.id = merchant::MerchantId(Id128{0, static_cast<uint64_t>(next++)});
    record.webhook_url = url;
    directory.put_merchant(record, "whsec_test");
  }
  notify::webhooks::WebhookNetworkPolicy policy;
  EXPECT_EQ(merchants_with_refused_webhook_urls(directory, policy), 0u);
  policy.private_networks_allowed = false;
  EXPECT_EQ(merchants_with_refused_webhook_urls(directory, policy), 2u);
  policy.https_required = true;
  EXPECT_EQ(merchants_with_refused_webhook_urls(directory, policy), 3u);
  EXPECT_EQ(merchants_with_refused_webhook_urls(merchant::MerchantDirectory(), policy), 0u);
}

}  // namespace
}  // namespace mpay::server
