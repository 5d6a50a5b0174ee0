// Request metrics for the HTTP server: an observer for HttpServer::set_observer that counts
// requests by route, method and status and records their latency.
//
//   mpay_http_requests_total{route,method,status}             counter
//   mpay_http_request_duration_seconds{route,method}          histogram (latency_buckets_seconds)
//
// `route` is the route's pattern ("/v1/ledger/accounts/{id}"), never the raw path, so the number
// of series stays bounded; requests that matched no route (404, 405, unparsable) are counted as
// route="unmatched", method="unknown". Durations run from the first byte of the request to the
// response being handed to the socket.
//
// Threads: construct after the router is complete and before the server starts; the observer may
// then be called from any thread. On the hot path it does no lookup under a lock except the first
// time a (route, status) pair is seen. The registry and the router must outlive this object, and
// this object must outlive the server it observes.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <unordered_map>

#include "api/http_server.h"
#include "api/metrics.h"
#include "api/router.h"

namespace mpay::api {

class HttpMetrics {
 public:
  HttpMetrics(MetricsRegistry& registry, const Router& router);
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  void observe(const Route* route, unsigned status, int64_t duration_us);
  // A RequestObserver that calls observe(); keeps a reference to this object.
  RequestObserver observer();

 private:
  static constexpr unsigned kStatusMin = 100;
  static constexpr unsigned kStatusMax = 599;

  struct RouteCells {
    std::string pattern;
    std::string method;
    Histogram* duration = nullptr;
    // Counters by status, filled on first use.
    std::array<std::atomic<Counter*>, kStatusMax - kStatusMin + 1> requests{};
  };

  RouteCells& cells_for(const Route* route);

  CounterFamily& requests_;
  HistogramFamily& durations_;
  std::unordered_map<const Route*, std::unique_ptr<RouteCells>> routes_;  // fixed after construction
  std::unique_ptr<RouteCells> unmatched_;
};

}  // namespace mpay::api
