#include "notify/webhooks/webhook_url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mpay::notify::webhooks {
namespace {

Error invalid(const std::string& why) { return Error("url_invalid", "webhook URL: " + why, "url"); }

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

bool host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

}  // namespace

std::string WebhookUrl::host_header() const {
  std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  uint16_t default_port = secure ? 443 : 80;
  return port == default_port ? name : name + ":" + std::to_string(port);
}

Result<WebhookUrl> parse_webhook_url(std::string_view text) {
  if (text.size() > kWebhookUrlBytesMax) return invalid("longer than 2048 bytes");
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || u >= 0x80) return invalid("spaces, control and non-ASCII bytes are not allowed");
  }
  WebhookUrl url;
  if (starts_with_ci(text, "https://")) {
    url.secure = true;
    url.port = 443;
    text.remove_prefix(8);
  } else if (starts_with_ci(text, "http://")) {
    text.remove_prefix(7);
  } else {
    return invalid("the scheme must be http:// or https://");
  }
  if (text.find('#') != std::string_view::npos) return invalid("fragments are not allowed");
  size_t authority_end = std::min(text.find('/'), text.find('?'));
  std::string_view authority = text.substr(0, authority_end);
  std::string_view rest = authority_end == std::string_view::npos ? "" : text.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return invalid("user names and passwords are not allowed");

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unclosed [ in the host");
    std::string_view inside = authority.substr(1, close - 1);
    if (inside.empty() || !std::all_of(inside.begin(), inside.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        })) {
      return invalid("the IPv6 address is malformed");
    }
    url.host = std::string(inside);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("unexpected text after the IPv6 address");
      port_text = after.substr(1);
      if (port_text.empty()) return invalid("empty port");
    }
  } else {
    size_t colon = authority.find(':');
    std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return invalid("empty port");
    }
    if (host.empty()) return invalid("the host is missing");
    if (!std::all_of(host.begin(), host.end(), host_char)) return invalid("the host has characters a host name cannot have");
    url.host = std::string(host);
  }
  if (!port_text.empty()) {
    unsigned port = 0;
    auto parsed = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (parsed.ec != std::errc() || parsed.ptr != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return invalid("the port must be a number from 1 to 65535");
    }
    url.port = static_cast<uint16_t>(port);
  }
  url.target = rest.empty() ? "/" : (rest.front() == '?' ? "/" + std::string(rest) : std::string(rest));
  return url;
}

}  // namespace mpay::notify::webhooks
