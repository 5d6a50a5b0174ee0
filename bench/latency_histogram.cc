#include "latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace mpay::bench {

int LatencyHistogram::bucket_of(uint64_t ns) {
  if (ns < static_cast<uint64_t>(kSubBuckets)) return static_cast<int>(ns);
  int exponent = std::bit_width(ns) - 1;  // >= kSubBucketBits
  int shift = exponent - kSubBucketBits;
  int sub = static_cast<int>(ns >> shift) - kSubBuckets;  // 0..63
  return kSubBuckets + shift * kSubBuckets + sub;
}

uint64_t LatencyHistogram::bucket_low_ns(int bucket) {
  if (bucket < kSubBuckets) return static_cast<uint64_t>(bucket);
  int shift = (bucket - kSubBuckets) / kSubBuckets;
  int sub = (bucket - kSubBuckets) % kSubBuckets;
  return static_cast<uint64_t>(kSubBuckets + sub) << shift;
}

uint64_t LatencyHistogram::bucket_width_ns(int bucket) {
  if (bucket < kSubBuckets) return 1;
  return uint64_t{1} << ((bucket - kSubBuckets) / kSubBuckets);
}

void LatencyHistogram::record(int64_t ns) {
  ns = std::max<int64_t>(ns, 0);
  ++buckets_[bucket_of(static_cast<uint64_t>(ns))];
  min_ns_ = count_ == 0 ? ns : std::min(min_ns_, ns);
  max_ns_ = std::max(max_ns_, ns);
  sum_ns_ += static_cast<long double>(ns);
  ++count_;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (int i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  min_ns_ = count_ == 0 ? other.min_ns_ : std::min(min_ns_, other.min_ns_);
  max_ns_ = std::max(max_ns_, other.max_ns_);
  sum_ns_ += other.sum_ns_;
  count_ += other.count_;
}

double LatencyHistogram::mean_ns() const {
  return count_ == 0 ? 0 : static_cast<double>(sum_ns_ / static_cast<long double>(count_));
}

int64_t LatencyHistogram::percentile_ns(double fraction) const {
  if (count_ == 0) return 0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(fraction * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen < rank) continue;
    uint64_t middle = bucket_low_ns(i) + bucket_width_ns(i) / 2;
    return std::clamp(static_cast<int64_t>(middle), min_ns_, max_ns_);
  }
  return max_ns_;
}

}  // namespace mpay::bench
