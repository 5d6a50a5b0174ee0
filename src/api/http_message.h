// The request and response values that handlers see, and the callback types that connect a
// handler to the server.
//
// A Handler runs on a server thread and must not block. It receives the request by reference,
// valid for the duration of the call only (it may move fields out of it). It answers by calling its
// Responder exactly once, either before returning or later from any thread (for example the
// ledger's writer thread after a durable commit); the server carries the response back to the
// connection's own executor. Calling a Responder twice is a programmer error and aborts
// (MPAY_CHECK). Destroying every copy of a Responder without calling it makes the server answer 500
// internal_error, so a forgotten path can never leave a client hanging. Values only: no shared
// state, thread-safe as values.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace mpay::api {

struct HttpRequest {
  boost::beast::http::verb method = boost::beast::http::verb::unknown;
  std::string target;  // raw request target as received, e.g. "/v1/x%20y?limit=10"
  std::string path;    // percent-decoded path without the query, e.g. "/v1/x y"
  // Percent-decoded query parameters in the order received. "+" stays "+" (phone numbers are
  // written "+254..."); a space must be sent as %20.
  std::vector<std::pair<std::string, std::string>> query;
  std::map<std::string, std::string> path_params;  // from "{name}" segments of the route pattern
  std::string body;
  std::string remote_address;  // peer IP address, without the port
  std::string request_id;      // the X-Request-Id echoed on the response
  // Who is calling, as the server's authorize callback established it (e.g. "operator"); empty
  // for public routes. Idempotency keys are scoped by it.
  std::string principal;
  // Set by the Idempotency-Key layer when this request claimed a key: its response will be stored
  // for replays (so a response showing a secret once must say what to store instead; see
  // secret_response in idempotency.h). Unlike `headers`, it survives the hand-off to the pool.
  bool idempotency_key_claimed = false;
  // The raw request headers. Valid during the handler call only: copy what must outlive it.
  const boost::beast::http::fields* headers = nullptr;

  // The first header with this name (case-insensitive), or nullopt. Valid like `headers`.
  std::optional<std::string_view> header(std::string_view name) const;
  // The first query parameter with this exact name, or nullopt.
  std::optional<std::string> query_param(std::string_view name) const;
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra headers. Content-Length, Transfer-Encoding, Connection, Server, Content-Type and
  // X-Request-Id belong to the server: values given here for those names are ignored. A header
  // with an invalid name or a CR/LF/NUL in its value is dropped (and logged).
  std::vector<std::pair<std::string, std::string>> headers;
};

// A JSON body with the given status. Never throws: invalid UTF-8 in strings is replaced by U+FFFD.
HttpResponse json_response(unsigned status, const nlohmann::json& body);

// {"error":{"code":"...","message":"..."}} with "field":"..." added only when error.field is set.
HttpResponse error_response(unsigned status, const mpay::Error& error);

using Responder = std::function<void(HttpResponse)>;
using Handler = std::function<void(HttpRequest&, Responder)>;

}  // namespace mpay::api
