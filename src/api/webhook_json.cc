#include "api/webhook_json.h"

#include "core/time_text.h"

namespace mpay::api {
namespace {

using namespace notify::webhooks;

nlohmann::json time_or_null(int64_t unix_ns) {
  return unix_ns == 0 ? nlohmann::json(nullptr) : nlohmann::json(format_rfc3339_ms(unix_ns));
}

}  // namespace

nlohmann::json delivery_json(const DeliveryRecord& delivery) {
  bool pending = delivery.status == DeliveryStatus::pending;
  return {
      {"id", to_uuid_text(delivery.id)},
      {"event_id", delivery.event_id},
      {"event_type", delivery.type},
      {"payment_request_id", delivery.subject_id},
      {"status", status_name(delivery.status)},
      {"attempts", delivery.attempts},
      {"next_attempt_at", pending ? time_or_null(delivery.next_attempt_at_ns) : nlohmann::json(nullptr)},
      {"last_http_status",
       delivery.last_http_status == 0 ? nlohmann::json(nullptr) : nlohmann::json(delivery.last_http_status)},
      {"last_error", delivery.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(delivery.last_error)},
      {"created_at", format_rfc3339_ms(delivery.created_at_ns)},
      {"delivered_at",
       delivery.status == DeliveryStatus::delivered ? time_or_null(delivery.finished_at_ns) : nlohmann::json(nullptr)},
      {"finished_at", time_or_null(delivery.finished_at_ns)},
      {"replay_of", delivery.replay_of ? nlohmann::json(to_uuid_text(*delivery.replay_of)) : nlohmann::json(nullptr)},
  };
}

nlohmann::json delivery_detail_json(const DeliveryDetail& detail) {
  nlohmann::json json = delivery_json(detail.delivery);
  nlohmann::json log = nlohmann::json::array();
  for (const AttemptRecord& attempt : detail.attempts) {
    log.push_back({
        {"number", attempt.number},
        {"at", format_rfc3339_ms(attempt.at_ns)},
        {"http_status", attempt.http_status == 0 ? nlohmann::json(nullptr) : nlohmann::json(attempt.http_status)},
        {"error", attempt.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(attempt.error)},
        {"duration_ms", attempt.duration_ns / 1'000'000},
    });
  }
  json["attempt_log"] = std::move(log);
  return json;
}

nlohmann::json delivery_page_json(const DeliveryPage& page) {
  nlohmann::json items = nlohmann::json::array();
  for (const DeliveryRecord& delivery : page.items) items.push_back(delivery_json(delivery));
  return {{"items", std::move(items)},
          {"next_after", page.next_after ? nlohmann::json(to_uuid_text(*page.next_after)) : nlohmann::json(nullptr)}};
}

unsigned webhook_error_status(std::string_view code) {
  if (code == "not_found") return 404;
  if (code == "store_busy") return 503;
  if (code == "store_error") return 500;
  return 400;  // the *_invalid codes of the query and the path
}

}  // namespace mpay::api
