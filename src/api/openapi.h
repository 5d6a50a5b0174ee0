// The OpenAPI 3.0 document of the API (docs/openapi.yaml), compiled into the binary at build
// time (cmake/MpayEmbedText.cmake), so the server serves the document it was built with from any
// working directory. tests/api/openapi_test.cc checks the document against the route table.
#pragma once

#include <string_view>

#include "api/router.h"

namespace mpay::api {

inline constexpr std::string_view kOpenApiPath = "/v1/openapi.yaml";
inline constexpr std::string_view kOpenApiContentType = "application/yaml";

// The bytes of docs/openapi.yaml as built. Static storage; thread-safe.
std::string_view openapi_document();

// GET /v1/openapi.yaml, public.
void add_openapi_route(Router& router);

}  // namespace mpay::api
