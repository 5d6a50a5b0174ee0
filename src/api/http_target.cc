#include "api/http_target.h"

namespace mpay::api {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

mpay::Error bad_target(std::string message) {
  return mpay::Error("bad_request", std::move(message));
}

}  // namespace

mpay::Result<std::string> percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return bad_target("malformed percent-encoding in request target");
    int high = hex_value(text[i + 1]);
    int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return bad_target("malformed percent-encoding in request target");
    decoded.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return decoded;
}

mpay::Result<HttpTarget> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return bad_target("request target must be an absolute path");
  }
  // Beast lets bytes >= 0x80 through; RFC 9112 targets are ASCII, and refusing the rest keeps the
  // logged path printable.
  for (char c : target) {
    if (static_cast<unsigned char>(c) >= 0x80) return bad_target("request target must be ASCII");
  }
  HttpTarget result;
  size_t question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  // A conforming client never sends a fragment; refusing it keeps "#" out of paths and params.
  if (raw_path.find('#') != std::string_view::npos) {
    return bad_target("request target must not hold a fragment");
  }
  result.raw_path = std::string(raw_path);

  // Decode segment by segment so that an encoded "/" can be told apart from a real one.
  size_t start = 0;
  while (start <= raw_path.size()) {
    size_t slash = raw_path.find('/', start);
    std::string_view segment = raw_path.substr(start, slash - start);
    auto decoded = percent_decode(segment);
    if (!decoded.ok()) return decoded.error();
    if (decoded->find('/') != std::string::npos || decoded->find('\0') != std::string::npos) {
      return bad_target("request path must not encode '/' or NUL");
    }
    result.path += *decoded;
    if (slash == std::string_view::npos) break;
    result.path.push_back('/');
    start = slash + 1;
  }

  if (question == std::string_view::npos) return result;
  std::string_view query = target.substr(question + 1);
  size_t hash = query.find('#');
  if (hash != std::string_view::npos) return bad_target("request target must not hold a fragment");
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    size_t equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals));
    if (!name.ok()) return name.error();
    auto value = percent_decode(equals == std::string_view::npos ? std::string_view()
                                                                 : pair.substr(equals + 1));
    if (!value.ok()) return value.error();
    result.query.emplace_back(std::move(*name), std::move(*value));
  }
  return result;
}

}  // namespace mpay::api
