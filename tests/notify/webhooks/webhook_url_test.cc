#include "notify/webhooks/webhook_url.h"

#include <gtest/gtest.h>

namespace mpay::notify::webhooks {
namespace {

TEST(WebhookUrl, ParsesHostPortAndTarget) {
  Result<WebhookUrl> url = parse_webhook_url("http://127.0.0.1:8081/hooks/mpay?x=1");
  ASSERT_TRUE(url.ok());
  EXPECT_FALSE(url->secure);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8081);
  EXPECT_EQ(url->target, "/hooks/mpay?x=1");
  EXPECT_EQ(url->host_header(), "127.0.0.1:8081");
}

TEST(WebhookUrl, DefaultsPortAndPath) {
  Result<WebhookUrl> url = parse_webhook_url("HTTP://shop.example.com");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->target, "/");
  EXPECT_EQ(url->host_header(), "shop.example.com");
  Result<WebhookUrl> query_only = parse_webhook_url("http://a.b?q=1");
  ASSERT_TRUE(query_only.ok());
  EXPECT_EQ(query_only->target, "/?q=1");
}

TEST(WebhookUrl, ParsesIpv6AndHttps) {
  Result<WebhookUrl> url = parse_webhook_url("https://[::1]:9443/w");
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->secure);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9443);
  EXPECT_EQ(url->host_header(), "[::1]:9443");
}

TEST(WebhookUrl, RefusesWhatIsNotAPlainHttpUrl) {
  for (const char* text : {"", "ftp://x/", "http://", "http://:80/", "http://user:pw@host/", "http://host:0/",
                           "http://host:65536/", "http://host:/", "http://ho st/", "http://host/#frag",
                           "http://[::1/", "http://[zz]/", "http://host:80x/", "//host/", "http://h\xc3\xa9/"}) {
    Result<WebhookUrl> url = parse_webhook_url(text);
    EXPECT_FALSE(url.ok()) << text;
    if (!url.ok()) {
      EXPECT_EQ(url.error().code, "url_invalid");
    }
  }
  EXPECT_FALSE(parse_webhook_url("http://h/" + std::string(kWebhookUrlBytesMax, 'a')).ok());
}

}  // namespace
}  // namespace mpay::notify::webhooks
