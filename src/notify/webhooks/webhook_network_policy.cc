#include "notify/webhooks/webhook_network_policy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace mpay::notify::webhooks {
namespace {

struct Range {
  std::array<uint8_t, 16> prefix;  // the first prefix_bits count
  unsigned prefix_bits;
  std::string_view name;
};

// IANA IPv4 Special-Purpose Address Registry, plus multicast and the reserved class E. Ranges the
// registry marks globally reachable (AS112, AMT) are left out: webhooks may go there.
constexpr std::array<Range, 15> kIpv4Ranges{{
    {{0}, 8, "\"this network\" 0.0.0.0/8"},
    {{10}, 8, "private-use 10.0.0.0/8"},
    {{100, 64}, 10, "shared address space (carrier-grade NAT) 100.64.0.0/10"},
    {{127}, 8, "loopback 127.0.0.0/8"},
    {{169, 254}, 16, "link-local 169.254.0.0/16"},
    {{172, 16}, 12, "private-use 172.16.0.0/12"},
    {{192, 0, 0}, 24, "IETF protocol assignments 192.0.0.0/24"},
    {{192, 0, 2}, 24, "documentation 192.0.2.0/24"},
    {{192, 88, 99}, 24, "6to4 relay anycast (deprecated) 192.88.99.0/24"},
    {{192, 168}, 16, "private-use 192.168.0.0/16"},
    {{198, 18}, 15, "benchmarking 198.18.0.0/15"},
    {{198, 51, 100}, 24, "documentation 198.51.100.0/24"},
    {{203, 0, 113}, 24, "documentation 203.0.113.0/24"},
    {{224}, 4, "multicast 224.0.0.0/4"},
    {{240}, 4, "reserved 240.0.0.0/4 (and the broadcast address)"},
}};

// IANA IPv6 Special-Purpose Address Registry and the non-unicast blocks. The forms that embed an
// IPv4 address are handled before these (embedded_ipv4()); anything else outside the global
// unicast block 2000::/3 is refused too (kGlobalUnicast).
constexpr std::array<Range, 11> kIpv6Ranges{{
    {{}, 128, "unspecified ::/128"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback ::1/128"},
    {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48, "local-use IPv4/IPv6 translation 64:ff9b:1::/48"},
    {{0x01, 0x00}, 64, "discard-only 100::/64"},
    {{0x20, 0x01, 0x00, 0x00}, 23, "IETF protocol assignments 2001::/23"},
    {{0x20, 0x01, 0x0d, 0xb8}, 32, "documentation 2001:db8::/32"},
    {{0x3f, 0xff}, 20, "documentation 3fff::/20"},
    {{0xfc}, 7, "unique-local fc00::/7"},
    {{0xfe, 0x80}, 10, "link-local fe80::/10"},
    {{0xfe, 0xc0}, 10, "site-local (deprecated) fec0::/10"},
    {{0xff}, 8, "multicast ff00::/8"},
}};
constexpr Range kGlobalUnicast{{0x20}, 3, "reserved (outside the global unicast block 2000::/3)"};

bool in_range(std::span<const uint8_t> address, const Range& range) {
  unsigned whole = range.prefix_bits / 8;
  if (!std::equal(address.begin(), address.begin() + whole, range.prefix.begin())) return false;
  unsigned rest = range.prefix_bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (address[whole] & mask) == (range.prefix[whole] & mask);
}

std::optional<std::string_view> first_range(std::span<const uint8_t> address,
                                            std::span<const Range> ranges) {
  for (const Range& range : ranges) {
    if (in_range(address, range)) return range.name;
  }
  return std::nullopt;
}

// The IPv4 address inside an IPv6 one that stands for it: IPv4-mapped (::ffff:a.b.c.d), the
// well-known NAT64 prefix (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::/48). A connection to one
// reaches, or is routed by, that IPv4 address.
std::optional<std::span<const uint8_t>> embedded_ipv4(std::span<const uint8_t> address) {
  static constexpr std::array<uint8_t, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr std::array<uint8_t, 12> kNat64{0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::equal(kMapped.begin(), kMapped.end(), address.begin()) ||
      std::equal(kNat64.begin(), kNat64.end(), address.begin())) {
    return address.subspan(12, 4);
  }
  if (address[0] == 0x20 && address[1] == 0x02) return address.subspan(2, 4);
  return std::nullopt;
}

Error not_allowed(const std::string& why) {
  return Error("webhook_url_not_allowed", "webhook_url: " + why, "webhook_url");
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// RFC 6761: "localhost" and the names under it are the machine itself, whatever DNS says.
bool is_localhost_name(std::string_view host) {
  std::string name = lower(host);
  if (name.ends_with('.')) name.pop_back();
  return name == "localhost" || name.ends_with(".localhost");
}

// The special-purpose range of an IP literal host, if it is one. IPv4 in every form inet_aton
// reads ("127.1", "2130706433", "0x7f.0.0.1"), since the resolver reads them the same way.
std::optional<std::string_view> literal_range(const std::string& host) {
  in_addr v4{};
  if (::inet_aton(host.c_str(), &v4) != 0) {
    auto bytes = reinterpret_cast<const uint8_t*>(&v4.s_addr);  // network order
    return special_purpose_range(std::span<const uint8_t>(bytes, 4));
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    return special_purpose_range(std::span<const uint8_t>(v6.s6_addr, 16));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> special_purpose_range(std::span<const uint8_t> address) {
  if (address.size() == 4) return first_range(address, kIpv4Ranges);
  if (address.size() != 16) return "not an IP address";
  if (std::optional<std::span<const uint8_t>> v4 = embedded_ipv4(address)) {
    return first_range(*v4, kIpv4Ranges);
  }
  std::optional<std::string_view> range = first_range(address, kIpv6Ranges);
  if (range || in_range(address, kGlobalUnicast)) return range;
  return kGlobalUnicast.name;
}

Status check_webhook_url_policy(std::string_view text, const WebhookNetworkPolicy& policy) {
  Result<WebhookUrl> url = parse_webhook_url(text);
  if (!url.ok()) return Error("webhook_url_invalid", url.error().message, "webhook_url");
  if (policy.https_required && !url->secure) {
    return not_allowed("this mpayd sends webhooks over https:// only");
  }
  if (policy.private_networks_allowed) return ok_status();
  if (is_localhost_name(url->host)) {
    return not_allowed(
        "\"localhost\" is this machine; this mpayd sends webhooks to public "
        "addresses only");
  }
  std::optional<std::string_view> range = literal_range(url->host);
  if (range) {
    return not_allowed("the host is in the " + std::string(*range) +
                       " range; this mpayd sends webhooks to public addresses only");
  }
  return ok_status();
}

}  // namespace mpay::notify::webhooks
