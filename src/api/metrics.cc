#include "api/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <variant>

#include "core/check.h"

namespace mpay::api {
namespace {

bool is_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

bool is_label_name(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

// `{a="x",b="y"}` from names and values, plus an optional extra pair (le for buckets); "" when
// there are no labels at all.
std::string label_text(const std::vector<std::string>& names,
                       const std::vector<std::string>& values, std::string_view extra_name = {},
                       std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string text = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += ',';
    text += names[i];
    text += "=\"";
    text += escape_label_value(values[i]);
    text += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) text += ',';
    text += extra_name;
    text += "=\"";
    text += extra_value;
    text += '"';
  }
  text += '}';
  return text;
}

void render_header(std::string& out, const std::string& name, const std::string& help,
                   std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += escape_help(help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void render_sample(std::string& out, std::string_view name, std::string_view suffix,
                   const std::string& labels, std::string_view value) {
  out += name;
  out += suffix;
  out += labels;
  out += ' ';
  out += value;
  out += '\n';
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Histogram

Histogram::Histogram(std::span<const double> upper_bounds)
    : upper_bounds_(upper_bounds.begin(), upper_bounds.end()),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(upper_bounds.size() + 1)) {
  for (size_t i = 0; i < upper_bounds_.size(); ++i) {
    MPAY_CHECK(std::isfinite(upper_bounds_[i]), "histogram bounds must be finite");
    MPAY_CHECK(i == 0 || upper_bounds_[i - 1] < upper_bounds_[i],
               "histogram bounds must be strictly increasing");
  }
}

void Histogram::observe(double value) {
  // Prometheus buckets are "less than or equal": the first bound >= value.
  size_t bucket = static_cast<size_t>(
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.upper_bounds = upper_bounds_;
  snapshot.cumulative_counts.reserve(upper_bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative_counts.push_back(running);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

// ---------------------------------------------------------------------------------------------
// Families

template <typename Child>
Child& MetricFamily<Child>::with(const std::vector<std::string>& label_values) {
  MPAY_CHECK(label_values.size() == label_names_.size(), "wrong number of label values");
  std::lock_guard lock(mutex_);
  auto found = children_.find(label_values);
  if (found != children_.end()) return *found->second;
  return *children_.emplace(label_values, factory_()).first->second;
}

template <typename Child>
void MetricFamily<Child>::visit(
    const std::function<void(const std::vector<std::string>&, const Child&)>& visitor) const {
  std::lock_guard lock(mutex_);
  for (const auto& [values, child] : children_) visitor(values, *child);
}

template class MetricFamily<Counter>;
template class MetricFamily<Histogram>;

// ---------------------------------------------------------------------------------------------
// Registry

struct MetricsRegistry::Entry {
  std::string name;
  std::string help;
  std::unique_ptr<CounterFamily> counters;
  std::unique_ptr<HistogramFamily> histograms;
  CallbackKind callback_kind = CallbackKind::gauge;
  std::function<double()> read;

  void render(std::string& out) const;
};

void MetricsRegistry::Entry::render(std::string& out) const {
  if (read) {
    render_header(out, name, help, callback_kind == CallbackKind::gauge ? "gauge" : "counter");
    render_sample(out, name, "", "", format_metric_value(read()));
    return;
  }
  if (counters) {
    render_header(out, name, help, "counter");
    counters->visit([&](const std::vector<std::string>& values, const Counter& counter) {
      render_sample(out, name, "", label_text(counters->label_names(), values),
                    std::to_string(counter.value()));
    });
    return;
  }
  render_header(out, name, help, "histogram");
  const std::vector<std::string>& names = histograms->label_names();
  histograms->visit([&](const std::vector<std::string>& values, const Histogram& histogram) {
    Histogram::Snapshot snapshot = histogram.snapshot();
    for (size_t i = 0; i < snapshot.cumulative_counts.size(); ++i) {
      std::string bound = i < snapshot.upper_bounds.size()
                              ? format_metric_value(snapshot.upper_bounds[i])
                              : std::string("+Inf");
      render_sample(out, name, "_bucket", label_text(names, values, "le", bound),
                    std::to_string(snapshot.cumulative_counts[i]));
    }
    std::string labels = label_text(names, values);
    render_sample(out, name, "_sum", labels, format_metric_value(snapshot.sum));
    render_sample(out, name, "_count", labels, std::to_string(snapshot.cumulative_counts.back()));
  });
}

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Entry& MetricsRegistry::add(std::string name, std::string help,
                                             const std::vector<std::string>& label_names,
                                             bool histogram) {
  MPAY_CHECK(is_metric_name(name), "invalid metric name");
  for (const std::string& label : label_names) {
    MPAY_CHECK(is_label_name(label), "invalid label name");
    MPAY_CHECK(!(histogram && label == "le"), "a histogram may not have a label named le");
    MPAY_CHECK(std::count(label_names.begin(), label_names.end(), label) == 1,
               "duplicate label name");
  }
  // A histogram's series are name_bucket, name_sum and name_count: those names are taken too.
  auto taken = [&](const std::string& candidate) {
    for (const Entry& entry : entries_) {
      if (entry.name == candidate) return true;
      if (entry.histograms) {
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
          if (entry.name + suffix == candidate) return true;
        }
      }
    }
    return false;
  };
  MPAY_CHECK(!taken(name), "duplicate metric name");
  if (histogram) {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      MPAY_CHECK(!taken(name + suffix), "duplicate metric name");
    }
  }
  Entry& entry = entries_.emplace_back();
  entry.name = std::move(name);
  entry.help = std::move(help);
  return entry;
}

CounterFamily& MetricsRegistry::counter_family(std::string name, std::string help,
                                               std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  Entry& entry = add(std::move(name), std::move(help), label_names, false);
  entry.counters.reset(new CounterFamily(std::move(label_names),
                                         [] { return std::make_unique<Counter>(); }));
  return *entry.counters;
}

HistogramFamily& MetricsRegistry::histogram_family(std::string name, std::string help,
                                                   std::vector<std::string> label_names,
                                                   std::vector<double> upper_bounds) {
  Histogram check(upper_bounds);  // validates the bounds now rather than at the first `with`
  std::lock_guard lock(mutex_);
  Entry& entry = add(std::move(name), std::move(help), label_names, true);
  entry.histograms.reset(new HistogramFamily(
      std::move(label_names),
      [bounds = std::move(upper_bounds)] { return std::make_unique<Histogram>(bounds); }));
  return *entry.histograms;
}

Counter& MetricsRegistry::counter(std::string name, std::string help) {
  return counter_family(std::move(name), std::move(help), {}).with({});
}

Histogram& MetricsRegistry::histogram(std::string name, std::string help,
                                      std::vector<double> upper_bounds) {
  return histogram_family(std::move(name), std::move(help), {}, std::move(upper_bounds)).with({});
}

void MetricsRegistry::callback(CallbackKind kind, std::string name, std::string help,
                               std::function<double()> read) {
  MPAY_CHECK(static_cast<bool>(read), "metric callback is empty");
  std::lock_guard lock(mutex_);
  Entry& entry = add(std::move(name), std::move(help), {}, false);
  entry.callback_kind = kind;
  entry.read = std::move(read);
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const Entry& entry : entries_) entry.render(out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Formatting

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_metric_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Plain decimals where people expect them (bucket bounds such as le="0.0001", large counts),
  // exponents only for the very small and the very large, as JavaScript prints numbers; either
  // way the shortest digits that read back exactly.
  double magnitude = std::fabs(value);
  std::chars_format format = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e21)
                                 ? std::chars_format::fixed
                                 : std::chars_format::scientific;
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value, format);
  MPAY_CHECK(error == std::errc(), "formatting a double cannot overflow 64 characters");
  return std::string(buffer, end);
}

std::vector<double> latency_buckets_seconds() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
          0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5,  5, 10};
}

std::vector<double> power_of_two_buckets(uint64_t max) {
  std::vector<double> bounds;
  uint64_t bound = 1;
  while (true) {
    bounds.push_back(static_cast<double>(bound));
    if (bound >= max) break;
    bound *= 2;
  }
  return bounds;
}

}  // namespace mpay::api
