#include "api/webhook_requests.h"

#include <charconv>
#include <set>

namespace mpay::api {

using notify::webhooks::DeliveryQuery;

std::optional<Id128> merchant_of_principal(std::string_view principal) {
  if (!principal.starts_with(kWebhookMerchantPrincipalPrefix)) return std::nullopt;
  std::optional<Id128> id = parse_uuid_text(principal.substr(kWebhookMerchantPrincipalPrefix.size()));
  if (!id || id->is_zero()) return std::nullopt;
  return id;
}

Result<DeliveryQuery> decode_delivery_query(const Id128& merchant,
                                            const std::vector<std::pair<std::string, std::string>>& query) {
  DeliveryQuery decoded;
  decoded.merchant_id = merchant;
  std::set<std::string> seen;
  for (const auto& [name, value] : query) {
    if (!seen.insert(name).second) {
      return Error("query_parameter_repeated", "a query parameter is given more than once", name);
    }
    if (name == "payment_request_id") {
      if (value.empty() || value.size() > notify::webhooks::kSubjectIdBytesMax) {
        return Error("payment_request_id_invalid", "payment_request_id must be 1..128 bytes", name);
      }
      decoded.subject_id = value;
    } else if (name == "status") {
      decoded.status = notify::webhooks::parse_status(value);
      if (!decoded.status) {
        return Error("status_invalid", "status is pending, delivered, failed or skipped", name);
      }
    } else if (name == "limit") {
      size_t limit = 0;
      auto parsed = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (parsed.ec != std::errc() || parsed.ptr != value.data() + value.size() || limit == 0 ||
          limit > notify::webhooks::kDeliveriesPageMax) {
        return Error("limit_invalid", "limit is a number from 1 to 100", name);
      }
      decoded.limit = limit;
    } else if (name == "after") {
      decoded.after = parse_uuid_text(value);
      if (!decoded.after) return Error("cursor_invalid", "after is the next_after of a previous page", name);
    } else {
      return Error("query_parameter_unknown",
                   "unknown query parameter; known: payment_request_id, status, limit, after",
                   name);
    }
  }
  return decoded;
}

}  // namespace mpay::api
