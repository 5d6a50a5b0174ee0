#include "payments/merchant/webhook_url.h"

#include <algorithm>
#include <string>

namespace mpay::merchant {
namespace {

Error invalid(const std::string& why) { return Error("webhook_url_invalid", "webhook_url: " + why, "webhook_url"); }

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

Status validate_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return invalid("the port must be 1 to 65535");
  int value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return invalid("the port must be decimal digits");
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return invalid("the port must be 1 to 65535");
  return ok_status();
}

}  // namespace

Status validate_webhook_url(std::string_view url) {
  if (url.size() > kWebhookUrlCharsMax) {
    return invalid("at most " + std::to_string(kWebhookUrlCharsMax) + " characters");
  }
  if (!std::all_of(url.begin(), url.end(), [](char c) { return c > ' ' && c < 0x7f; })) {
    return invalid("printable ASCII without spaces only (percent-encode the rest)");
  }
  if (url.find('@') != std::string_view::npos) return invalid("no user info (\"@\")");
  if (url.find('#') != std::string_view::npos) return invalid("no fragment (\"#\")");
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return invalid("must start with https:// (or http:// for development)");
  }
  size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  if (authority_end != std::string_view::npos && rest[authority_end] == '?') {
    return invalid("a query must follow a path (\"/?...\")");
  }
  size_t colon = authority.find(':');
  std::string_view host = authority.substr(0, colon);
  if (host.empty()) return invalid("the host is missing");
  if (!std::all_of(host.begin(), host.end(), is_host_char) || host.front() == '.' || host.front() == '-' ||
      host.find("..") != std::string_view::npos) {
    return invalid("the host must be a DNS name or an IPv4 address");
  }
  if (colon != std::string_view::npos) return validate_port(authority.substr(colon + 1));
  return ok_status();
}

}  // namespace mpay::merchant
