#include "api/openapi.h"

#include <string>

namespace mpay::api {

void add_openapi_route(Router& router) {
  Route route;
  route.method = boost::beast::http::verb::get;
  route.pattern = std::string(kOpenApiPath);
  route.handler = [](HttpRequest&, Responder respond) {
    HttpResponse response;
    response.content_type = std::string(kOpenApiContentType);
    response.body = std::string(openapi_document());
    respond(std::move(response));
  };
  route.query_ignored = true;  // a cache-buster or a viewer's parameters change nothing here
  router.add(std::move(route));
}

}  // namespace mpay::api
