#include "api/http_metrics.h"

#include <boost/beast/http/verb.hpp>

namespace mpay::api {

HttpMetrics::HttpMetrics(MetricsRegistry& registry, const Router& router)
    : requests_(registry.counter_family("mpay_http_requests_total",
                                        "HTTP requests answered, by route pattern, method and status.",
                                        {"route", "method", "status"})),
      durations_(registry.histogram_family(
          "mpay_http_request_duration_seconds",
          "Time from the first byte of a request to its response being written, by route pattern "
          "and method.",
          {"route", "method"}, latency_buckets_seconds())) {
  for (const Route& route : router.routes()) {
    auto cells = std::make_unique<RouteCells>();
    cells->pattern = route.pattern;
    cells->method = std::string(boost::beast::http::to_string(route.method));
    cells->duration = &durations_.with({cells->pattern, cells->method});
    routes_.emplace(&route, std::move(cells));
  }
  unmatched_ = std::make_unique<RouteCells>();
  unmatched_->pattern = "unmatched";
  unmatched_->method = "unknown";
  unmatched_->duration = &durations_.with({unmatched_->pattern, unmatched_->method});
}

HttpMetrics::RouteCells& HttpMetrics::cells_for(const Route* route) {
  if (route == nullptr) return *unmatched_;
  auto found = routes_.find(route);
  return found == routes_.end() ? *unmatched_ : *found->second;
}

void HttpMetrics::observe(const Route* route, unsigned status, int64_t duration_us) {
  RouteCells& cells = cells_for(route);
  cells.duration->observe(static_cast<double>(duration_us) / 1e6);
  if (status < kStatusMin || status > kStatusMax) return;  // the server never answers these
  std::atomic<Counter*>& slot = cells.requests[status - kStatusMin];
  Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    // Two threads may race here; `with` returns the same child to both.
    counter = &requests_.with({cells.pattern, cells.method, std::to_string(status)});
    slot.store(counter, std::memory_order_release);
  }
  counter->increment();
}

RequestObserver HttpMetrics::observer() {
  return [this](const Route* route, unsigned status, int64_t duration_us) {
    observe(route, status, duration_us);
  };
}

}  // namespace mpay::api
