#include "channels/qr/emv/crc16.h"

namespace mpay::qr {

uint16_t crc16_ccitt_false(std::string_view bytes) {
  constexpr uint16_t kPolynomial = 0x1021;
  uint16_t crc = 0xFFFF;
  for (char byte : bytes) {
    crc ^= static_cast<uint16_t>(static_cast<uint8_t>(byte) << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) != 0 ? static_cast<uint16_t>((crc << 1) ^ kPolynomial)
                                : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

std::string crc_text(uint16_t crc) {
  constexpr std::string_view kHexDigits = "0123456789ABCDEF";
  std::string text(4, '0');
  for (int nibble = 0; nibble < 4; ++nibble) {
    text[3 - nibble] = kHexDigits[(crc >> (4 * nibble)) & 0xF];
  }
  return text;
}

}  // namespace mpay::qr
