// The records the outbox keeps and shows: deliveries (one per event, plus one per replay) and
// their attempts, and the query shapes of the deliveries API. Plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "notify/webhooks/webhook_event.h"

namespace mpay::notify::webhooks {

// pending: not yet delivered, still trying. delivered: a 2xx came back. failed: gave up after the
// retry window. skipped: the merchant had no webhook URL (or no secret) when its turn came.
enum class DeliveryStatus { pending, delivered, failed, skipped };

std::string_view status_name(DeliveryStatus status);
std::optional<DeliveryStatus> parse_status(std::string_view name);

struct DeliveryRecord {
  Id128 id;         // public, UUIDv7
  int64_t seq = 0;  // arrival order in the outbox (internal)
  std::string event_id;
  Id128 merchant_id;
  std::string subject_id;
  std::string type;
  DeliveryStatus status = DeliveryStatus::pending;
  int64_t attempts = 0;
  int64_t first_attempt_at_ns = 0;  // 0 until the first attempt
  int64_t next_attempt_at_ns = 0;   // meaningful while pending
  unsigned last_http_status = 0;    // 0 when none came back
  std::string last_error;
  int64_t created_at_ns = 0;
  int64_t finished_at_ns = 0;  // when it became delivered, failed or skipped; 0 while pending
  std::optional<Id128> replay_of;  // the delivery this one replays
};

struct AttemptRecord {
  int64_t number = 0;  // 1, 2, ...
  int64_t at_ns = 0;
  unsigned http_status = 0;  // 0 when no response arrived
  std::string error;         // empty on a response; else what went wrong
  int64_t duration_ns = 0;
};

struct DeliveryDetail {
  DeliveryRecord delivery;
  std::vector<AttemptRecord> attempts;  // oldest first, at most kAttemptsShownMax
};

inline constexpr size_t kDeliveriesPageMax = 100;
inline constexpr size_t kAttemptsShownMax = 500;

struct DeliveryQuery {
  Id128 merchant_id;                      // a merchant only ever sees its own
  std::optional<std::string> subject_id;  // the payment request id
  std::optional<DeliveryStatus> status;
  size_t limit = 20;           // 1..kDeliveriesPageMax
  std::optional<Id128> after;  // the last id of the previous page
};

// Newest first; next_after is set when there may be more.
struct DeliveryPage {
  std::vector<DeliveryRecord> items;
  std::optional<Id128> next_after;
};

// A delivery whose turn has come, with what is needed to send it.
struct DueDelivery {
  DeliveryRecord delivery;
  WebhookEvent event;
};

// An attempt made and the delivery's state after it: still pending until next_attempt_at_ns, or
// delivered / failed.
struct AttemptOutcome {
  DeliveryRecord delivery;
  AttemptRecord attempt;
  DeliveryStatus status_after = DeliveryStatus::pending;
  int64_t next_attempt_at_ns = 0;
};

}  // namespace mpay::notify::webhooks
