// The route shapes the application API's modules share: a handler that runs on the blocking pool
// (or, for the hot paths, in place on the I/O thread) and gets its module's context; every POST
// honours Idempotency-Key (the OpenAPI test checks). Header-only; the router copies the route.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "api/blocking_pool.h"
#include "api/router.h"

namespace mpay::api {

// A handler that runs on the I/O thread, for hot paths whose work is usually all in memory plus
// an asynchronous ledger submit: it must hand whatever may wait on the store to the blocking pool
// itself (BlockingPool::post), having decided that from in-memory facts. Saves two thread hand-offs
// per request. `handler(context, request, respond)`; `context` must outlive the router.
template <typename Context, typename Handler>
Route in_place_route(Context& context, boost::beast::http::verb method, std::string pattern,
                     std::string_view scope, size_t body_bytes_max, Handler handler) {
  Route route;
  route.method = method;
  route.pattern = std::move(pattern);
  route.scope = std::string(scope);
  route.body_bytes_max = body_bytes_max;
  route.idempotent = method == boost::beast::http::verb::post;
  route.handler = [&context, handler](HttpRequest& request, Responder respond) {
    handler(context, request, std::move(respond));
  };
  return route;
}

// The same handler run on the blocking pool: the usual shape.
template <typename Context, typename Handler>
Route pooled_route(BlockingPool& pool, Context& context, boost::beast::http::verb method,
                   std::string pattern, std::string_view scope, size_t body_bytes_max,
                   Handler handler) {
  Route route = in_place_route(context, method, std::move(pattern), scope, body_bytes_max,
                               std::move(handler));
  route.handler = pool.offload(std::move(route.handler));
  return route;
}

}  // namespace mpay::api
