#include "api/http_response_head.h"

#include <gtest/gtest.h>

namespace mpay::api {
namespace {

TEST(HttpResponseHead, WritesTheStatusLineAndTheServersHeaders) {
  HttpResponse response{201, "application/json", R"({"id":"1"})", {{"Location", "/v1/things/1"}}};
  EXPECT_EQ(format_response_head(response, "req-1", true),
            "HTTP/1.1 201 Created\r\n"
            "Location: /v1/things/1\r\n"
            "Server: mpayd\r\n"
            "Content-Type: application/json\r\n"
            "X-Request-Id: req-1\r\n"
            "Content-Length: 10\r\n"
            "\r\n");
}

TEST(HttpResponseHead, SaysCloseWhenTheConnectionEnds) {
  HttpResponse response{503, "application/json", "{}", {}};
  std::string head = format_response_head(response, "r", false);
  EXPECT_EQ(head.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("\r\nConnection: close\r\n\r\n"), std::string::npos) << head;
  EXPECT_EQ(format_response_head(response, "r", true).find("Connection"), std::string::npos);
}

TEST(HttpResponseHead, GivesNoLengthToAnswersWithoutABody) {
  EXPECT_FALSE(response_has_body(204));
  EXPECT_FALSE(response_has_body(304));
  EXPECT_FALSE(response_has_body(100));
  EXPECT_TRUE(response_has_body(200));
  EXPECT_TRUE(response_has_body(404));
  std::string head = format_response_head(HttpResponse{204, "application/json", "", {}}, "r", true);
  EXPECT_EQ(head.rfind("HTTP/1.1 204 No Content\r\n", 0), 0u) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  // An empty body that has a length still says so.
  EXPECT_NE(format_response_head(HttpResponse{200, "text/plain", "", {}}, "r", true)
                .find("\r\nContent-Length: 0\r\n"),
            std::string::npos);
}

TEST(HttpResponseHead, KeepsTheServersHeadersItsOwn) {
  HttpResponse response{200, "text/plain", "hello", {}};
  response.headers = {{"content-length", "999"},  {"Connection", "keep-alive"},
                      {"SERVER", "other"},        {"Content-Type", "text/html"},
                      {"x-request-id", "forged"}, {"Transfer-Encoding", "chunked"}};
  EXPECT_EQ(format_response_head(response, "mine", true),
            "HTTP/1.1 200 OK\r\n"
            "Server: mpayd\r\n"
            "Content-Type: text/plain\r\n"
            "X-Request-Id: mine\r\n"
            "Content-Length: 5\r\n"
            "\r\n");
}

TEST(HttpResponseHead, DropsHeadersThatCouldSplitTheAnswer) {
  HttpResponse response{200, "text/plain", "x", {}};
  response.headers = {{"X-Split", "a\r\nInjected: yes"},
                      {"Bad Name", "v"},
                      {"", "v"},
                      {"X-Nul", std::string("a\0b", 3)},
                      {"X-Fine", "kept"}};
  std::string head = format_response_head(response, "r", true);
  EXPECT_EQ(head.find("Injected"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Split"), std::string::npos) << head;
  EXPECT_EQ(head.find("Bad Name"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Nul"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nX-Fine: kept\r\n"), std::string::npos) << head;
}

TEST(HttpResponseHead, ReplacesAContentTypeThatCouldSplitTheAnswer) {
  std::string head =
      format_response_head(HttpResponse{200, "text/plain\r\nInjected: yes", "x", {}}, "r", true);
  EXPECT_EQ(head.find("Injected"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nContent-Type: application/octet-stream\r\n"), std::string::npos) << head;
}

}  // namespace
}  // namespace mpay::api
