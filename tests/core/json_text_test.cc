// JsonObjectText writes what nlohmann's dump(-1, ' ', false, replace) writes: compared byte for
// byte, so views may move between the two without a client seeing a difference.
#include "core/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mpay {
namespace {

std::string dumped(const nlohmann::json& tree) {
  return tree.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const std::vector<std::string> kAwkwardTexts = {
    "",
    "plain",
    "quote \" backslash \\ slash /",
    "controls \b\f\n\r\t \x01\x1f \x7f",
    "caf\xc3\xa9 \xe6\x94\xaf\xe4\xbb\x98 \xf0\x9f\x92\xb3",
    "broken \xff\xfe utf-8 \xc3",
};

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
  object.string("a", "x\"y").integer("b", -42).null("c").raw("d", "[1,{}]");
  JsonObjectText inner(object.value_of("e"));
  inner.close();
  object.close();
  EXPECT_EQ(out, R"({"a":"x\"y","b":-42,"c":null,"d":[1,{}],"e":{}})");
  EXPECT_TRUE(nlohmann::json::accept(out));
}

}  // namespace
}  // namespace mpay
