#include "api/http_response_head.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <charconv>

namespace mpay::api {
namespace {

bool is_header_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool is_header_value(std::string_view value) {
  return std::none_of(value.begin(), value.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Framing and identity headers are the server's alone; a handler's copy would contradict them.
bool is_server_owned_header(std::string_view name) {
  for (std::string_view owned : {"Content-Length", "Transfer-Encoding", "Connection", "Server",
                                 "Content-Type", "X-Request-Id"}) {
    // Beast 1.74's string_view is boost's, which std::string_view does not convert to.
    if (boost::beast::iequals({name.data(), name.size()}, {owned.data(), owned.size()})) {
      return true;
    }
  }
  return false;
}

void append_field(std::string& head, std::string_view name, std::string_view value) {
  head.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

bool response_has_body(unsigned status) {
  return status >= 200 && status != 204 && status != 304;
}

std::string format_response_head(const HttpResponse& response, std::string_view request_id,
                                 bool keep_alive) {
  namespace http = boost::beast::http;
  boost::beast::string_view reason = http::obsolete_reason(http::int_to_status(response.status));
  char number[24];
  std::string head;
  head.reserve(192 + response.content_type.size() + request_id.size());
  head.append("HTTP/1.1 ");
  head.append(number, std::to_chars(number, number + sizeof number, response.status).ptr);
  head.append(" ").append(reason.data(), reason.size()).append("\r\n");
  for (const auto& [name, value] : response.headers) {
    if (!is_header_name(name) || !is_header_value(value)) {
      spdlog::error("http handler set an invalid header, dropped request_id={}", request_id);
      continue;
    }
    if (is_server_owned_header(name)) continue;
    append_field(head, name, value);
  }
  append_field(head, "Server", "mpayd");
  if (is_header_value(response.content_type) && !response.content_type.empty()) {
    append_field(head, "Content-Type", response.content_type);
  } else {
    spdlog::error("http handler set an invalid content type, replaced request_id={}", request_id);
    append_field(head, "Content-Type", "application/octet-stream");
  }
  append_field(head, "X-Request-Id", request_id);
  if (response_has_body(response.status)) {
    char* end = std::to_chars(number, number + sizeof number, response.body.size()).ptr;
    append_field(head, "Content-Length", std::string_view(number, end - number));
  }
  if (!keep_alive) append_field(head, "Connection", "close");
  head.append("\r\n");
  return head;
}

}  // namespace mpay::api
