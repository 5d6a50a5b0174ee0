#include "security/sha256.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace mpay::security {
namespace {

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  return to_hex(sha256(parts));
}

std::string hmac_hex(std::string_view key, std::initializer_list<std::string_view> parts) {
  return to_hex(hmac_sha256(key, parts));
}

// FIPS 180-2 appendix B examples.
TEST(Sha256, MatchesTheStandardsExamples) {
  EXPECT_EQ(sha256_hex({"abc"}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex({""}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex({"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"}),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, HashesThePartsAsOneMessage) {
  EXPECT_EQ(sha256_hex({"a", "", "bc"}), sha256_hex({"abc"}));
  EXPECT_NE(sha256_hex({"ab"}), sha256_hex({"abc"}));
}

// RFC 4231 test cases 1, 2 and 6 (a key longer than SHA-256's 64-byte block is hashed first).
TEST(HmacSha256, MatchesRfc4231) {
  EXPECT_EQ(hmac_hex(std::string(20, '\x0b'), {"Hi There"}),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmac_hex("Jefe", {"what do ya want for nothing?"}),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hmac_hex(std::string(131, '\xaa'),
                     {"Test Using Larger Than Block-Size Key - Hash Key First"}),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, HashesThePartsAsOneMessage) {
  EXPECT_EQ(hmac_hex("Jefe", {"what do ya ", "want", "", " for nothing?"}),
            hmac_hex("Jefe", {"what do ya want for nothing?"}));
}

// The context is kept per thread and re-keyed per call: no call may see the key of the one
// before it. OpenSSL treats a null key as "keep the previous key", so the empty key is the case
// that would show it.
TEST(HmacSha256, EveryCallUsesItsOwnKey) {
  const std::string empty_key_empty_message =
      "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
  EXPECT_EQ(hmac_hex("", {""}), empty_key_empty_message);
  EXPECT_EQ(hmac_hex("Jefe", {"what do ya want for nothing?"}),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hmac_hex(std::string_view{}, {""}), empty_key_empty_message);  // a null data()
  EXPECT_NE(hmac_hex("key one", {"message"}), hmac_hex("key two", {"message"}));
}

TEST(HmacSha256, GivesTheSameAnswersOnEveryThread) {
  const std::string expected = hmac_hex("Jefe", {"what do ya want for nothing?"});
  const std::string expected_long_key = hmac_hex(
      std::string(131, '\xaa'), {"Test Using Larger Than Block-Size Key - Hash Key First"});
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        bool long_key = (i + t) % 2 == 0;
        std::string got = long_key
                              ? hmac_hex(std::string(131, '\xaa'),
                                         {"Test Using Larger Than Block-Size Key - Hash Key First"})
                              : hmac_hex("Jefe", {"what do ya want for nothing?"});
        if (got != (long_key ? expected_long_key : expected)) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int count : mismatches) EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace mpay::security
