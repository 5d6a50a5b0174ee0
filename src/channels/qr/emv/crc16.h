// CRC-16/CCITT-FALSE, the checksum of data object 63 (EMV QRCPS MPM, ISO/IEC 13239).
//
// What: polynomial 0x1021, initial value 0xFFFF, no reflection, no final xor, over the bytes given
// (for a payload: its UTF-8 bytes up to and including "6304"). Check value: "123456789" -> 0x29B1.
// Threads: pure functions, thread-safe. Failure: none (any bytes have a CRC).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mpay::qr {

uint16_t crc16_ccitt_false(std::string_view bytes);

// The CRC as data object 63 carries it: 4 upper-case hexadecimal characters ("29B1").
std::string crc_text(uint16_t crc);

}  // namespace mpay::qr
