#include "core/text_length.h"

#include <gtest/gtest.h>

namespace mpay {
namespace {

TEST(TextLength, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8_chars(""), 0u);
  EXPECT_EQ(utf8_chars("Noodle Bar"), 10u);
  EXPECT_EQ(utf8_chars("面馆"), 2u);          // 6 bytes
  EXPECT_EQ(utf8_chars("Café"), 4u);          // é is 2 bytes
  EXPECT_EQ(utf8_chars("\xF0\x9F\x98\x80"), 1u);  // an emoji, 4 bytes
}

TEST(TextLength, StrayContinuationBytesNeverAddLength) {
  EXPECT_EQ(utf8_chars("\x80\x80"), 0u);
  EXPECT_EQ(utf8_chars("a\xBF"), 1u);
}

}  // namespace
}  // namespace mpay
