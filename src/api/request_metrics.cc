#include "api/request_metrics.h"

namespace mpay::api {

void add_payment_request_metrics(MetricsRegistry& metrics, const requests::RequestBook& book) {
  metrics.callback(CallbackKind::gauge, "mpay_payment_requests_in_memory",
                   "Payment requests held in memory (the rest are archived in mpay.db)",
                   [&book] { return static_cast<double>(book.size()); });
  metrics.callback(CallbackKind::gauge, "mpay_payment_requests_open",
                   "Payment requests awaiting confirmation or authorized",
                   [&book] { return static_cast<double>(book.open_count()); });
  metrics.callback(CallbackKind::gauge, "mpay_payment_refunds_in_memory", "Refunds held in memory",
                   [&book] { return static_cast<double>(book.refund_count()); });
  metrics.callback(CallbackKind::counter, "mpay_payment_requests_archived_total",
                   "Payment requests moved from memory to the archive since mpayd started",
                   [&book] { return static_cast<double>(book.archived_total()); });
}

}  // namespace mpay::api
