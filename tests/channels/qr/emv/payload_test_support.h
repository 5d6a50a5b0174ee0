// Helpers for the tests of src/channels/qr/emv: payloads with a correct CRC, and error checks.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "channels/qr/emv/emv.h"

namespace mpay::qr::test {

// `body` followed by "6304" and its CRC: malformed payloads whose only fault is the one under test.
inline std::string with_crc(std::string_view body) {
  std::string text(body);
  text.append("6304");
  text.append(crc_text(crc16_ccitt_false(text)));
  return text;
}

// A minimal valid body: 00, 01, a primitive merchant account 02, 52, 53 (CNY), 58, 59, 60.
inline constexpr std::string_view kHead = "000201010211";
inline constexpr std::string_view kAccount = "0208MERCHANT";
inline constexpr std::string_view kTail = "520458125303156""5802CN""5905SHOP1""6007BEIJING";

inline std::string valid_body() { return std::string(kHead) + std::string(kAccount) + std::string(kTail); }

template <typename T>
void expect_error(const Result<T>& result, std::string_view code, std::string_view field) {
  ASSERT_FALSE(result.ok()) << "expected " << code;
  EXPECT_EQ(result.error().code, code) << result.error().message;
  EXPECT_EQ(result.error().field, field) << result.error().code << ": " << result.error().message;
}

}  // namespace mpay::qr::test
