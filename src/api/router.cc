#include "api/router.h"

#include <algorithm>
#include <optional>

#include "core/check.h"

namespace mpay::api {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  // "/a/b" -> {"a", "b"}; "/" -> {""}; the leading slash is required and not a segment.
  std::vector<std::string_view> segments;
  std::string_view rest = path.substr(1);
  while (true) {
    size_t slash = rest.find('/');
    segments.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return segments;
}

bool is_parameter_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::vector<Router::Segment> Router::compile_pattern(std::string_view pattern) {
  MPAY_CHECK(!pattern.empty() && pattern.front() == '/', "route pattern must start with '/'");
  std::vector<Segment> segments;
  for (std::string_view part : split_path(pattern)) {
    Segment segment;
    if (!part.empty() && part.front() == '{') {
      size_t close = part.find('}');
      MPAY_CHECK(close != std::string_view::npos, "route parameter must be {name}");
      std::string_view name = part.substr(1, close - 1);
      std::string_view suffix = part.substr(close + 1);
      MPAY_CHECK(suffix.find_first_of("{}?#%") == std::string_view::npos,
                 "route parameter suffix holds a reserved character");
      MPAY_CHECK(is_parameter_name(name), "route parameter name must be [A-Za-z0-9_]+");
      for (const Segment& earlier : segments) {
        MPAY_CHECK(!(earlier.is_parameter && earlier.text == name), "duplicate route parameter");
      }
      segment.is_parameter = true;
      segment.text = std::string(name);
      segment.suffix = std::string(suffix);
    } else {
      MPAY_CHECK(part.find_first_of("{}?#%") == std::string_view::npos,
                 "route literal segment holds a reserved character");
      segment.text = std::string(part);
    }
    segments.push_back(std::move(segment));
  }
  return segments;
}

namespace {

template <typename Segments>
bool same_shape(const Segments& a, const Segments& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_parameter != b[i].is_parameter) return false;
    if (!a[i].is_parameter && a[i].text != b[i].text) return false;
    if (a[i].is_parameter && a[i].suffix != b[i].suffix) return false;
  }
  return true;
}

// How literal a segment is: a literal, then a parameter with a suffix, then a bare parameter.
template <typename Segment>
int literalness(const Segment& segment) {
  if (!segment.is_parameter) return 2;
  return segment.suffix.empty() ? 0 : 1;
}

// True when `a` is more specific than `b`: at the first segment where they differ in how literal
// they are, `a` is the more literal. Both must match the same path, so they have equal length.
template <typename Segments>
bool more_specific(const Segments& a, const Segments& b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (literalness(a[i]) != literalness(b[i])) return literalness(a[i]) > literalness(b[i]);
  }
  return false;
}

template <typename Segment>
bool segment_matches(const Segment& segment, std::string_view part) {
  if (!segment.is_parameter) return segment.text == part;
  if (part.size() <= segment.suffix.size()) return false;
  return part.substr(part.size() - segment.suffix.size()) == segment.suffix;
}

}  // namespace

Route& Router::add(Route route) {
  MPAY_CHECK(static_cast<bool>(route.handler), "route without a handler");
  std::vector<Segment> segments = compile_pattern(route.pattern);
  for (size_t i = 0; i < routes_.size(); ++i) {
    MPAY_CHECK(!(routes_[i].method == route.method && same_shape(segments_[i], segments)),
               "duplicate route (same method and pattern)");
  }
  routes_.push_back(std::move(route));
  segments_.push_back(std::move(segments));
  return routes_.back();
}

void Router::wrap_handlers(const std::function<Handler(const Route&, Handler)>& wrap) {
  for (Route& route : routes_) {
    Handler wrapped = wrap(route, std::move(route.handler));
    MPAY_CHECK(static_cast<bool>(wrapped), "wrap_handlers() returned an empty handler");
    route.handler = std::move(wrapped);
  }
}

RouteMatch Router::match(boost::beast::http::verb method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  std::vector<std::string_view> parts = split_path(path);

  std::optional<size_t> best;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const std::vector<Segment>& segments = segments_[i];
    if (segments.size() != parts.size()) continue;
    bool matches = true;
    for (size_t s = 0; s < segments.size() && matches; ++s) {
      matches = segment_matches(segments[s], parts[s]);
    }
    if (!matches) continue;
    if (routes_[i].method != method) {
      result.allowed_methods.push_back(routes_[i].method);
      continue;
    }
    if (!best || more_specific(segments, segments_[*best])) best = i;
  }

  if (!best) {
    result.kind = result.allowed_methods.empty() ? RouteMatchKind::path_not_found
                                                 : RouteMatchKind::method_not_allowed;
    std::sort(result.allowed_methods.begin(), result.allowed_methods.end(),
              [](boost::beast::http::verb a, boost::beast::http::verb b) {
                return boost::beast::http::to_string(a) < boost::beast::http::to_string(b);
              });
    result.allowed_methods.erase(
        std::unique(result.allowed_methods.begin(), result.allowed_methods.end()),
        result.allowed_methods.end());
    return result;
  }
  result.kind = RouteMatchKind::found;
  result.route = &routes_[*best];
  result.allowed_methods.clear();
  const std::vector<Segment>& segments = segments_[*best];
  for (size_t s = 0; s < segments.size(); ++s) {
    if (!segments[s].is_parameter) continue;
    std::string_view value = parts[s].substr(0, parts[s].size() - segments[s].suffix.size());
    result.path_params[segments[s].text] = std::string(value);
  }
  return result;
}

std::optional<mpay::Error> refused_query(
    const Route& route, const std::vector<std::pair<std::string, std::string>>& query) {
  if (route.query_ignored) return std::nullopt;
  for (size_t i = 0; i < query.size(); ++i) {
    const std::string& name = query[i].first;
    if (std::find(route.query_parameters.begin(), route.query_parameters.end(), name) ==
        route.query_parameters.end()) {
      std::string message = "unknown query parameter; this route takes ";
      if (route.query_parameters.empty()) message += "none";
      for (size_t k = 0; k < route.query_parameters.size(); ++k) {
        message += (k == 0 ? "" : ", ") + route.query_parameters[k];
      }
      return mpay::Error("query_parameter_unknown", std::move(message), name);
    }
    for (size_t earlier = 0; earlier < i; ++earlier) {
      if (query[earlier].first == name) {
        return mpay::Error("query_parameter_repeated", "a query parameter is given more than once",
                           name);
      }
    }
  }
  return std::nullopt;
}

std::string allow_header_value(const std::vector<boost::beast::http::verb>& methods) {
  std::string value;
  for (boost::beast::http::verb method : methods) {
    if (!value.empty()) value += ", ";
    auto name = boost::beast::http::to_string(method);
    value.append(name.data(), name.size());
  }
  return value;
}

}  // namespace mpay::api
