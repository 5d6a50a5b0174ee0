#include "security/keyed_hash.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "key_file_helpers.h"
#include "security/tokens.h"
#include "support/temp_directory.h"

namespace mpay::security {
namespace {

using mpay::testing::TempDirectory;

class KeyedHashTest : public ::testing::Test {
 protected:
  KeyRing open_ring(const std::string& purpose) {
    Result<KeyRing> ring = KeyRing::open(temp_.path() + "/keys", purpose, random_);
    if (!ring.ok()) ADD_FAILURE() << ring.error().message;
    return std::move(ring).value();
  }
  // A ring whose key 1 is 00 01 02 ... 1f.
  KeyRing counting_ring() {
    std::string directory = temp_.path() + "/counting";
    ::mkdir(directory.c_str(), 0700);
    testing::write_file(directory + "/lookup-1.key", std::string(testing::kCountingKeyHex) + "\n",
                        0600);
    Result<KeyRing> ring = KeyRing::open(directory, "lookup", random_);
    if (!ring.ok()) ADD_FAILURE() << ring.error().message;
    return std::move(ring).value();
  }

  TempDirectory temp_;
  SystemRandom random_;
};

// Known answer, computed independently of libsodium and of this code with Python 3's hashlib:
//   import hashlib, struct
//   key = bytes(range(32))
//   hashlib.blake2b(struct.pack('<Q', 5) + b'phone' + b'+255712345678',
//                   key=key, digest_size=32).hexdigest()
// i.e. keyed BLAKE2b-256 over u64_le(len(domain)) || domain || message (keyed_hash.h).
TEST_F(KeyedHashTest, MatchesKeyedBlake2bKnownAnswer) {
  KeyRing ring = counting_ring();
  Digest digest = keyed_hash(ring, 1, "phone", "+255712345678");
  EXPECT_EQ(to_hex(digest), "f6e2d85b67b0d814f60bb5173cd10d0ff4db8765e25a47c438402c7abf299bd3");
}

TEST_F(KeyedHashTest, IsDeterministicForTheSameKeyDomainAndMessage) {
  KeyRing ring = open_ring("lookup");
  EXPECT_TRUE(digests_equal(keyed_hash(ring, 1, "phone", "+255712345678"),
                            keyed_hash(ring, 1, "phone", "+255712345678")));
  EXPECT_FALSE(digests_equal(keyed_hash(ring, 1, "phone", "+255712345678"),
                             keyed_hash(ring, 1, "phone", "+255712345679")));
}

TEST_F(KeyedHashTest, DomainsSeparate) {
  KeyRing ring = open_ring("lookup");
  EXPECT_FALSE(digests_equal(keyed_hash(ring, 1, "phone", "x"), keyed_hash(ring, 1, "email", "x")));
  // The domain's length prefix keeps the boundary from shifting.
  EXPECT_FALSE(digests_equal(keyed_hash(ring, 1, "ab", "c"), keyed_hash(ring, 1, "a", "bc")));
  EXPECT_FALSE(digests_equal(keyed_hash(ring, 1, "", "abc"), keyed_hash(ring, 1, "abc", "")));
}

TEST_F(KeyedHashTest, KeysSeparate) {
  KeyRing lookup = open_ring("lookup");
  KeyRing other = open_ring("other");
  Digest under_lookup = keyed_hash(lookup, 1, "phone", "+255712345678");
  EXPECT_FALSE(digests_equal(under_lookup, keyed_hash(other, 1, "phone", "+255712345678")));
  ASSERT_TRUE(lookup.rotate(random_).ok());
  EXPECT_FALSE(digests_equal(under_lookup, keyed_hash(lookup, 2, "phone", "+255712345678")));
  EXPECT_TRUE(digests_equal(under_lookup, keyed_hash(lookup, 1, "phone", "+255712345678")));
}

TEST_F(KeyedHashTest, DigestsEqualComparesEveryByte) {
  Digest a{};
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(i);
  EXPECT_TRUE(digests_equal(a, a));
  for (size_t i = 0; i < a.size(); ++i) {
    Digest b = a;
    b[i] ^= 0x80;
    EXPECT_FALSE(digests_equal(a, b)) << i;
  }
}

TEST(KeyedHashDeathTest, AnUnknownKeyIdIsAProgrammerError) {
  TempDirectory temp;
  SystemRandom random;
  Result<KeyRing> ring = KeyRing::open(temp.path(), "lookup", random);
  ASSERT_TRUE(ring.ok());
  EXPECT_DEATH(keyed_hash(*ring, 2, "phone", "x"), "key id");
}

}  // namespace
}  // namespace mpay::security
