#include <gtest/gtest.h>

#include "channels/qr/emv/crc16.h"

namespace mpay::qr {
namespace {

TEST(Crc16, CheckValueOfCcittFalse) { EXPECT_EQ(crc16_ccitt_false("123456789"), 0x29B1); }

TEST(Crc16, EmptyInputIsTheInitialValue) { EXPECT_EQ(crc16_ccitt_false(""), 0xFFFF); }

TEST(Crc16, MoreVectors) {
  // Independent values (computed with Python's binascii.crc_hqx(data, 0xFFFF)).
  EXPECT_EQ(crc16_ccitt_false("A"), 0xB915);
  EXPECT_EQ(crc16_ccitt_false(std::string_view("\x00", 1)), 0xE1F0);
}

TEST(Crc16, RunsOverUtf8Bytes) {
  // "北京" is 6 bytes; a byte-wise CRC differs from one over the 2 characters' code points.
  EXPECT_EQ(crc_text(crc16_ccitt_false("\xE5\x8C\x97\xE4\xBA\xAC")), crc_text(crc16_ccitt_false("北京")));
  EXPECT_NE(crc16_ccitt_false("北京"), crc16_ccitt_false("AB"));
}

TEST(Crc16, TextIsFourUpperCaseHexDigits) {
  EXPECT_EQ(crc_text(0x29B1), "29B1");
  EXPECT_EQ(crc_text(0x000A), "000A");
  EXPECT_EQ(crc_text(0xFFFF), "FFFF");
  EXPECT_EQ(crc_text(0xabcd), "ABCD");
}

}  // namespace
}  // namespace mpay::qr
