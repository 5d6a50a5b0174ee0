// The webhook network policy: which addresses count as special-purpose (each range at its edges,
// the IPv6 forms that carry an IPv4 address), and what is refused of a URL before any lookup.
#include "notify/webhooks/webhook_network_policy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace mpay::notify::webhooks {
namespace {

std::optional<std::string_view> range_of(const std::string& text) {
  std::array<uint8_t, 16> bytes{};
  if (::inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) {
    return special_purpose_range(std::span<const uint8_t>(bytes.data(), 4));
  }
  EXPECT_EQ(::inet_pton(AF_INET6, text.c_str(), bytes.data()), 1) << text;
  return special_purpose_range(bytes);
}

TEST(SpecialPurposeRange, PublicAddressesJustOutsideEachRangeAreOrdinary) {
  for (const std::string address :
       {"8.8.8.8",          "1.1.1.1",         "9.255.255.255",        "11.0.0.0",
        "100.63.255.255",   "100.128.0.0",     "126.255.255.255",      "128.0.0.0",
        "169.253.255.255",  "169.255.0.0",     "172.15.255.255",       "172.32.0.0",
        "192.0.1.0",        "192.0.3.0",       "192.167.255.255",      "192.169.0.0",
        "198.17.255.255",   "198.20.0.0",      "198.51.99.255",        "203.0.112.255",
        "203.0.114.0",      "223.255.255.255", "2001:4860:4860::8888", "2606:4700::1111",
        "2001:200::1",      "2001:db9::1",     "3ffe:ffff::1",         "::ffff:8.8.8.8",
        "64:ff9b::808:808", "2002:808:808::1"}) {
    EXPECT_EQ(range_of(address), std::nullopt) << address;
  }
}

TEST(SpecialPurposeRange, EachIpv4RangeIsNamed) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"0.0.0.0", "\"this network\" 0.0.0.0/8"},
      {"10.0.0.1", "private-use 10.0.0.0/8"},
      {"10.255.255.255", "private-use 10.0.0.0/8"},
      {"100.64.0.1", "shared address space (carrier-grade NAT) 100.64.0.0/10"},
      {"100.127.255.255", "shared address space (carrier-grade NAT) 100.64.0.0/10"},
      {"127.0.0.1", "loopback 127.0.0.0/8"},
      {"127.255.255.254", "loopback 127.0.0.0/8"},
      {"169.254.169.254", "link-local 169.254.0.0/16"},
      {"172.16.0.1", "private-use 172.16.0.0/12"},
      {"172.31.255.255", "private-use 172.16.0.0/12"},
      {"192.0.0.8", "IETF protocol assignments 192.0.0.0/24"},
      {"192.0.2.1", "documentation 192.0.2.0/24"},
      {"192.88.99.1", "6to4 relay anycast (deprecated) 192.88.99.0/24"},
      {"192.168.1.1", "private-use 192.168.0.0/16"},
      {"198.18.0.1", "benchmarking 198.18.0.0/15"},
      {"198.19.255.255", "benchmarking 198.18.0.0/15"},
      {"198.51.100.7", "documentation 198.51.100.0/24"},
      {"203.0.113.9", "documentation 203.0.113.0/24"},
      {"224.0.0.1", "multicast 224.0.0.0/4"},
      {"239.255.255.250", "multicast 224.0.0.0/4"},
      {"240.0.0.1", "reserved 240.0.0.0/4 (and the broadcast address)"},
      {"255.255.255.255", "reserved 240.0.0.0/4 (and the broadcast address)"},
  };
  for (const auto& [address, name] : cases) EXPECT_EQ(range_of(address), name) << address;
}

TEST(SpecialPurposeRange, Ipv6RangesAndTheFormsThatCarryAnIpv4Address) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"::", "unspecified ::/128"},
      {"::1", "loopback ::1/128"},
      {"::ffff:127.0.0.1", "loopback 127.0.0.0/8"},
      {"::ffff:169.254.169.254", "link-local 169.254.0.0/16"},
      {"64:ff9b::a00:1", "private-use 10.0.0.0/8"},
      {"2002:c0a8:101::1", "private-use 192.168.0.0/16"},
      {"64:ff9b:1::1", "local-use IPv4/IPv6 translation 64:ff9b:1::/48"},
      {"100::1", "discard-only 100::/64"},
      {"2001::1", "IETF protocol assignments 2001::/23"},
      {"2001:1ff::1", "IETF protocol assignments 2001::/23"},
      {"2001:db8::1", "documentation 2001:db8::/32"},
      {"3fff::1", "documentation 3fff::/20"},
      {"fc00::1", "unique-local fc00::/7"},
      {"fd12:3456::1", "unique-local fc00::/7"},
      {"fe80::1", "link-local fe80::/10"},
      {"fec0::1", "site-local (deprecated) fec0::/10"},
      {"ff02::1", "multicast ff00::/8"},
      {"::2", "reserved (outside the global unicast block 2000::/3)"},
      {"::127.0.0.1", "reserved (outside the global unicast block 2000::/3)"},
      {"4000::1", "reserved (outside the global unicast block 2000::/3)"},
  };
  for (const auto& [address, name] : cases) EXPECT_EQ(range_of(address), name) << address;
}

TEST(SpecialPurposeRange, AnythingButFourOrSixteenBytesIsNotAnAddress) {
  std::array<uint8_t, 5> five{8, 8, 8, 8, 8};
  EXPECT_EQ(special_purpose_range(five), "not an IP address");
  EXPECT_EQ(special_purpose_range(std::span<const uint8_t>()), "not an IP address");
}

WebhookNetworkPolicy public_only() {
  WebhookNetworkPolicy policy;
  policy.private_networks_allowed = false;
  return policy;
}

TEST(WebhookUrlPolicy, AllowingPrivateNetworksTakesAnyValidUrl) {
  EXPECT_TRUE(check_webhook_url_policy("http://127.0.0.1:8090/hooks", {}).ok());
  EXPECT_TRUE(check_webhook_url_policy("http://localhost:8090/hooks", {}).ok());
  Status invalid = check_webhook_url_policy("ftp://example.com/", {});
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, "webhook_url_invalid");
  EXPECT_EQ(invalid.error().field, "webhook_url");
}

TEST(WebhookUrlPolicy, PublicOnlyRefusesLiteralsInEveryFormAResolverReads) {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"http://127.0.0.1:8090/hooks", "loopback 127.0.0.0/8"},
      {"http://127.1/hooks", "loopback 127.0.0.0/8"},
      {"http://2130706433/hooks", "loopback 127.0.0.0/8"},
      {"http://0x7f000001/hooks", "loopback 127.0.0.0/8"},
      {"https://169.254.169.254/latest/meta-data", "link-local 169.254.0.0/16"},
      {"https://10.1.2.3:8443/", "private-use 10.0.0.0/8"},
      {"https://[::1]:8443/", "loopback ::1/128"},
      {"https://[::ffff:192.168.0.1]/", "private-use 192.168.0.0/16"},
      {"https://[fd00::5]/", "unique-local fc00::/7"},
  };
  for (const auto& [url, range] : refused) {
    Status checked = check_webhook_url_policy(url, public_only());
    ASSERT_FALSE(checked.ok()) << url;
    EXPECT_EQ(checked.error().code, "webhook_url_not_allowed") << url;
    EXPECT_EQ(checked.error().field, "webhook_url");
    EXPECT_NE(checked.error().message.find(range), std::string::npos) << checked.error().message;
  }
}

TEST(WebhookUrlPolicy, PublicOnlyRefusesLocalhostNamesAndLeavesOtherNamesToTheConnection) {
  for (const std::string url :
       {"http://localhost:8090/hooks", "https://LOCALHOST./", "https://hooks.localhost/mpay"}) {
    Status checked = check_webhook_url_policy(url, public_only());
    ASSERT_FALSE(checked.ok()) << url;
    EXPECT_EQ(checked.error().code, "webhook_url_not_allowed") << url;
  }
  for (const std::string url : {"https://hooks.example.com/mpay", "https://localhost.example.com/",
                                "https://8.8.8.8/", "https://[2606:4700::1111]/"}) {
    EXPECT_TRUE(check_webhook_url_policy(url, public_only()).ok()) << url;
  }
}

TEST(WebhookUrlPolicy, HttpsOnlyRefusesPlainHttpInAnyCase) {
  WebhookNetworkPolicy https_only;
  https_only.https_required = true;
  for (const std::string url : {"http://hooks.example.com/mpay", "HTTP://hooks.example.com/"}) {
    Status checked = check_webhook_url_policy(url, https_only);
    ASSERT_FALSE(checked.ok()) << url;
    EXPECT_EQ(checked.error().code, "webhook_url_not_allowed");
    EXPECT_NE(checked.error().message.find("https:// only"), std::string::npos);
  }
  EXPECT_TRUE(check_webhook_url_policy("https://hooks.example.com/mpay", https_only).ok());
  EXPECT_TRUE(check_webhook_url_policy("https://127.0.0.1/", https_only).ok())
      << "private networks are a separate choice";
}

}  // namespace
}  // namespace mpay::notify::webhooks
