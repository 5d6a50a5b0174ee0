// JsonObjectText writes what nlohmann's dump(-1, ' ', false, replace) writes: compared byte for
// byte, so views may move between the two without a client seeing a difference.
#include "core/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/json_text_samples.h"

namespace mpay {
namespace {

using testing::dumped;
using testing::kAwkwardTexts;

TEST(JsonText, StringsAreEscapedAsNlohmannDumpsThem) {
  for (const std::string& text : kAwkwardTexts) {
    std::string out;
    append_json_string(out, text);
    EXPECT_EQ(out, dumped(nlohmann::json(text))) << text;
  }
  for (int c = 0; c < 0x80; ++c) {
    std::string text(1, static_cast<char>(c));
    std::string out;
    append_json_string(out, text);
    EXPECT_EQ(out, dumped(nlohmann::json(text))) << c;
  }
}

TEST(JsonText, AnObjectIsWrittenMemberByMember) {
  std::string out;
  JsonObjectText object(out);
  object.string("a", "x\"y").integer("b", -42).null("c");
  object.value_of("d") += "[1,2]";
  JsonObjectText inner(object.value_of("e"));
  inner.integer("f", 0);
  inner.close();
  object.close();
  EXPECT_EQ(out, R"({"a":"x\"y","b":-42,"c":null,"d":[1,2],"e":{"f":0}})");
  EXPECT_TRUE(nlohmann::json::accept(out));
}

}  // namespace
}  // namespace mpay
