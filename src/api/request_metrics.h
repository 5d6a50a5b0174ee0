// Payment-request numbers on /metrics, read from the request book at scrape time: how many
// requests and refunds mpayd holds in memory (the book keeps every request, about half a kilobyte
// each: docs/payment-requests.md), and how many are still open. The book must outlive the
// registry.
#pragma once

#include "api/metrics.h"
#include "payments/requests/request_book.h"

namespace mpay::api {

void add_payment_request_metrics(MetricsRegistry& metrics, const requests::RequestBook& book);

}  // namespace mpay::api
