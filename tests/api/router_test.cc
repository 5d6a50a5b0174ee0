#include "api/router.h"

#include <gtest/gtest.h>

namespace mpay::api {
namespace {

using boost::beast::http::verb;

Handler tagged(std::string tag) {
  return [tag](HttpRequest&, Responder respond) {
    HttpResponse response;
    response.body = tag;
    respond(std::move(response));
  };
}

// Which route matched, identified by the body its handler would write.
std::string matched_tag(const RouteMatch& match) {
  if (match.route == nullptr) return "<none>";
  std::string tag;
  HttpRequest request;
  match.route->handler(request, [&tag](HttpResponse response) { tag = response.body; });
  return tag;
}

Router ledger_router() {
  Router router;
  router.add({verb::get, "/v1/ledger/accounts/{id}", "ledger.read", 0, tagged("get-account")});
  router.add({verb::post, "/v1/ledger/accounts", "ledger.write", 4096, tagged("create-account")});
  router.add({verb::get, "/v1/ledger/accounts/search", "ledger.read", 0, tagged("search")});
  router.add({verb::get, "/v1/ledger/accounts/{id}/transfers", "ledger.read", 0,
              tagged("account-transfers")});
  router.add({verb::delete_, "/v1/ledger/accounts/{id}", "ledger.write", 0, tagged("delete")});
  router.add({verb::get, "/health", "", 0, tagged("health")});
  return router;
}

TEST(Router, MatchesLiteralRoute) {
  Router router = ledger_router();
  RouteMatch match = router.match(verb::get, "/health");
  EXPECT_EQ(match.kind, RouteMatchKind::found);
  EXPECT_EQ(matched_tag(match), "health");
  EXPECT_TRUE(match.path_params.empty());
}

TEST(Router, ExtractsPathParameters) {
  Router router = ledger_router();
  RouteMatch match = router.match(verb::get, "/v1/ledger/accounts/acc 42/transfers");
  ASSERT_EQ(match.kind, RouteMatchKind::found);
  EXPECT_EQ(matched_tag(match), "account-transfers");
  ASSERT_EQ(match.path_params.size(), 1u);
  EXPECT_EQ(match.path_params.at("id"), "acc 42");
  EXPECT_EQ(match.route->scope, "ledger.read");
}

TEST(Router, LiteralSegmentWinsOverParameterRegardlessOfOrder) {
  Router router = ledger_router();  // "{id}" was added before "search"
  RouteMatch match = router.match(verb::get, "/v1/ledger/accounts/search");
  EXPECT_EQ(matched_tag(match), "search");
  EXPECT_TRUE(match.path_params.empty());
  EXPECT_EQ(matched_tag(router.match(verb::get, "/v1/ledger/accounts/other")), "get-account");
}

TEST(Router, ParameterWithSuffixMatchesOnlyThatSuffixAndWinsOverABareParameter) {
  Router router;
  router.add({verb::get, "/v1/codes/{id}", "merchant", 0, tagged("code")});
  router.add({verb::get, "/v1/codes/{id}.png", "merchant", 0, tagged("png")});
  router.add({verb::get, "/v1/codes/{id}.svg", "merchant", 0, tagged("svg")});
  RouteMatch png = router.match(verb::get, "/v1/codes/abc.png");
  ASSERT_EQ(png.kind, RouteMatchKind::found);
  EXPECT_EQ(matched_tag(png), "png");
  EXPECT_EQ(png.path_params.at("id"), "abc");
  EXPECT_EQ(matched_tag(router.match(verb::get, "/v1/codes/abc.svg")), "svg");
  RouteMatch plain = router.match(verb::get, "/v1/codes/abc.gif");
  EXPECT_EQ(matched_tag(plain), "code");
  EXPECT_EQ(plain.path_params.at("id"), "abc.gif");
  // The suffix alone leaves the parameter empty: only the bare parameter matches it.
  RouteMatch bare = router.match(verb::get, "/v1/codes/.png");
  EXPECT_EQ(matched_tag(bare), "code");
  EXPECT_EQ(bare.path_params.at("id"), ".png");
}

TEST(Router, ParameterRouteServesMethodsTheLiteralRouteLacks) {
  Router router = ledger_router();
  RouteMatch match = router.match(verb::delete_, "/v1/ledger/accounts/search");
  ASSERT_EQ(match.kind, RouteMatchKind::found);
  EXPECT_EQ(matched_tag(match), "delete");
  EXPECT_EQ(match.path_params.at("id"), "search");
}

TEST(Router, UnknownPathIsNotFound) {
  Router router = ledger_router();
  for (const char* path : {"/v2/ledger/accounts", "/v1/ledger/accounts/1/transfers/2", "/",
                           "/v1/ledger/accounts//transfers", "/health/", "health", ""}) {
    RouteMatch match = router.match(verb::get, path);
    EXPECT_EQ(match.kind, RouteMatchKind::path_not_found) << path;
    EXPECT_EQ(match.route, nullptr) << path;
  }
}

TEST(Router, EmptySegmentNeverMatchesAParameter) {
  Router router = ledger_router();
  EXPECT_EQ(router.match(verb::get, "/v1/ledger/accounts/").kind, RouteMatchKind::path_not_found);
}

TEST(Router, KnownPathWithOtherMethodIsMethodNotAllowedWithSortedAllow) {
  Router router = ledger_router();
  RouteMatch match = router.match(verb::put, "/v1/ledger/accounts/7");
  EXPECT_EQ(match.kind, RouteMatchKind::method_not_allowed);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(allow_header_value(match.allowed_methods), "DELETE, GET");

  RouteMatch post_only = router.match(verb::get, "/v1/ledger/accounts");
  EXPECT_EQ(post_only.kind, RouteMatchKind::method_not_allowed);
  EXPECT_EQ(allow_header_value(post_only.allowed_methods), "POST");
}

TEST(Router, RoutesListsEveryRouteInOrder) {
  Router router = ledger_router();
  ASSERT_EQ(router.routes().size(), 6u);
  EXPECT_EQ(router.routes()[0].pattern, "/v1/ledger/accounts/{id}");
  EXPECT_EQ(router.routes()[1].method, verb::post);
  EXPECT_EQ(router.routes()[1].body_bytes_max, 4096u);
  EXPECT_EQ(router.routes()[5].scope, "");
}

TEST(RouterDeathTest, DuplicateMethodAndPatternAborts) {
  Router router = ledger_router();
  EXPECT_DEATH(router.add({verb::get, "/health", "", 0, tagged("again")}), "duplicate route");
  // Parameter names do not make two patterns different.
  EXPECT_DEATH(router.add({verb::get, "/v1/ledger/accounts/{account}", "", 0, tagged("x")}),
               "duplicate route");
}

TEST(RouterDeathTest, MalformedPatternAborts) {
  Router router;
  EXPECT_DEATH(router.add({verb::get, "no-slash", "", 0, tagged("x")}), "must start with");
  EXPECT_DEATH(router.add({verb::get, "/a/{id", "", 0, tagged("x")}), "parameter");
  EXPECT_DEATH(router.add({verb::get, "/a/{id}/{id}", "", 0, tagged("x")}), "duplicate");
}

TEST(Router, SameMethodDifferentPatternsAndSamePatternDifferentMethodsAreFine) {
  Router router;
  router.add({verb::get, "/a/{id}", "", 0, tagged("get")});
  router.add({verb::post, "/a/{id}", "", 0, tagged("post")});
  router.add({verb::get, "/a/{id}/b", "", 0, tagged("get-b")});
  EXPECT_EQ(matched_tag(router.match(verb::post, "/a/1")), "post");
  EXPECT_EQ(matched_tag(router.match(verb::get, "/a/1/b")), "get-b");
}

TEST(RouterQuery, ARouteTakesOnlyTheParametersItDeclaresEachOnce) {
  Route list{verb::get, "/v1/items", "", 0, tagged("list")};
  list.query_parameters = {"limit", "after"};
  using Query = std::vector<std::pair<std::string, std::string>>;
  EXPECT_FALSE(refused_query(list, Query{}));
  EXPECT_FALSE(refused_query(list, Query{{"after", "x"}, {"limit", "5"}}));
  std::optional<Error> unknown = refused_query(list, Query{{"limit", "5"}, {"colour", "red"}});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->code, "query_parameter_unknown");
  EXPECT_EQ(unknown->field, "colour");
  EXPECT_NE(unknown->message.find("limit, after"), std::string::npos) << unknown->message;
  std::optional<Error> repeated = refused_query(list, Query{{"limit", "5"}, {"limit", "6"}});
  ASSERT_TRUE(repeated);
  EXPECT_EQ(repeated->code, "query_parameter_repeated");
  EXPECT_EQ(repeated->field, "limit");

  Route plain{verb::get, "/v1/items/{id}", "", 0, tagged("one")};
  std::optional<Error> any = refused_query(plain, Query{{"foo", "1"}});
  ASSERT_TRUE(any);
  EXPECT_EQ(any->code, "query_parameter_unknown");
  EXPECT_EQ(any->field, "foo");
  // A name without a value ("?flag") is a parameter too.
  EXPECT_TRUE(refused_query(plain, Query{{"flag", ""}}));

  Route page{verb::get, "/q/{token}", "", 0, tagged("page")};
  page.query_ignored = true;
  EXPECT_FALSE(refused_query(page, Query{{"utm_source", "x"}, {"utm_source", "y"}}));
}

}  // namespace
}  // namespace mpay::api
