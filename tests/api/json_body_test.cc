#include "api/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace mpay::api {
namespace {

using nlohmann::json;

std::string nested_arrays(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(ParseJsonBody, ParsesAValidDocument) {
  auto parsed = parse_json_body(R"({"a":1,"b":[true,null,"x",{"c":-2}],"d":{"e":1.5}})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ((*parsed)["a"], 1);
  EXPECT_EQ((*parsed)["b"][3]["c"], -2);
  EXPECT_EQ((*parsed)["d"]["e"], 1.5);
  EXPECT_EQ((*parsed)["b"].size(), 4u);
}

TEST(ParseJsonBody, ParsesScalarsAtTheTop) {
  EXPECT_EQ(*parse_json_body("42"), json(42));
  EXPECT_EQ(*parse_json_body("\"x\""), json("x"));
}

TEST(ParseJsonBody, RejectsEmptyBody) {
  EXPECT_EQ(parse_json_body("").error().code, "body_empty");
  EXPECT_EQ(parse_json_body(" \r\n\t").error().code, "body_empty");
}

TEST(ParseJsonBody, RejectsInvalidJsonWithBytePosition) {
  auto parsed = parse_json_body(R"({"a":1,})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "json_invalid");
  EXPECT_NE(parsed.error().message.find("at byte 8"), std::string::npos) << parsed.error().message;
  for (const char* bad :
       {"{", "[1,]", "{'a':1}", "{\"a\":1} x", "NaN", "01", "// c\n{}", "[1] [2]"}) {
    auto result = parse_json_body(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().code, "json_invalid") << bad;
  }
}

TEST(ParseJsonBody, DoesNotEchoClientBytesInTheMessage) {
  auto parsed = parse_json_body(R"({"pin": 1234x})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message.find("1234"), std::string::npos) << parsed.error().message;
}

TEST(ParseJsonBody, RejectsInvalidUtf8) {
  for (std::string bad : {std::string("{\"a\":\"\xff\"}"), std::string("{\"a\":\"\xc3\"}"),
                          std::string("{\"\xed\xa0\x80\":1}"), std::string("\xc3\xa9")}) {
    auto result = parse_json_body(bad);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, "json_invalid");
  }
  EXPECT_TRUE(parse_json_body("{\"a\":\"caf\xc3\xa9 \\u00e9\"}").ok());
}

// Numbers that fit no field of the API are a field error naming where they are, not a syntax
// error: 1e400 overflows a double, 99999999999999999999 is an integer beyond 64 bits (nlohmann
// would read it as a rounded double).
TEST(ParseJsonBody, NumbersBeyondEveryRangeAreOutOfRangeAtTheirPath) {
  struct Case {
    const char* body;
    const char* field;
  };
  for (const Case& c :
       {Case{R"({"expires_in_s":1e400})", "expires_in_s"},
        Case{R"({"expires_in_s":99999999999999999999})", "expires_in_s"},
        Case{R"({"expires_in_s":-99999999999999999999})", "expires_in_s"},
        Case{R"({"a":1,"huge":18446744073709551616})", "huge"},
        Case{R"({"a":{"b":-1E+999}})", "a.b"},
        Case{R"([{"id":1},{"amount":1,"fee":1e309}])", "[1].fee"},
        Case{R"({"list":[1,2,[3,1e400]]})", "list[2][1]"},
        Case{R"({"x":[{"y":[0,{"z":[1e500]}]}]})", "x[0].y[1].z[0]"}, Case{"1e400", ""}}) {
    auto parsed = parse_json_body(c.body);
    ASSERT_FALSE(parsed.ok()) << c.body;
    EXPECT_EQ(parsed.error().code, "json_number_out_of_range") << c.body;
    EXPECT_EQ(parsed.error().field, c.field) << c.body;
    EXPECT_EQ(parsed.error().message.find("fraction"), std::string::npos) << parsed.error().message;
  }
  // The largest 64-bit integers and ordinary doubles still parse (readers judge them).
  EXPECT_TRUE(
      parse_json_body(R"({"a":18446744073709551615,"b":-9223372036854775808,"c":1e308})").ok());
}

TEST(ParseJsonBody, RejectsDuplicateKeysAtAnyDepth) {
  auto top = parse_json_body(R"({"amount":1,"amount":1000})");
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.error().code, "json_duplicate_key");
  EXPECT_EQ(top.error().field, "amount");

  auto deep = parse_json_body(R"({"a":[{"x":1},{"b":{"id":1,"c":2,"id":3}}]})");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, "json_duplicate_key");
  EXPECT_EQ(deep.error().field, "id");

  // The same key in sibling objects is not a duplicate.
  EXPECT_TRUE(parse_json_body(R"([{"id":1},{"id":2}])").ok());
  EXPECT_TRUE(parse_json_body(R"({"id":{"id":1}})").ok());
}

TEST(ParseJsonBody, EnforcesTheDepthLimit) {
  EXPECT_TRUE(parse_json_body(nested_arrays(32)).ok());
  auto too_deep = parse_json_body(nested_arrays(33));
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.error().code, "json_too_deep");

  EXPECT_TRUE(parse_json_body(R"({"a":{"b":1}})", 2).ok());
  EXPECT_EQ(parse_json_body(R"({"a":{"b":[]}})", 2).error().code, "json_too_deep");
  // A hostile body far deeper than the limit is refused without building it.
  EXPECT_EQ(parse_json_body(nested_arrays(100000)).error().code, "json_too_deep");
}

TEST(JsonObjectReader, ReadsFieldsOfTheRightType) {
  json body = *parse_json_body(
      R"({"name":"Ann","amount":-250,"limit":18446744073709551615,"port":443,"count":7,
          "tags":["a","b"],"active":true,"note":null})");
  JsonObjectReader reader(body);
  EXPECT_EQ(*reader.required_string("name"), "Ann");
  EXPECT_EQ(*reader.required_int64("amount"), -250);
  EXPECT_EQ(*reader.optional_uint64("limit"), UINT64_MAX);
  EXPECT_EQ(*reader.optional_uint16("port"), 443);
  EXPECT_EQ(*reader.optional_uint32("count"), 7u);
  EXPECT_EQ(*reader.optional_string_array("tags"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(*reader.optional_bool("active", false));
  EXPECT_EQ(*reader.optional_string("note"), std::nullopt);  // null counts as absent
  EXPECT_TRUE(reader.reject_unknown_fields().ok());
}

TEST(JsonObjectReader, AbsentOptionalFieldsGiveEmptyValuesAndFallbacks) {
  json body = json::object();
  JsonObjectReader reader(body);
  EXPECT_EQ(*reader.optional_string("a"), std::nullopt);
  EXPECT_EQ(*reader.optional_int64("b"), std::nullopt);
  EXPECT_EQ(*reader.optional_uint64("c"), std::nullopt);
  EXPECT_EQ(*reader.optional_uint32("d"), std::nullopt);
  EXPECT_EQ(*reader.optional_uint16("e"), std::nullopt);
  EXPECT_TRUE(reader.optional_string_array("f")->empty());
  EXPECT_TRUE(*reader.optional_bool("g", true));
  EXPECT_FALSE(*reader.optional_bool("g", false));
  EXPECT_EQ(*reader.optional_value("h"), nullptr);
}

TEST(JsonObjectReader, MissingRequiredFieldNamesThePath) {
  json body = json::object();
  JsonObjectReader reader(body, "[3]");
  auto missing = reader.required_string("currency");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "json_missing_field");
  EXPECT_EQ(missing.error().field, "[3].currency");
  EXPECT_EQ(reader.required_int64("amount").error().code, "json_missing_field");
}

TEST(JsonObjectReader, WrongTypesNameThePathAndBothTypes) {
  json items = *parse_json_body(R"([{},{},{},{"amount":"12.50","tags":["a",7],"ok":"yes"}])");
  JsonObjectReader reader(items[3], "[3]");
  auto amount = reader.required_int64("amount");
  ASSERT_FALSE(amount.ok());
  EXPECT_EQ(amount.error().code, "json_wrong_type");
  EXPECT_EQ(amount.error().field, "[3].amount");
  EXPECT_NE(amount.error().message.find("expected an integer"), std::string::npos);
  EXPECT_NE(amount.error().message.find("got a string"), std::string::npos);

  auto tags = reader.optional_string_array("tags");
  ASSERT_FALSE(tags.ok());
  EXPECT_EQ(tags.error().code, "json_wrong_type");
  EXPECT_EQ(tags.error().field, "[3].tags[1]");

  auto flag = reader.optional_bool("ok", false);
  EXPECT_EQ(flag.error().code, "json_wrong_type");
  EXPECT_EQ(flag.error().field, "[3].ok");
}

TEST(JsonObjectReader, WrongTypeForStringsAndNullForRequired) {
  json body = *parse_json_body(R"({"a":5,"b":null,"c":{"d":1}})");
  JsonObjectReader reader(body, "payer");
  EXPECT_EQ(reader.required_string("a").error().code, "json_wrong_type");
  EXPECT_EQ(reader.required_string("b").error().code, "json_wrong_type");
  EXPECT_EQ(reader.optional_string("c").error().field, "payer.c");
  EXPECT_EQ(reader.optional_string_array("a").error().code, "json_wrong_type");
}

TEST(JsonObjectReader, FloatsWhereIntegersAreExpectedAreOutOfRange) {
  json body = *parse_json_body(R"({"a":1.5,"b":1e3,"c":1.0,"d":-0.0})");
  JsonObjectReader reader(body);
  for (const char* key : {"a", "b", "c", "d"}) {
    auto as_int = reader.required_int64(key);
    ASSERT_FALSE(as_int.ok()) << key;
    EXPECT_EQ(as_int.error().code, "json_number_out_of_range") << key;
    EXPECT_EQ(as_int.error().field, key);
    EXPECT_EQ(reader.optional_uint64(key).error().code, "json_number_out_of_range") << key;
    EXPECT_EQ(reader.optional_uint16(key).error().code, "json_number_out_of_range") << key;
  }
}

TEST(JsonObjectReader, IntegersOutsideTheTypeAreOutOfRange) {
  json body = *parse_json_body(
      R"({"neg":-1,"big":9223372036854775808,"u32":4294967296,"u16":65536,
          "u16max":65535,"min":-9223372036854775808})");
  JsonObjectReader reader(body);
  EXPECT_EQ(reader.optional_uint64("neg").error().code, "json_number_out_of_range");
  EXPECT_EQ(reader.optional_uint32("neg").error().code, "json_number_out_of_range");
  EXPECT_EQ(reader.required_int64("big").error().code, "json_number_out_of_range");
  EXPECT_EQ(*reader.optional_uint64("big"), 9223372036854775808ULL);
  EXPECT_EQ(reader.optional_uint32("u32").error().code, "json_number_out_of_range");
  EXPECT_EQ(*reader.optional_uint64("u32"), 4294967296ULL);
  EXPECT_EQ(reader.optional_uint16("u16").error().code, "json_number_out_of_range");
  EXPECT_EQ(*reader.optional_uint16("u16max"), 65535);
  // Beyond uint64 the parser already refuses (NumbersBeyondEveryRangeAreOutOfRangeAtTheirPath).
  EXPECT_EQ(*reader.required_int64("min"), INT64_MIN);
}

TEST(JsonObjectReader, RejectsUnknownFields) {
  json body = *parse_json_body(R"({"amount":1,"currency":"KES","ammount":2})");
  JsonObjectReader reader(body, "[0]");
  ASSERT_TRUE(reader.required_int64("amount").ok());
  ASSERT_TRUE(reader.required_string("currency").ok());
  auto status = reader.reject_unknown_fields();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "json_unknown_field");
  EXPECT_EQ(status.error().field, "[0].ammount");

  // Asking for a key counts as reading it even when absent or of the wrong type.
  JsonObjectReader again(body);
  (void)again.required_int64("amount");
  (void)again.required_int64("currency");
  (void)again.optional_value("ammount");
  EXPECT_TRUE(again.reject_unknown_fields().ok());
}

TEST(JsonObjectReader, NotAnObjectIsAnErrorFromEveryReader) {
  json body = *parse_json_body("[1,2]");
  JsonObjectReader reader(body, "payer");
  auto name = reader.required_string("name");
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().code, "json_not_object");
  EXPECT_EQ(name.error().field, "payer");
  EXPECT_EQ(reader.optional_bool("x", true).error().code, "json_not_object");
  EXPECT_EQ(reader.reject_unknown_fields().error().code, "json_not_object");
}

TEST(JsonObjectReader, LimitsStringLengthInCharactersAndRejectsNul) {
  json body =
      *parse_json_body(R"({"short":"abcd","accented":"\u00e9\u00e9\u00e9","nul":"a\u0000b"})");
  JsonObjectReader reader(body);
  EXPECT_EQ(*reader.required_string("short", 4), "abcd");
  auto too_long = reader.required_string("short", 3);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, "json_string_too_long");
  EXPECT_EQ(too_long.error().field, "short");
  // Three characters, six bytes.
  EXPECT_TRUE(reader.required_string("accented", 3).ok());
  auto nul = reader.optional_string("nul");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().code, "json_string_invalid");
  EXPECT_EQ(nul.error().field, "nul");

  json long_body = json::object({{"text", std::string(4097, 'x')}, {"ok", std::string(4096, 'y')}});
  JsonObjectReader defaults(long_body);
  EXPECT_EQ(defaults.required_string("text").error().code, "json_string_too_long");
  EXPECT_TRUE(defaults.required_string("ok").ok());
  json arrays = json::object({{"tags", {"abc", "abcdef"}}});
  EXPECT_EQ(JsonObjectReader(arrays).optional_string_array("tags", 5).error().field, "tags[1]");
}

TEST(JsonObjectReader, NestedObjectsUseFieldPathAsPrefix) {
  json body = *parse_json_body(R"({"payer":{"phone":"+254700000001","extra":1}})");
  JsonObjectReader reader(body);
  auto payer = reader.optional_value("payer");
  ASSERT_TRUE(payer.ok());
  ASSERT_NE(*payer, nullptr);
  JsonObjectReader payer_reader(**payer, reader.field_path("payer"));
  EXPECT_EQ(*payer_reader.required_string("phone"), "+254700000001");
  EXPECT_EQ(payer_reader.reject_unknown_fields().error().field, "payer.extra");
  EXPECT_TRUE(reader.reject_unknown_fields().ok());
}

TEST(ReadEmptyBody, TakesNoBodyOrAnEmptyObjectAndNothingElse) {
  EXPECT_TRUE(read_empty_body("").ok());
  EXPECT_TRUE(read_empty_body("{}").ok());
  EXPECT_TRUE(read_empty_body(" { } ").ok());
  EXPECT_EQ(read_empty_body("not json {{{").error().code, "json_invalid");
  EXPECT_EQ(read_empty_body("[1,2,3]").error().code, "json_not_object");
  EXPECT_EQ(read_empty_body("null").error().code, "json_not_object");
  EXPECT_EQ(read_empty_body(" ").error().code, "body_empty");  // whitespace is not "no body"
  Status field = read_empty_body(R"({"reason":"x","amount":"-5"})");
  EXPECT_EQ(field.error().code, "json_unknown_field");
  EXPECT_EQ(field.error().field, "amount");  // the first in sorted order
  EXPECT_EQ(read_empty_body(R"({"a":1,"a":1})").error().code, "json_duplicate_key");
}

}  // namespace
}  // namespace mpay::api
