// The metrics registry's Prometheus text rendering: HELP/TYPE lines, counters by label, cumulative
// histogram buckets with le="+Inf", _sum and _count, label and HELP escaping, number formatting,
// and HttpMetrics counting by route pattern rather than raw path.
#include "api/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "api/http_metrics.h"
#include "api/router.h"

namespace mpay::api {
namespace {

bool contains_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(Metrics, EmptyRegistryRendersNothing) {
  MetricsRegistry registry;
  EXPECT_EQ(registry.render(), "");
}

TEST(Metrics, CounterFamilyRendersHelpTypeAndOneSamplePerLabelSetInLabelOrder) {
  MetricsRegistry registry;
  CounterFamily& requests =
      registry.counter_family("mpay_requests_total", "Requests answered.", {"route", "status"});
  requests.with({"/b", "200"}).increment();
  requests.with({"/a", "404"}).increment(3);
  requests.with({"/a", "200"}).increment();
  requests.with({"/a", "200"}).increment();
  EXPECT_EQ(registry.render(),
            "# HELP mpay_requests_total Requests answered.\n"
            "# TYPE mpay_requests_total counter\n"
            "mpay_requests_total{route=\"/a\",status=\"200\"} 2\n"
            "mpay_requests_total{route=\"/a\",status=\"404\"} 3\n"
            "mpay_requests_total{route=\"/b\",status=\"200\"} 1\n");
}

TEST(Metrics, UnlabelledCounterHasNoBraces) {
  MetricsRegistry registry;
  registry.counter("mpay_things_total", "Things.").increment(7);
  EXPECT_TRUE(contains_line(registry.render(), "mpay_things_total 7"));
}

TEST(Metrics, HistogramBucketsAreCumulativeAndEndWithInf) {
  MetricsRegistry registry;
  Histogram& latency = registry.histogram("mpay_latency_seconds", "Latency.", {0.125, 0.5, 1});
  // Binary fractions, so that the sum is exact.
  latency.observe(0.0625);
  latency.observe(0.125);  // "le" is inclusive: counts in the 0.125 bucket
  latency.observe(0.25);
  latency.observe(2);
  EXPECT_EQ(registry.render(),
            "# HELP mpay_latency_seconds Latency.\n"
            "# TYPE mpay_latency_seconds histogram\n"
            "mpay_latency_seconds_bucket{le=\"0.125\"} 2\n"
            "mpay_latency_seconds_bucket{le=\"0.5\"} 3\n"
            "mpay_latency_seconds_bucket{le=\"1\"} 3\n"
            "mpay_latency_seconds_bucket{le=\"+Inf\"} 4\n"
            "mpay_latency_seconds_sum 2.4375\n"
            "mpay_latency_seconds_count 4\n");
}

TEST(Metrics, LabelledHistogramPutsLeLast) {
  MetricsRegistry registry;
  HistogramFamily& family =
      registry.histogram_family("mpay_batch_events", "Events.", {"kind"}, {1, 2});
  family.with({"transfer"}).observe(2);
  std::string text = registry.render();
  EXPECT_TRUE(contains_line(text, "mpay_batch_events_bucket{kind=\"transfer\",le=\"1\"} 0")) << text;
  EXPECT_TRUE(contains_line(text, "mpay_batch_events_bucket{kind=\"transfer\",le=\"2\"} 1")) << text;
  EXPECT_TRUE(contains_line(text, "mpay_batch_events_bucket{kind=\"transfer\",le=\"+Inf\"} 1"))
      << text;
  EXPECT_TRUE(contains_line(text, "mpay_batch_events_sum{kind=\"transfer\"} 2")) << text;
  EXPECT_TRUE(contains_line(text, "mpay_batch_events_count{kind=\"transfer\"} 1")) << text;
}

TEST(Metrics, HistogramSnapshotCountsEqualInfBucket) {
  Histogram histogram(std::vector<double>{1, 10});
  for (int i = 0; i < 100; ++i) histogram.observe(i);
  Histogram::Snapshot snapshot = histogram.snapshot();
  ASSERT_EQ(snapshot.cumulative_counts.size(), 3u);
  EXPECT_EQ(snapshot.cumulative_counts[0], 2u);   // 0, 1
  EXPECT_EQ(snapshot.cumulative_counts[1], 11u);  // 0..10
  EXPECT_EQ(snapshot.cumulative_counts[2], 100u);
  EXPECT_EQ(snapshot.sum, 4950);
}

TEST(Metrics, LabelValuesEscapeBackslashQuoteAndNewline) {
  EXPECT_EQ(escape_label_value("plain /v1/x"), "plain /v1/x");
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  MetricsRegistry registry;
  registry.counter_family("mpay_odd_total", "Odd labels.", {"value"})
      .with({"say \"hi\"\\\n"})
      .increment();
  EXPECT_TRUE(contains_line(registry.render(), "mpay_odd_total{value=\"say \\\"hi\\\"\\\\\\n\"} 1"))
      << registry.render();
}

TEST(Metrics, HelpEscapesBackslashAndNewlineButNotQuotes) {
  EXPECT_EQ(escape_help("a \"b\"\\\nc"), "a \"b\"\\\\\\nc");
  MetricsRegistry registry;
  registry.counter("mpay_x_total", "two\nlines");
  EXPECT_TRUE(contains_line(registry.render(), "# HELP mpay_x_total two\\nlines"));
}

TEST(Metrics, NumbersUseShortestExactFormAndPrometheusSpecials) {
  EXPECT_EQ(format_metric_value(3), "3");
  EXPECT_EQ(format_metric_value(0.25), "0.25");
  EXPECT_EQ(format_metric_value(0.0001), "0.0001");
  EXPECT_EQ(format_metric_value(0.00025), "0.00025");
  EXPECT_EQ(format_metric_value(0), "0");
  EXPECT_EQ(format_metric_value(-2.5), "-2.5");
  EXPECT_EQ(format_metric_value(1234567), "1234567");
  EXPECT_EQ(format_metric_value(18446744073709551616.0), "18446744073709551616");
  EXPECT_EQ(format_metric_value(0.00001), "1e-05");
  EXPECT_EQ(format_metric_value(1e21), "1e+21");
  EXPECT_EQ(format_metric_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_metric_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_metric_value(std::nan("")), "NaN");
}

TEST(Metrics, CallbackMetricsAreReadAtEveryScrape) {
  MetricsRegistry registry;
  double depth = 4;
  registry.callback(CallbackKind::gauge, "mpay_queue_depth", "Queued.", [&depth] { return depth; });
  registry.callback(CallbackKind::counter, "mpay_done_total", "Done.", [] { return 9.0; });
  std::string first = registry.render();
  EXPECT_TRUE(contains_line(first, "# TYPE mpay_queue_depth gauge"));
  EXPECT_TRUE(contains_line(first, "mpay_queue_depth 4"));
  EXPECT_TRUE(contains_line(first, "# TYPE mpay_done_total counter"));
  EXPECT_TRUE(contains_line(first, "mpay_done_total 9"));
  depth = 0.5;
  EXPECT_TRUE(contains_line(registry.render(), "mpay_queue_depth 0.5"));
}

TEST(Metrics, MetricsRenderInRegistrationOrder) {
  MetricsRegistry registry;
  registry.counter("mpay_z_total", "Z.");
  registry.counter("mpay_a_total", "A.");
  std::string text = registry.render();
  EXPECT_LT(text.find("mpay_z_total"), text.find("mpay_a_total"));
}

TEST(Metrics, BucketHelpers) {
  EXPECT_EQ(power_of_two_buckets(1), (std::vector<double>{1}));
  EXPECT_EQ(power_of_two_buckets(5), (std::vector<double>{1, 2, 4, 8}));
  EXPECT_EQ(power_of_two_buckets(8), (std::vector<double>{1, 2, 4, 8}));
  std::vector<double> latency = latency_buckets_seconds();
  ASSERT_FALSE(latency.empty());
  EXPECT_TRUE(std::is_sorted(latency.begin(), latency.end()));
  EXPECT_EQ(latency.front(), 0.0001);
  EXPECT_EQ(latency.back(), 10);
}

TEST(MetricsDeathTest, InvalidNamesAndDuplicatesAreProgrammerErrors) {
  EXPECT_DEATH(
      {
        MetricsRegistry registry;
        registry.counter("1bad", "x");
      },
      "");
  EXPECT_DEATH(
      {
        MetricsRegistry registry;
        registry.counter_family("mpay_ok_total", "x", {"__reserved"});
      },
      "");
  EXPECT_DEATH(
      {
        MetricsRegistry registry;
        registry.histogram("mpay_h", "x", {1});
        registry.counter("mpay_h_count", "x");  // taken by the histogram's _count series
      },
      "");
  EXPECT_DEATH(
      {
        MetricsRegistry registry;
        registry.histogram("mpay_h", "x", {2, 1});
      },
      "");
  EXPECT_DEATH(
      {
        MetricsRegistry registry;
        registry.counter_family("mpay_l_total", "x", {"a", "b"}).with({"only one"});
      },
      "");
}

TEST(HttpMetrics, CountsByRoutePatternMethodAndStatusAndUnmatchedSeparately) {
  Router router;
  router.add({boost::beast::http::verb::get, "/v1/things/{id}", "", 0,
              [](HttpRequest&, Responder respond) { respond(HttpResponse{}); }});
  MetricsRegistry registry;
  HttpMetrics metrics(registry, router);
  const Route* route = &router.routes().front();
  metrics.observe(route, 200, 1500);
  metrics.observe(route, 200, 2500);
  metrics.observe(route, 404, 100);
  metrics.observer()(nullptr, 405, 10);
  std::string text = registry.render();
  EXPECT_TRUE(contains_line(
      text, "mpay_http_requests_total{route=\"/v1/things/{id}\",method=\"GET\",status=\"200\"} 2"))
      << text;
  EXPECT_TRUE(contains_line(
      text, "mpay_http_requests_total{route=\"/v1/things/{id}\",method=\"GET\",status=\"404\"} 1"))
      << text;
  EXPECT_TRUE(contains_line(
      text, "mpay_http_requests_total{route=\"unmatched\",method=\"unknown\",status=\"405\"} 1"))
      << text;
  EXPECT_TRUE(contains_line(text,
                            "mpay_http_request_duration_seconds_count{route=\"/v1/things/{id}\","
                            "method=\"GET\"} 3"))
      << text;
  EXPECT_TRUE(contains_line(text,
                            "mpay_http_request_duration_seconds_bucket{route=\"/v1/things/{id}\","
                            "method=\"GET\",le=\"0.0001\"} 1"))
      << text;
  EXPECT_TRUE(contains_line(text,
                            "mpay_http_request_duration_seconds_bucket{route=\"/v1/things/{id}\","
                            "method=\"GET\",le=\"0.001\"} 1"))
      << text;
  EXPECT_TRUE(contains_line(text,
                            "mpay_http_request_duration_seconds_bucket{route=\"/v1/things/{id}\","
                            "method=\"GET\",le=\"0.0025\"} 3"))
      << text;
}

}  // namespace
}  // namespace mpay::api
