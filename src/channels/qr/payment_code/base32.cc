#include "channels/qr/payment_code/base32.h"

#include <cstdint>

namespace mpay::qr {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

Error invalid(std::string message) { return Error("base32_invalid", std::move(message)); }

}  // namespace

std::string base32_encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (char byte : bytes) {
    buffer = (buffer << 8) | static_cast<uint8_t>(byte);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text.push_back(kAlphabet[(buffer >> bits) & 0x1F]);
    }
    buffer &= (1u << bits) - 1;  // keep only the bits not yet written
  }
  if (bits > 0) text.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1F]);
  return text;
}

Result<std::string> base32_decode(std::string_view text) {
  size_t remainder = text.size() % 8;
  if (remainder == 1 || remainder == 3 || remainder == 6) {
    return invalid("base32 text has an impossible length");
  }
  std::string bytes;
  bytes.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value = value_of(c);
    if (value < 0) return invalid("base32 text holds a character outside A-Z and 2-7");
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((buffer >> bits) & 0xFF));
      buffer &= (1u << bits) - 1;
    }
  }
  if (buffer != 0) return invalid("base32 text has non-zero padding bits");
  return bytes;
}

}  // namespace mpay::qr
