// A log-linear latency histogram: exact below 64 ns, then 64 buckets per power of two (every
// bucket within 1.6% of its values), from 1 ns to 2^63 ns in a fixed 29 KiB array. Recording is
// one index computation and an increment, so a load generator can record every request without
// keeping the samples. Not thread-safe: give each thread its own and merge() them afterwards.
#pragma once

#include <array>
#include <cstdint>

namespace mpay::bench {

class LatencyHistogram {
 public:
  // Negative values are recorded as 0.
  void record(int64_t ns);
  void merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  int64_t min_ns() const { return count_ == 0 ? 0 : min_ns_; }
  int64_t max_ns() const { return max_ns_; }
  double mean_ns() const;
  // The value at `fraction` (0.5 = median) of the recorded ones: the midpoint of its bucket,
  // clamped to [min, max]. 0 when nothing was recorded.
  int64_t percentile_ns(double fraction) const;

 private:
  static constexpr int kSubBucketBits = 6;
  static constexpr int kSubBuckets = 1 << kSubBucketBits;  // 64
  static constexpr int kBuckets = kSubBuckets + (63 - kSubBucketBits) * kSubBuckets;

  static int bucket_of(uint64_t ns);
  static uint64_t bucket_low_ns(int bucket);
  static uint64_t bucket_width_ns(int bucket);

  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  int64_t min_ns_ = 0;
  int64_t max_ns_ = 0;
  long double sum_ns_ = 0;
};

}  // namespace mpay::bench
