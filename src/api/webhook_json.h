// The webhook-deliveries API's response shapes (docs/webhooks.md) and its error statuses.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "notify/webhooks/delivery_records.h"

namespace mpay::api {

nlohmann::json delivery_json(const notify::webhooks::DeliveryRecord& delivery);
// delivery_json plus "attempt_log": every attempt, oldest first.
nlohmann::json delivery_detail_json(const notify::webhooks::DeliveryDetail& detail);
nlohmann::json delivery_page_json(const notify::webhooks::DeliveryPage& page);

unsigned webhook_error_status(std::string_view code);

}  // namespace mpay::api
