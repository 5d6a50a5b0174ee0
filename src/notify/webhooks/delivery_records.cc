#include "notify/webhooks/delivery_records.h"

namespace mpay::notify::webhooks {

std::string_view status_name(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::pending: return "pending";
    case DeliveryStatus::delivered: return "delivered";
    case DeliveryStatus::failed: return "failed";
    case DeliveryStatus::skipped: return "skipped";
  }
  return "pending";
}

std::optional<DeliveryStatus> parse_status(std::string_view name) {
  for (DeliveryStatus status : {DeliveryStatus::pending, DeliveryStatus::delivered, DeliveryStatus::failed,
                                DeliveryStatus::skipped}) {
    if (status_name(status) == name) return status;
  }
  return std::nullopt;
}

}  // namespace mpay::notify::webhooks
