// The route table: every endpoint of the API declared in one readable list (method, path pattern,
// auth scope, body limit, handler), and the matcher the server uses to pick one.
//
// Patterns are absolute paths made of literal segments and "{name}" parameter segments, e.g.
// "/v1/ledger/accounts/{id}/transfers". A parameter matches exactly one non-empty segment; it may
// carry a literal suffix ("{id}.png" matches "abc.png" with id = "abc", never ".png" alone). When
// several patterns match a path, the one whose first differing segment is more literal wins
// (literal, then parameter with suffix, then bare parameter), so "/v1/accounts/search" beats
// "/v1/accounts/{id}" and "/v1/codes/{id}.png" beats "/v1/codes/{id}". Matching is per method: a
// path that matches a pattern only under other methods is "method not allowed", one that matches
// nothing is "not found".
//
// Threads: add() and wrap_handlers() before handing the router to a server; afterwards the
// router is read-only and match()/routes() may be called from any thread. Route addresses stay
// stable for the router's life. A malformed pattern or a duplicate (same method, same pattern
// shape) is a programmer error and aborts (MPAY_CHECK).
#pragma once

#include <boost/beast/http/verb.hpp>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_message.h"

namespace mpay::api {

struct Route {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string pattern;  // e.g. "/v1/ledger/accounts/{id}/transfers"
  std::string scope;    // auth scope passed to the server's authorize callback; "" = public
  // Largest request body this route accepts; 0 = no body. The server's own cap still applies.
  size_t body_bytes_max = 0;
  Handler handler;
  // Honours the Idempotency-Key header (api/idempotency.h); the route table wraps the handler.
  // Every POST route sets it: the OpenAPI test checks.
  bool idempotent = false;
  // The query parameters the handler reads. The server refuses any other name (400
  // query_parameter_unknown, field = the name) and any name given twice (400
  // query_parameter_repeated) before authorization and the handler, so that a parameter a client
  // thinks matters is never silently dropped. Empty: the route takes no query at all. The OpenAPI
  // test checks these lists against the document's `in: query` parameters.
  std::vector<std::string> query_parameters{};
  // For a public page that reads no query but is reached with parameters of others: a page from
  // printed codes and shared links (readers, shorteners and scanner apps add their own), and
  // /healthz, /metrics and /v1/openapi.yaml (probes' cache-busters, scrapers' params). The
  // server checks none. Nothing else sets it.
  bool query_ignored = false;
};

enum class RouteMatchKind { found, path_not_found, method_not_allowed };

struct RouteMatch {
  RouteMatchKind kind = RouteMatchKind::path_not_found;
  const Route* route = nullptr;                    // set when found
  std::map<std::string, std::string> path_params;  // set when found
  // Methods under which the path exists, sorted by name, for the Allow header; set when
  // method_not_allowed.
  std::vector<boost::beast::http::verb> allowed_methods;
};

class Router {
 public:
  // Returns the route as stored, so that a module can set properties its helper did not
  // (route.query_parameters); the reference stays valid for the router's life.
  Route& add(Route route);
  // `path` is the percent-decoded path without the query.
  RouteMatch match(boost::beast::http::verb method, std::string_view path) const;
  // Every route in the order added.
  const std::deque<Route>& routes() const { return routes_; }
  // Replaces each route's handler with wrap(route, handler): how the route table applies layers
  // that depend on a route's declared properties (idempotency). Call before serving.
  void wrap_handlers(const std::function<Handler(const Route& route, Handler handler)>& wrap);

 private:
  struct Segment {
    bool is_parameter = false;
    std::string text;    // the literal, or the parameter name
    std::string suffix;  // a parameter's literal suffix (".png" in "{id}.png"), or empty
  };
  std::deque<Route> routes_;
  std::vector<std::vector<Segment>> segments_;  // parallel to routes_

  static std::vector<Segment> compile_pattern(std::string_view pattern);
};

// Why the server refuses `query` for `route`, or nullopt when the route takes it: a name the route
// does not declare is query_parameter_unknown, a name given twice query_parameter_repeated (field =
// the name, both 400). A route with query_ignored takes any query.
std::optional<mpay::Error> refused_query(
    const Route& route, const std::vector<std::pair<std::string, std::string>>& query);

// "GET, POST" for an Allow header.
std::string allow_header_value(const std::vector<boost::beast::http::verb>& methods);

}  // namespace mpay::api
