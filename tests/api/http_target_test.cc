#include "api/http_target.h"

#include <gtest/gtest.h>

#include "api/http_request_id.h"

namespace mpay::api {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

TEST(ParseTarget, SplitsAndDecodesPathAndQueryInOrder) {
  auto target = parse_target("/v1/users/a%20b?phone=+254700000001&limit=10&note=x%26y&flag");
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(target->raw_path, "/v1/users/a%20b");
  EXPECT_EQ(target->path, "/v1/users/a b");
  EXPECT_EQ(target->query,
            (Query{{"phone", "+254700000001"}, {"limit", "10"}, {"note", "x&y"}, {"flag", ""}}));
}

TEST(ParseTarget, KeepsRepeatedParametersAndSkipsEmptyPairs) {
  auto target = parse_target("/x?a=1&&a=2&");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->query, (Query{{"a", "1"}, {"a", "2"}}));
}

TEST(ParseTarget, RejectsWhatWouldConfuseTheRouter) {
  for (const char* bad : {"", "v1/x", "http://host/x", "*", "/a%2Fb", "/a%2fb", "/a%00b", "/a%4",
                          "/a%zz", "/x?a=%G1", "/x#frag", "/x?a=1#frag", "/caf\xc3\xa9"}) {
    auto target = parse_target(bad);
    ASSERT_FALSE(target.ok()) << bad;
    EXPECT_EQ(target.error().code, "bad_request") << bad;
  }
}

TEST(ParseTarget, EncodedSlashIsFineInTheQuery) {
  auto target = parse_target("/x?next=%2Fa%2Fb");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->query, (Query{{"next", "/a/b"}}));
}

TEST(RequestId, AcceptsOnlyShortSafeIds) {
  EXPECT_TRUE(is_valid_request_id("abc-DEF_0.9"));
  EXPECT_TRUE(is_valid_request_id(std::string(128, 'a')));
  EXPECT_FALSE(is_valid_request_id(""));
  EXPECT_FALSE(is_valid_request_id(std::string(129, 'a')));
  EXPECT_FALSE(is_valid_request_id("a b"));
  EXPECT_FALSE(is_valid_request_id("a\r\nSet-Cookie: x"));
  EXPECT_FALSE(is_valid_request_id("id/1"));
}

TEST(RequestId, GeneratesThirtyTwoHexDigitsFromTheRandomSource) {
  mpay::SeededRandom random(7);
  std::string first = generate_request_id(random);
  std::string second = generate_request_id(random);
  EXPECT_EQ(first.size(), 32u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(first, second);
  mpay::SeededRandom same_seed(7);
  EXPECT_EQ(generate_request_id(same_seed), first);
}

}  // namespace
}  // namespace mpay::api
