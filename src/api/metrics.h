// A small metrics registry rendered in the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// Three kinds of metric, each a named family with a fixed list of label names declared when it is
// registered:
//   - counters: a monotonically increasing integer (Counter::increment);
//   - histograms: fixed bucket upper bounds, observations counted in the first bucket that holds
//     them; rendered cumulatively as name_bucket{le="..."} (ending with le="+Inf"), name_sum and
//     name_count;
//   - callback metrics (gauge or counter, no labels): a function evaluated at every scrape, for
//     values that already live elsewhere (the ledger's statistics, queue depths).
// A family hands out one child per distinct list of label values (`with`); a child's address is
// stable for the registry's life, so hot paths look a child up once and keep the reference.
//
// Threads: everything is thread-safe. Counter::increment and Histogram::observe are lock-free
// (relaxed atomics); family lookups (`with`) and registration take a mutex; render() takes the
// registration mutex and each family's mutex in turn and calls the callbacks on the scraping thread
// (so callbacks must be thread-safe and quick). A scrape sees each atomic at some moment during the
// render: a histogram's _count always equals its +Inf bucket, its _sum may include an observation
// that its buckets do not yet (or the other way round).
//
// Failure: invalid metric or label names, a label-value list of the wrong length, a duplicate
// metric name, or bucket bounds that are not strictly increasing finite numbers are programmer
// errors and abort (MPAY_CHECK). Label values may be any bytes; render() escapes them.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mpay::api {

class Counter {
 public:
  void increment(uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Histogram {
 public:
  // `upper_bounds`: strictly increasing and finite; the +Inf bucket is implicit.
  explicit Histogram(std::span<const double> upper_bounds);

  void observe(double value);

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<uint64_t> cumulative_counts;  // one per bound, then the +Inf bucket (= count)
    double sum = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bucket, not cumulative; last = +Inf
  std::atomic<double> sum_{0};
};

template <typename Child>
class MetricFamily {
 public:
  // The child for these label values (one per declared label name, in the declared order),
  // created on first use.
  Child& with(const std::vector<std::string>& label_values);
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Calls `visitor` for every child in label-value order, holding the family's mutex.
  void visit(const std::function<void(const std::vector<std::string>& label_values,
                                      const Child& child)>& visitor) const;

 private:
  friend class MetricsRegistry;
  template <typename Factory>
  MetricFamily(std::vector<std::string> label_names, Factory factory)
      : label_names_(std::move(label_names)), factory_(std::move(factory)) {}

  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<Child>()> factory_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Child>> children_;  // rendered in this order
};

using CounterFamily = MetricFamily<Counter>;
using HistogramFamily = MetricFamily<Histogram>;

enum class CallbackKind { gauge, counter };

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  CounterFamily& counter_family(std::string name, std::string help,
                                std::vector<std::string> label_names);
  HistogramFamily& histogram_family(std::string name, std::string help,
                                    std::vector<std::string> label_names,
                                    std::vector<double> upper_bounds);
  // Unlabelled shorthands.
  Counter& counter(std::string name, std::string help);
  Histogram& histogram(std::string name, std::string help, std::vector<double> upper_bounds);
  // `read` is called at every scrape; a non-finite result renders as NaN / +Inf / -Inf.
  void callback(CallbackKind kind, std::string name, std::string help, std::function<double()> read);

  // Every metric in registration order, children sorted by label values.
  std::string render() const;

 private:
  struct Entry;
  Entry& add(std::string name, std::string help, const std::vector<std::string>& label_names,
             bool histogram);

  mutable std::mutex mutex_;
  std::deque<Entry> entries_;
};

// The Content-Type of render()'s output.
inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// Formatting helpers, exposed for tests: label values escape backslash, double quote and newline;
// HELP text escapes backslash and newline; numbers print with the fewest digits that read back
// exactly, as plain decimals from 1e-4 up to 1e21 ("0.25", "0.0001", "3", "1234567") and with an
// exponent outside that range ("1e-05", "1e+21"); non-finite ones as "NaN", "+Inf", "-Inf".
std::string escape_label_value(std::string_view value);
std::string escape_help(std::string_view help);
std::string format_metric_value(double value);

// Buckets for latencies in seconds: 100 us to 10 s.
std::vector<double> latency_buckets_seconds();
// 1, 2, 4, ... up to `max` (rounded up to a power of two).
std::vector<double> power_of_two_buckets(uint64_t max);

}  // namespace mpay::api
