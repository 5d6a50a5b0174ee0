#include "core/ids.h"

namespace mpay {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_dash_position(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

std::string to_uuid_text(const Id128& id) {
  std::string text(36, '-');
  size_t nibble = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_dash_position(i)) continue;
    uint64_t word = nibble < 16 ? id.high : id.low;
    int shift = 60 - static_cast<int>(nibble % 16) * 4;
    text[i] = kHexDigits[(word >> shift) & 0xF];
    ++nibble;
  }
  return text;
}

std::optional<Id128> parse_uuid_text(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Id128 id;
  size_t nibble = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_dash_position(i)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    int value = hex_value(text[i]);
    if (value < 0) return std::nullopt;
    uint64_t& word = nibble < 16 ? id.high : id.low;
    word = (word << 4) | static_cast<uint64_t>(value);
    ++nibble;
  }
  return id;
}

Id128 UuidV7Generator::next() {
  uint64_t random_bits[2];
  random_.fill(random_bits, sizeof(random_bits));
  uint64_t now_ms = static_cast<uint64_t>(clock_.now_ns()) / 1'000'000;
  uint64_t ms;
  uint32_t counter;
  {
    std::lock_guard lock(mutex_);
    if (now_ms > last_ms_) {
      last_ms_ = now_ms;
      counter_ = static_cast<uint32_t>(random_bits[1] & 0x3FF);  // leave headroom in 12 bits
    } else if (++counter_ > 0xFFF) {
      ++last_ms_;  // counter exhausted: borrow the next millisecond rather than repeat an id
      counter_ = 0;
    }
    ms = last_ms_;
    counter = counter_;
  }
  Id128 id;
  id.high = (ms & 0xFFFFFFFFFFFFULL) << 16 | 0x7000ULL | counter;
  id.low = (random_bits[0] & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return id;
}

}  // namespace mpay
