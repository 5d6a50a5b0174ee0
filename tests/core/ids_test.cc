#include "core/ids.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <concepts>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "core/clock.h"
#include "core/random.h"

namespace mpay {
namespace {

// Strong ids: an AccountId cannot be used where a TransferId is expected, in either direction, and
// neither converts silently to or from a raw Id128.
static_assert(!std::is_convertible_v<AccountId, TransferId>);
static_assert(!std::is_convertible_v<TransferId, AccountId>);
static_assert(!std::is_assignable_v<TransferId&, AccountId>);
static_assert(!std::is_assignable_v<AccountId&, TransferId>);
static_assert(!std::is_constructible_v<TransferId, AccountId>);
static_assert(!std::is_constructible_v<AccountId, TransferId>);
static_assert(!std::equality_comparable_with<AccountId, TransferId>);
static_assert(!std::is_convertible_v<Id128, AccountId>, "construction from Id128 must be explicit");
static_assert(!std::is_convertible_v<AccountId, Id128>);
static_assert(std::is_constructible_v<AccountId, Id128>);
static_assert(std::is_trivially_copyable_v<AccountId>);

// Unix time 2024-01-01T00:00:00Z in milliseconds, plus a little.
constexpr int64_t kStartMs = 1'704'067'200'123;
constexpr int64_t kNsPerMs = 1'000'000;

uint64_t timestamp_ms(const Id128& id) {
  return id.high >> 16;
}
uint64_t version(const Id128& id) {
  return (id.high >> 12) & 0xF;
}
uint64_t variant_bits(const Id128& id) {
  return id.low >> 62;
}

void expect_uuid_v7(const Id128& id) {
  EXPECT_EQ(version(id), 7u) << to_uuid_text(id);
  EXPECT_EQ(variant_bits(id), 0b10u) << to_uuid_text(id);  // RFC 9562 variant 10xx
  std::string text = to_uuid_text(id);
  EXPECT_EQ(text[14], '7') << text;
  EXPECT_NE(std::string("89ab").find(text[19]), std::string::npos) << text;
}

TEST(UuidText, FormatsTheContractExample) {
  Id128 id{0x0190f4c27a3e7c41ULL, 0x9b2d5e1f00000001ULL};
  EXPECT_EQ(to_uuid_text(id), "0190f4c2-7a3e-7c41-9b2d-5e1f00000001");
}

TEST(UuidText, HighWordIsTheFirstEightBytesBigEndian) {
  EXPECT_EQ(to_uuid_text(Id128{0x0123456789abcdefULL, 0xfedcba9876543210ULL}),
            "01234567-89ab-cdef-fedc-ba9876543210");
  EXPECT_EQ(to_uuid_text(Id128{1, 0}), "00000000-0000-0001-0000-000000000000");
  EXPECT_EQ(to_uuid_text(Id128{0, 1}), "00000000-0000-0000-0000-000000000001");
  EXPECT_EQ(to_uuid_text(Id128{0x8000000000000000ULL, 0}), "80000000-0000-0000-0000-000000000000");
  EXPECT_EQ(to_uuid_text(Id128{}), "00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(to_uuid_text(Id128{~0ULL, ~0ULL}), "ffffffff-ffff-ffff-ffff-ffffffffffff");
}

TEST(UuidText, ParsesCanonicalText) {
  std::optional<Id128> id = parse_uuid_text("0190f4c2-7a3e-7c41-9b2d-5e1f00000001");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->high, 0x0190f4c27a3e7c41ULL);
  EXPECT_EQ(id->low, 0x9b2d5e1f00000001ULL);
  EXPECT_EQ(parse_uuid_text("00000000-0000-0000-0000-000000000000"), Id128{});
  EXPECT_EQ(parse_uuid_text("ffffffff-ffff-ffff-ffff-ffffffffffff"), (Id128{~0ULL, ~0ULL}));
}

TEST(UuidText, AcceptsUpperAndMixedCaseAndWritesLowerCase) {
  std::optional<Id128> upper = parse_uuid_text("0190F4C2-7A3E-7C41-9B2D-5E1F0000ABCD");
  std::optional<Id128> mixed = parse_uuid_text("0190f4C2-7a3E-7c41-9B2d-5e1F0000aBcD");
  ASSERT_TRUE(upper.has_value());
  ASSERT_TRUE(mixed.has_value());
  EXPECT_EQ(*upper, *mixed);
  EXPECT_EQ(to_uuid_text(*upper), "0190f4c2-7a3e-7c41-9b2d-5e1f0000abcd");
}

TEST(UuidText, RoundTripsRandomIds) {
  SeededRandom random(7);
  for (int i = 0; i < 2000; ++i) {
    Id128 id;
    random.fill(&id.high, sizeof(id.high));
    random.fill(&id.low, sizeof(id.low));
    std::string text = to_uuid_text(id);
    ASSERT_EQ(text.size(), 36u);
    for (char c : text) {
      EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << text;
    }
    std::optional<Id128> parsed = parse_uuid_text(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, id) << text;
  }
}

TEST(UuidText, RejectsWrongLength) {
  const std::string good = "0190f4c2-7a3e-7c41-9b2d-5e1f00000001";
  EXPECT_FALSE(parse_uuid_text(""));
  EXPECT_FALSE(parse_uuid_text(good.substr(0, 35)));
  EXPECT_FALSE(parse_uuid_text(good + "0"));
  EXPECT_FALSE(parse_uuid_text(good + "\n"));
  EXPECT_FALSE(parse_uuid_text(" " + good));
  EXPECT_FALSE(parse_uuid_text("{" + good + "}"));
  EXPECT_FALSE(parse_uuid_text("urn:uuid:" + good));
  EXPECT_FALSE(parse_uuid_text("0190f4c27a3e7c419b2d5e1f00000001"));  // no dashes
}

TEST(UuidText, RejectsMisplacedDashes) {
  const std::string good = "0190f4c2-7a3e-7c41-9b2d-5e1f00000001";
  // Same length, dash moved one place left or right.
  EXPECT_FALSE(parse_uuid_text("0190f4c-27a3e-7c41-9b2d-5e1f00000001"));
  EXPECT_FALSE(parse_uuid_text("0190f4c27-a3e-7c41-9b2d-5e1f00000001"));
  EXPECT_FALSE(parse_uuid_text("0190f4c2-7a3e7-c41-9b2d-5e1f00000001"));
  EXPECT_FALSE(parse_uuid_text("0190f4c2-7a3e-7c41-9b2d5-e1f00000001"));
  // Each dash replaced by a hex digit or another separator.
  for (size_t position : {8u, 13u, 18u, 23u}) {
    for (char replacement : {'0', 'a', '_', ':', ' '}) {
      std::string text = good;
      text[position] = replacement;
      EXPECT_FALSE(parse_uuid_text(text)) << text;
    }
  }
  // A dash where a hex digit belongs.
  for (size_t position = 0; position < good.size(); ++position) {
    if (good[position] == '-') continue;
    std::string text = good;
    text[position] = '-';
    EXPECT_FALSE(parse_uuid_text(text)) << text;
  }
}

TEST(UuidText, RejectsNonHexDigitsAtEveryPosition) {
  const std::string good = "0190f4c2-7a3e-7c41-9b2d-5e1f00000001";
  for (size_t position = 0; position < good.size(); ++position) {
    if (good[position] == '-') continue;
    for (char bad : {'g', 'G', 'z', 'x', ' ', '+', '\0', '/', ':', '@', '`', '{'}) {
      std::string text = good;
      text[position] = bad;
      EXPECT_FALSE(parse_uuid_text(text)) << "position " << position << " char " << int(bad);
    }
  }
  // Multi-byte UTF-8 (a full-width digit) in place of three characters keeps the length at 36.
  std::string text = good;
  text.replace(0, 3, "\xEF\xBC\x90");
  ASSERT_EQ(text.size(), 36u);
  EXPECT_FALSE(parse_uuid_text(text));
}

TEST(Id128, OrderMatchesUuidTextOrder) {
  // Time-ordered ids only help indexes if numeric order and text order agree.
  SeededRandom random(11);
  for (int i = 0; i < 2000; ++i) {
    Id128 a, b;
    random.fill(&a.high, sizeof(a.high));
    random.fill(&a.low, sizeof(a.low));
    b = a;
    // Half the time share the high word so that the low word decides.
    if (i % 2 == 0) {
      random.fill(&b.high, sizeof(b.high));
    }
    random.fill(&b.low, sizeof(b.low));
    EXPECT_EQ(a < b, to_uuid_text(a) < to_uuid_text(b));
    EXPECT_EQ(a == b, to_uuid_text(a) == to_uuid_text(b));
  }
  EXPECT_LT((Id128{0, ~0ULL}), (Id128{1, 0})) << "the high word is the most significant";
}

TEST(StrongId, WrapsAnId128) {
  AccountId none;
  EXPECT_TRUE(none.is_zero());
  EXPECT_EQ(none.to_string(), "00000000-0000-0000-0000-000000000000");

  Id128 raw{0x0190f4c27a3e7c41ULL, 0x9b2d5e1f00000001ULL};
  AccountId account(raw);
  EXPECT_FALSE(account.is_zero());
  EXPECT_EQ(account.value(), raw);
  EXPECT_EQ(account.to_string(), "0190f4c2-7a3e-7c41-9b2d-5e1f00000001");
  EXPECT_EQ(account, AccountId(raw));
  EXPECT_LT(AccountId(Id128{0, 1}), AccountId(Id128{0, 2}));
  EXPECT_NE(AccountId(Id128{0, 1}), AccountId(Id128{1, 1}));
}

TEST(Id128Hash, EqualIdsHashEqualAndStrongIdsHashLikeTheirValue) {
  Id128 raw{42, 43};
  EXPECT_EQ(std::hash<Id128>{}(raw), std::hash<Id128>{}(Id128{42, 43}));
  EXPECT_EQ(Id128Hash{}(TransferId(raw)), Id128Hash{}(raw));
  std::unordered_set<AccountId, Id128Hash> accounts;
  accounts.insert(AccountId(raw));
  accounts.insert(AccountId(raw));
  accounts.insert(AccountId(Id128{43, 42}));
  EXPECT_EQ(accounts.size(), 2u);
}

// Counts distinct values of the hash's low 12 bits over 4096 ids. A good mix puts 4096 keys into
// about 4096 * (1 - 1/e) ~ 2589 of 4096 buckets; a hash that passes the sequential part through
// unmixed gives far fewer (or exactly 4096), so allow a generous window around 2589.
template <typename MakeId>
size_t distinct_low_buckets(MakeId make_id) {
  std::set<size_t> buckets;
  for (uint64_t i = 0; i < 4096; ++i) buckets.insert(Id128Hash{}(make_id(i)) & 0xFFF);
  return buckets.size();
}

TEST(Id128Hash, SpreadsSequentialIdsAcrossLowBits) {
  auto in_low = [](uint64_t i) { return Id128{0, i << 12}; };  // sequential, low bits all zero
  auto in_high = [](uint64_t i) { return Id128{i << 16, 0x8000000000000000ULL}; };  // v7 counter
  auto in_top = [](uint64_t i) { return Id128{i << 52, 0}; };
  for (size_t count : {distinct_low_buckets(in_low), distinct_low_buckets(in_high),
                       distinct_low_buckets(in_top)}) {
    EXPECT_GT(count, 2400u);
    EXPECT_LT(count, 2800u);
  }
}

TEST(UuidV7Generator, SetsVersionVariantAndTimestamp) {
  ManualClock clock(kStartMs * kNsPerMs + 999'999);  // the sub-millisecond part is dropped
  SeededRandom random(1);
  UuidV7Generator generator(clock, random);
  Id128 id = generator.next();
  expect_uuid_v7(id);
  EXPECT_EQ(timestamp_ms(id), static_cast<uint64_t>(kStartMs));
  EXPECT_FALSE(id.is_zero());
  // The timestamp is the first 12 hex digits of the text.
  char expected_prefix[16];
  std::snprintf(expected_prefix, sizeof(expected_prefix), "%08llx-%04llx",
                static_cast<unsigned long long>(kStartMs >> 16),
                static_cast<unsigned long long>(kStartMs & 0xFFFF));
  EXPECT_EQ(to_uuid_text(id).substr(0, 13), expected_prefix);
}

TEST(UuidV7Generator, StrictlyIncreasingWithinOneMillisecond) {
  ManualClock clock(kStartMs * kNsPerMs);
  SeededRandom random(2);
  UuidV7Generator generator(clock, random);
  Id128 previous = generator.next();
  expect_uuid_v7(previous);
  std::set<uint64_t> random_parts;
  for (int i = 1; i < 10'000; ++i) {
    Id128 id = generator.next();
    ASSERT_LT(previous, id) << "id " << i << ": " << to_uuid_text(previous) << " then "
                            << to_uuid_text(id);
    ASSERT_EQ(version(id), 7u) << to_uuid_text(id);
    ASSERT_EQ(variant_bits(id), 0b10u) << to_uuid_text(id);
    // The clock never moved: timestamps never fall behind it and only run a few ms ahead (4096
    // ids per borrowed millisecond).
    ASSERT_GE(timestamp_ms(id), static_cast<uint64_t>(kStartMs));
    ASSERT_LE(timestamp_ms(id), static_cast<uint64_t>(kStartMs) + 4);
    random_parts.insert(id.low);
    previous = id;
  }
  EXPECT_GT(random_parts.size(), 9990u) << "the low 62 bits must come from the random source";
}

TEST(UuidV7Generator, IncreasingAcrossMilliseconds) {
  ManualClock clock(kStartMs * kNsPerMs);
  SeededRandom random(3);
  UuidV7Generator generator(clock, random);
  Id128 previous = generator.next();
  for (int i = 0; i < 1000; ++i) {
    clock.advance_ns((i % 7 + 1) * kNsPerMs);
    uint64_t now_ms = static_cast<uint64_t>(clock.now_ns() / kNsPerMs);
    Id128 id = generator.next();
    expect_uuid_v7(id);
    EXPECT_LT(previous, id);
    EXPECT_EQ(timestamp_ms(id), now_ms) << "a fresh millisecond uses the clock's time";
    previous = id;
  }
}

TEST(UuidV7Generator, CounterExhaustionStaysStrictlyIncreasing) {
  // The 12-bit counter holds 4096 values; three times that in one millisecond must borrow
  // milliseconds rather than wrap the counter into the version nibble or repeat an id.
  ManualClock clock(kStartMs * kNsPerMs);
  SeededRandom random(4);
  UuidV7Generator generator(clock, random);
  std::vector<Id128> ids;
  for (int i = 0; i < 3 * 4096 + 5; ++i) ids.push_back(generator.next());
  for (size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(version(ids[i]), 7u) << i << ": " << to_uuid_text(ids[i]);
    ASSERT_EQ(variant_bits(ids[i]), 0b10u);
    if (i > 0) {
      ASSERT_LT(ids[i - 1], ids[i]) << i;
    }
  }
  EXPECT_GT(timestamp_ms(ids.back()), static_cast<uint64_t>(kStartMs))
      << "more than 4096 ids in one millisecond must have moved past it";

  // When the clock catches up with (but not past) the borrowed time, order still holds.
  clock.advance_ns(kNsPerMs);
  Id128 next = generator.next();
  EXPECT_LT(ids.back(), next);
  clock.set_ns(static_cast<int64_t>(timestamp_ms(ids.back()) + 1) * kNsPerMs);
  Id128 after = generator.next();
  EXPECT_LT(next, after);
  expect_uuid_v7(after);
}

TEST(UuidV7Generator, DoesNotGoBackwardsWhenTheClockDoes) {
  ManualClock clock(kStartMs * kNsPerMs);
  SeededRandom random(5);
  UuidV7Generator generator(clock, random);
  Id128 before = generator.next();
  clock.set_ns((kStartMs - 5000) * kNsPerMs);  // wall clock stepped back five seconds
  Id128 after = generator.next();
  EXPECT_LT(before, after);
  expect_uuid_v7(after);
}

TEST(UuidV7Generator, SameSeedAndClockReproduceTheSameIds) {
  ManualClock clock_a(kStartMs * kNsPerMs), clock_b(kStartMs * kNsPerMs);
  SeededRandom random_a(99), random_b(99), random_c(100);
  ManualClock clock_c(kStartMs * kNsPerMs);
  UuidV7Generator a(clock_a, random_a), b(clock_b, random_b), c(clock_c, random_c);
  bool any_difference_from_other_seed = false;
  for (int i = 0; i < 100; ++i) {
    Id128 id_a = a.next(), id_b = b.next(), id_c = c.next();
    EXPECT_EQ(id_a, id_b);
    any_difference_from_other_seed |= id_a != id_c;
    clock_a.advance_ns(kNsPerMs / 3);
    clock_b.advance_ns(kNsPerMs / 3);
    clock_c.advance_ns(kNsPerMs / 3);
  }
  EXPECT_TRUE(any_difference_from_other_seed);
}

TEST(UuidV7Generator, UniqueAndPerThreadIncreasingUnderConcurrency) {
  SystemClock clock;
  SystemRandom random;
  UuidV7Generator generator(clock, random);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;
  std::vector<std::vector<Id128>> per_thread(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&generator, &ids = per_thread[t]] {
      for (int i = 0; i < kPerThread; ++i) ids.push_back(generator.next());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<Id128> all;
  for (const std::vector<Id128>& ids : per_thread) {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i > 0) {
        EXPECT_LT(ids[i - 1], ids[i]);
      }
      all.insert(ids[i]);
    }
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(UuidV7Generator, TimestampFollowsTheSystemClock) {
  SystemClock clock;
  SystemRandom random;
  UuidV7Generator generator(clock, random);
  uint64_t before_ms = static_cast<uint64_t>(clock.now_ns() / kNsPerMs);
  Id128 id = generator.next();
  uint64_t after_ms = static_cast<uint64_t>(clock.now_ns() / kNsPerMs);
  expect_uuid_v7(id);
  EXPECT_GE(timestamp_ms(id), before_ms);
  EXPECT_LE(timestamp_ms(id), after_ms);
}

}  // namespace
}  // namespace mpay
