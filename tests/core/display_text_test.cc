#include "core/display_text.h"

#include <gtest/gtest.h>

#include <string>

namespace mpay {
namespace {

TEST(DisplayText, OrdinaryTextInAnyScriptIsFine) {
  for (const char* text : {"Noodle Bar", "面馆", "Café Zürich", "مطعم", "שלום", "नमस्ते",
                           "Tea & cakes, 2nd floor", "\xF0\x9F\x98\x80 shop", ""}) {
    EXPECT_FALSE(has_hidden_control(text)) << text;
  }
  // Joiners that scripts and emoji sequences need.
  EXPECT_FALSE(has_hidden_control("\xD9\x85\xE2\x80\x8C\xD9\x8A"));  // ZWNJ in Persian
  EXPECT_FALSE(has_hidden_control("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB"));  // ZWJ emoji
}

TEST(DisplayText, BidiControlsAreHidden) {
  // U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C, each inside a name.
  for (const char* control : {"\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD",
                              "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8",
                              "\xE2\x81\xA9", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xD8\x9C"}) {
    std::string text = std::string("Shop") + control + "lave";
    EXPECT_TRUE(has_hidden_control(text)) << text;
  }
}

TEST(DisplayText, ControlsSeparatorsAndInvisiblesAreHidden) {
  for (std::string text :
       {std::string("a\nb"), std::string("a\x1b[31m"), std::string("a\x7f"), std::string("a\0b", 3),
        std::string("a\xC2\x85"
                    "b"),  // U+0085 NEXT LINE (C1)
        std::string("a\xE2\x80\xA8"
                    "b"),  // U+2028
        std::string("a\xE2\x80\xA9"
                    "b"),                 // U+2029
        std::string("Sh\xE2\x80\x8Bop"),  // U+200B
        std::string("Sh\xE2\x81\xA0op"),  // U+2060
        std::string("\xEF\xBB\xBFShop"),  // U+FEFF
        std::string("a\xEF\xBF\xB9"
                    "b")}) {  // U+FFF9
    EXPECT_TRUE(has_hidden_control(text)) << text;
  }
}

TEST(DisplayText, InvalidUtf8IsNotShowableText) {
  for (std::string text : {std::string("\xff"), std::string("a\xC3"), std::string("\xC0\xAF"),
                           std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80")}) {
    EXPECT_TRUE(has_hidden_control(text));
  }
}

}  // namespace
}  // namespace mpay
