// Internal to src/api: the head of an answer (status line and headers) as the bytes that go on the
// wire, written by the connection in one gathered write together with the body.
//
// Why not Beast's serializer: for these small answers its cost was the serializer itself (a
// buffer-sequence iterator stepped through a variant per piece) and one allocation per header
// field; about 8% of the HTTP thread in the request-to-pay benchmark, more than the formatting it
// does. Requests are still parsed by Beast.
//
// What the head holds: "HTTP/1.1 <status> <reason>", the handler's extra headers that are valid and
// not the server's own (http_message.h, HttpResponse::headers), then Server, Content-Type,
// X-Request-Id, Content-Length (not for 1xx, 204 and 304, which have no body; RFC 9110 section
// 8.6) and "Connection: close" when the connection closes after the answer (HTTP/1.1 keeps it
// otherwise).
//
// Threads: a pure function. Failure: an invalid extra header is dropped and an invalid content
// type replaced by application/octet-stream, each logged with the request id.
#pragma once

#include <string>
#include <string_view>

#include "api/http_message.h"

namespace mpay::api {

// False for the statuses that never carry a body (1xx, 204, 304): their answers must be sent
// without one.
bool response_has_body(unsigned status);

// The head of `response` (its body is not included; its size is the Content-Length).
std::string format_response_head(const HttpResponse& response, std::string_view request_id,
                                 bool keep_alive);

}  // namespace mpay::api
