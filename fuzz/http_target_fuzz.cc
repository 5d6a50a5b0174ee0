// Fuzz target: HTTP request targets. parse_target on the input, percent_decode on the input.
//
// Properties:
// - failures are bad_request;
// - an accepted target starts with "/", is ASCII, raw_path is its prefix before "?", and the
//   decoded path has the same segments as raw_path (no NUL, no "/" smuggled in by "%2F");
// - re-encoding the decoded path and query and parsing that again gives the same values;
// - percent_decode never grows its input, and decodes any percent-encoding of arbitrary bytes
//   back to those bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/http_target.h"
#include "core/check.h"

namespace {

// Escapes every byte that is not unreserved (RFC 3986), so the result is plain ASCII.
std::string percent_encode(std::string_view bytes) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                      (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                      byte == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

size_t count_of(std::string_view text, char c) {
  size_t n = 0;
  for (char x : text) n += x == c ? 1 : 0;
  return n;
}

void check_target(std::string_view input) {
  auto target = mpay::api::parse_target(input);
  if (!target.ok()) {
    MPAY_CHECK(target.error().code == "bad_request", "parse_target failed with another code");
    return;
  }
  MPAY_CHECK(!input.empty() && input.front() == '/', "accepted a target that is not a path");
  for (char c : input) {
    MPAY_CHECK(static_cast<unsigned char>(c) < 0x80, "accepted a target that is not ASCII");
  }
  MPAY_CHECK(input.substr(0, input.find('?')) == target->raw_path, "raw_path is not the path part");
  MPAY_CHECK(target->path.find('\0') == std::string::npos, "the decoded path holds a NUL");
  MPAY_CHECK(count_of(target->path, '/') == count_of(target->raw_path, '/'),
             "the decoded path has different segments than the raw path");
  MPAY_CHECK(target->path.size() <= target->raw_path.size(), "decoding made the path longer");

  // Encode again, segment by segment and parameter by parameter, and parse that.
  std::string encoded;
  size_t start = 0;
  while (true) {
    size_t slash = target->path.find('/', start);
    encoded += percent_encode(std::string_view(target->path).substr(start, slash - start));
    if (slash == std::string::npos) break;
    encoded.push_back('/');
    start = slash + 1;
  }
  if (input.find('?') != std::string_view::npos) {
    encoded.push_back('?');
    for (size_t i = 0; i < target->query.size(); ++i) {
      if (i > 0) encoded.push_back('&');
      encoded += percent_encode(target->query[i].first);
      encoded.push_back('=');
      encoded += percent_encode(target->query[i].second);
    }
  }
  auto again = mpay::api::parse_target(encoded);
  MPAY_CHECK(again.ok(), "a re-encoded target is refused");
  MPAY_CHECK(again->path == target->path, "a re-encoded target decodes to another path");
  MPAY_CHECK(again->query.size() == target->query.size(), "a re-encoded query lost parameters");
  for (size_t i = 0; i < target->query.size(); ++i) {
    MPAY_CHECK(again->query[i] == target->query[i], "a re-encoded query parameter changed");
  }
}

void check_percent_decode(std::string_view input) {
  auto decoded = mpay::api::percent_decode(input);
  if (decoded.ok()) {
    MPAY_CHECK(decoded->size() <= input.size(), "percent_decode made its input longer");
  } else {
    MPAY_CHECK(decoded.error().code == "bad_request", "percent_decode failed with another code");
  }
  // Any bytes at all survive encoding and decoding.
  auto round_trip = mpay::api::percent_decode(percent_encode(input));
  MPAY_CHECK(round_trip.ok() && *round_trip == input, "percent_decode(percent_encode(x)) != x");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check_target(input);
  check_percent_decode(input);
  return 0;
}
