// Where webhooks may go. A merchant's URL is outside input: pointed at the operator's own network
// (a database's port, a cloud metadata service at 169.254.169.254, an admin console on loopback),
// mpayd's POSTs would reach places no merchant should reach (server-side request forgery). The
// policy refuses such addresses, and optionally plain http://.
//
// It is applied twice: when an operator sets the URL (a host that needs no lookup: an IP literal,
// IPv4 in any form a resolver reads, or "localhost"), and at every connection, to the addresses
// the host resolves to then. The transport connects only to addresses it has checked, so a name
// that resolves to a public address when set and to a private one later (DNS rebinding) is
// refused at the connection.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/error.h"
#include "notify/webhooks/webhook_url.h"

namespace mpay::notify::webhooks {

struct WebhookNetworkPolicy {
  // false: only addresses outside every special-purpose range (special_purpose_range()) receive
  // webhooks. mpayd's default allows them only while it listens on loopback, where everyone who
  // can set a merchant's URL is on the machine already.
  bool private_networks_allowed = true;
  bool https_required = false;  // refuse http:// URLs
};

// The IANA special-purpose range (RFC 6890 and its updates) a 4-byte IPv4 or 16-byte IPv6
// address is in, named for people ("loopback 127.0.0.0/8"), or std::nullopt for an ordinary
// public address. IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64 64:ff9b::/96, 6to4)
// are judged by that address. Any other length: "not an IP address".
std::optional<std::string_view> special_purpose_range(std::span<const uint8_t> address);

// What can be judged of a URL without a lookup. Errors (field "webhook_url"):
// webhook_url_invalid (not a URL parse_webhook_url accepts), webhook_url_not_allowed (http://
// while https is required; a host that is "localhost", a name under "localhost.", or an IP
// literal in a special-purpose range while private networks are refused; the message says which).
Status check_webhook_url_policy(std::string_view url, const WebhookNetworkPolicy& policy);

// The attempt error when a host resolves only to refused addresses; the message names the range.
inline constexpr std::string_view kAddressRefused = "address_refused";
// The attempt error for an http:// URL while https is required.
inline constexpr std::string_view kHttpsRequired = "https_required";

}  // namespace mpay::notify::webhooks
