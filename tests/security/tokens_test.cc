#include "security/tokens.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <optional>
#include <set>
#include <string>

#include "key_file_helpers.h"
#include "support/temp_directory.h"

namespace mpay::security {
namespace {

using mpay::testing::TempDirectory;

bool url_safe(const std::string& token) {
  for (char c : token) {
    bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_';
    if (!allowed) return false;
  }
  return true;
}

TEST(RandomToken, IsUrlSafeWithoutPaddingAnd43CharactersFor32Bytes) {
  SystemRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string token = random_token(random);
    EXPECT_EQ(token.size(), 43u);
    EXPECT_TRUE(url_safe(token)) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RandomToken, LengthFollowsTheByteCount) {
  SystemRandom random;
  EXPECT_EQ(random_token(random, 16).size(), 22u);
  EXPECT_EQ(random_token(random, 33).size(), 44u);
  EXPECT_EQ(random_token(random, 48).size(), 64u);
}

TEST(RandomToken, EncodesTheRandomBytesAsBase64Url) {
  // Bytes 0xfb 0xff ... encode to '-' and '_' in base64url ('+' and '/' in standard base64).
  class FixedRandom final : public RandomSource {
   public:
    void fill(void* buffer, size_t size) override {
      auto* bytes = static_cast<unsigned char*>(buffer);
      for (size_t i = 0; i < size; ++i) bytes[i] = i % 2 == 0 ? 0xfb : 0xff;
    }
  } fixed;
  // Python: base64.urlsafe_b64encode(bytes([0xfb, 0xff] * 8)).rstrip(b'=') -> b'-__7__v_-__7__v_-__7_w'
  EXPECT_EQ(random_token(fixed, 16), "-__7__v_-__7__v_-__7_w");
}

TEST(RandomTokenDeathTest, TooShortATokenIsAProgrammerError) {
  SystemRandom random;
  EXPECT_DEATH(random_token(random, 8), "token size");
}

class TokenDigestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<KeyRing> ring = KeyRing::open(temp_.path() + "/keys", "token", random_);
    ASSERT_TRUE(ring.ok()) << ring.error().message;
    keys_.emplace(std::move(ring).value());
  }

  TempDirectory temp_;
  SystemRandom random_;
  std::optional<KeyRing> keys_;
};

TEST_F(TokenDigestTest, IsTheKeyedHashInTheTokenDomain) {
  std::string token = random_token(random_);
  Digest digest = token_digest(*keys_, token);
  EXPECT_TRUE(digests_equal(digest, keyed_hash(*keys_, 1, "token", token)));
  EXPECT_TRUE(digests_equal(digest, token_digest(*keys_, token)));
  EXPECT_FALSE(digests_equal(digest, token_digest(*keys_, random_token(random_))));
  EXPECT_FALSE(digests_equal(digest, keyed_hash(*keys_, 1, "phone", token)));
  EXPECT_EQ(to_hex(digest).find(token), std::string::npos);
}

TEST_F(TokenDigestTest, UsesTheCurrentKey) {
  std::string token = random_token(random_);
  Digest before = token_digest(*keys_, token);
  ASSERT_TRUE(keys_->rotate(random_).ok());
  Digest after = token_digest(*keys_, token);
  EXPECT_FALSE(digests_equal(before, after));
  EXPECT_TRUE(digests_equal(after, keyed_hash(*keys_, 2, "token", token)));
}

// Known answer, computed with Python 3's hashlib:
//   hashlib.blake2b(struct.pack('<Q', 5) + b'token' + b'abc', key=bytes(range(32)),
//                   digest_size=32).hexdigest()
TEST(TokenDigest, MatchesKnownAnswer) {
  TempDirectory temp;
  SystemRandom random;
  testing::write_file(temp.path() + "/token-1.key", std::string(testing::kCountingKeyHex), 0600);
  ASSERT_EQ(::chmod(temp.path().c_str(), 0700), 0);
  Result<KeyRing> ring = KeyRing::open(temp.path(), "token", random);
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_EQ(to_hex(token_digest(*ring, "abc")),
            "19027006b256e6b53be0c9f874f11fd8c3ab48c72ad2d789848b0534b006e304");
}

TEST(ToHex, IsLowerCaseAnd64Characters) {
  Digest digest{};
  for (size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<uint8_t>(0xf0 + i % 16);
  std::string hex = to_hex(digest);
  EXPECT_EQ(hex.size(), 64u);
  EXPECT_EQ(hex.substr(0, 8), "f0f1f2f3");
}

}  // namespace
}  // namespace mpay::security
