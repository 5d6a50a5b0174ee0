#include "api/http_message.h"

namespace mpay::api {

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
  if (headers == nullptr) return std::nullopt;
  auto found = headers->find(boost::beast::string_view(name.data(), name.size()));
  if (found == headers->end()) return std::nullopt;
  auto value = found->value();
  return std::string_view(value.data(), value.size());
}

std::optional<std::string> HttpRequest::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

namespace {

// dump() throws on invalid UTF-8 by default; a response builder must not, because error messages
// and echoed values can come from client bytes.
std::string dump_never_throwing(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

HttpResponse json_response(unsigned status, const nlohmann::json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

HttpResponse error_response(unsigned status, const mpay::Error& error) {
  // ordered_json keeps code, message, field in the documented order.
  nlohmann::ordered_json inner;
  inner["code"] = error.code;
  inner["message"] = error.message;
  if (!error.field.empty()) inner["field"] = error.field;
  nlohmann::ordered_json outer;
  outer["error"] = std::move(inner);
  HttpResponse response;
  response.status = status;
  response.body = dump_never_throwing(outer);
  return response;
}

}  // namespace mpay::api
