// Identifiers: 128-bit ids, strong typing, canonical UUID text, and time-ordered generation.
//
// Id128 is a plain value. StrongId<Tag> wraps it so that an AccountId cannot be passed where a
// TransferId is expected (a compile error, not a runtime check). Ids are written in JSON as canonical
// lower-case UUID text ("0190f4c2-7a3e-7c41-9b2d-5e1f00000001"). The zero id is reserved as "none".
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"

namespace mpay {

struct Id128 {
  uint64_t high = 0;  // the first 8 bytes of the UUID text, big-endian
  uint64_t low = 0;

  bool is_zero() const { return high == 0 && low == 0; }
  friend auto operator<=>(const Id128&, const Id128&) = default;
  friend bool operator==(const Id128&, const Id128&) = default;
};

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", lower case.
std::string to_uuid_text(const Id128& id);

// Accepts exactly the canonical 36-character form, hex digits in either case.
std::optional<Id128> parse_uuid_text(std::string_view text);

template <typename Tag>
class StrongId {
 public:
  constexpr StrongId() = default;
  constexpr explicit StrongId(Id128 value) : value_(value) {}

  constexpr const Id128& value() const { return value_; }
  bool is_zero() const { return value_.is_zero(); }
  std::string to_string() const { return to_uuid_text(value_); }

  friend auto operator<=>(const StrongId&, const StrongId&) = default;
  friend bool operator==(const StrongId&, const StrongId&) = default;

 private:
  Id128 value_;
};

using AccountId = StrongId<struct AccountIdTag>;
using TransferId = StrongId<struct TransferIdTag>;

// Mixes the two halves; ids from clients may be sequential, so the hash must spread low bits.
struct Id128Hash {
  size_t operator()(const Id128& id) const {
    uint64_t x = id.high * 0x9E3779B97F4A7C15ULL ^ id.low;
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB3F94FE1B11AULL;
    x ^= x >> 33;
    return static_cast<size_t>(x);
  }
  template <typename Tag>
  size_t operator()(const StrongId<Tag>& id) const {
    return (*this)(id.value());
  }
};

// Generates UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids
// from one generator strictly increasing within a millisecond, then 62 random bits. Time-ordered ids
// keep database indexes append-mostly. Thread-safe.
class UuidV7Generator {
 public:
  UuidV7Generator(Clock& clock, RandomSource& random) : clock_(clock), random_(random) {}
  Id128 next();

 private:
  Clock& clock_;
  RandomSource& random_;
  std::mutex mutex_;
  uint64_t last_ms_ = 0;
  uint32_t counter_ = 0;
};

}  // namespace mpay

template <>
struct std::hash<mpay::Id128> : mpay::Id128Hash {};
