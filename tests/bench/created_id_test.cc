// created_id: the load generator reads a created payment request's id without building the tree.
#include "created_id.h"

#include <gtest/gtest.h>

namespace mpay::bench {
namespace {

TEST(CreatedId, ReadsTheTopLevelIdOfAnObject) {
  EXPECT_EQ(created_id(R"({"id":"abc"})"), "abc");
  EXPECT_EQ(created_id(R"({"amount":"0.01","funding_source":null,"id":"0193-x","mandate_id":"m"})"),
            "0193-x");
  EXPECT_EQ(created_id(R"( { "a" : [1, {"id":"nested"}], "id" : "top" } )"), "top");
  EXPECT_EQ(created_id(R"({"id":"with \"quote\" and \u00e9"})"), "with \"quote\" and \xC3\xA9");
}

TEST(CreatedId, NestedOrNonStringIdsDoNotCount) {
  EXPECT_EQ(created_id(R"({"merchant":{"id":"inner"}})"), std::nullopt);
  EXPECT_EQ(created_id(R"({"refunds":[{"id":"r1"}]})"), std::nullopt);
  EXPECT_EQ(created_id(R"({"id":7})"), std::nullopt);
  EXPECT_EQ(created_id(R"({"id":null})"), std::nullopt);
  EXPECT_EQ(created_id(R"({"merchant_id":"m","description":"id"})"), std::nullopt);
}

TEST(CreatedId, AnswersThatAreNotObjectsHaveNone) {
  EXPECT_EQ(created_id(""), std::nullopt);
  EXPECT_EQ(created_id("not json"), std::nullopt);
  EXPECT_EQ(created_id(R"(["id","x"])"), std::nullopt);
  EXPECT_EQ(created_id(R"("id")"), std::nullopt);
  EXPECT_EQ(created_id(R"({"id":)"), std::nullopt);
  EXPECT_EQ(created_id(R"({"error":{"code":"payer_not_found","message":"no such payer"}})"),
            std::nullopt);
}

}  // namespace
}  // namespace mpay::bench
