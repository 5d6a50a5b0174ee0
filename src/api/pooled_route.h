// The route shape the application API's modules share: a handler that runs on the blocking pool
// and gets its module's context; every POST honours Idempotency-Key (the OpenAPI test checks).
// Header-only; the router copies the route.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "api/blocking_pool.h"
#include "api/router.h"

namespace mpay::api {

// `handler(context, request, respond)`; `context` must outlive the router.
template <typename Context, typename Handler>
Route pooled_route(BlockingPool& pool, Context& context, boost::beast::http::verb method,
                   std::string pattern, std::string_view scope, size_t body_bytes_max,
                   Handler handler) {
  Route route;
  route.method = method;
  route.pattern = std::move(pattern);
  route.scope = std::string(scope);
  route.body_bytes_max = body_bytes_max;
  route.idempotent = method == boost::beast::http::verb::post;
  route.handler = pool.offload([&context, handler](HttpRequest& request, Responder respond) {
    handler(context, request, std::move(respond));
  });
  return route;
}

}  // namespace mpay::api
