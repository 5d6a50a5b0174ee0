#include "security/pin_hasher.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <optional>
#include <string>

#include "key_file_helpers.h"
#include "security/tokens.h"
#include "support/temp_directory.h"

namespace mpay::security {
namespace {

using mpay::testing::TempDirectory;

class PinHasherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<KeyRing> ring = KeyRing::open(temp_.path() + "/keys", "pin", random_);
    ASSERT_TRUE(ring.ok()) << ring.error().message;
    keys_.emplace(std::move(ring).value());
  }

  TempDirectory temp_;
  SystemRandom random_;
  std::optional<KeyRing> keys_;
};

TEST_F(PinHasherTest, TheRightPinMatchesAndAWrongOneDoesNot) {
  PinHasher hasher(*keys_);
  PinHash stored = hasher.hash("user-1", "123456");
  EXPECT_EQ(stored.key_id, 1u);
  EXPECT_EQ(hasher.verify("user-1", "123456", stored), PinCheck::match);
  EXPECT_EQ(hasher.verify("user-1", "123457", stored), PinCheck::mismatch);
  EXPECT_EQ(hasher.verify("user-1", "", stored), PinCheck::mismatch);
  EXPECT_EQ(hasher.verify("user-2", "123456", stored), PinCheck::mismatch);
}

TEST_F(PinHasherTest, TheSamePinOfTwoUsersHashesDifferently) {
  PinHasher hasher(*keys_);
  EXPECT_FALSE(
      digests_equal(hasher.hash("user-1", "123456").digest, hasher.hash("user-2", "123456").digest));
  // The user id's length prefix keeps ("user-1", "23456..") apart from ("user-12", "3456..").
  EXPECT_FALSE(
      digests_equal(hasher.hash("user-1", "234567").digest, hasher.hash("user-12", "34567").digest));
}

TEST_F(PinHasherTest, AChangedDigestIsAMismatch) {
  PinHasher hasher(*keys_);
  PinHash stored = hasher.hash("user-1", "123456");
  for (size_t i = 0; i < stored.digest.size(); ++i) {
    PinHash changed = stored;
    changed.digest[i] ^= 1;
    EXPECT_EQ(hasher.verify("user-1", "123456", changed), PinCheck::mismatch) << i;
  }
}

TEST_F(PinHasherTest, AnUnknownKeyIdIsAMismatch) {
  PinHasher hasher(*keys_);
  PinHash stored = hasher.hash("user-1", "123456");
  stored.key_id = 7;
  EXPECT_EQ(hasher.verify("user-1", "123456", stored), PinCheck::mismatch);
  stored.key_id = 0;
  EXPECT_EQ(hasher.verify("user-1", "123456", stored), PinCheck::mismatch);
}

TEST_F(PinHasherTest, AfterRotationOldHashesMatchAndAskForARehash) {
  PinHasher hasher(*keys_);
  PinHash old_hash = hasher.hash("user-1", "123456");
  ASSERT_TRUE(keys_->rotate(random_).ok());

  EXPECT_EQ(hasher.verify("user-1", "123456", old_hash), PinCheck::match_needs_rehash);
  EXPECT_EQ(hasher.verify("user-1", "654321", old_hash), PinCheck::mismatch);

  PinHash new_hash = hasher.hash("user-1", "123456");
  EXPECT_EQ(new_hash.key_id, 2u);
  EXPECT_FALSE(digests_equal(new_hash.digest, old_hash.digest));
  EXPECT_EQ(hasher.verify("user-1", "123456", new_hash), PinCheck::match);
  // The nested name works too.
  EXPECT_EQ(hasher.verify("user-1", "123456", new_hash), PinHasher::PinCheck::match);
}

TEST_F(PinHasherTest, AHashSurvivesARestart) {
  PinHash stored = PinHasher(*keys_).hash("user-1", "123456");
  Result<KeyRing> reopened = KeyRing::open(temp_.path() + "/keys", "pin", random_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(PinHasher(*reopened).verify("user-1", "123456", stored), PinCheck::match);
}

TEST_F(PinHasherTest, AnotherKeyRejectsTheRightPin) {
  // What a stolen database without the key file gives an attacker: nothing to check guesses on.
  PinHash stored = PinHasher(*keys_).hash("user-1", "123456");
  TempDirectory other_directory;
  Result<KeyRing> other = KeyRing::open(other_directory.path(), "pin", random_);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(PinHasher(*other).verify("user-1", "123456", stored), PinCheck::mismatch);
}

// Known answer, computed independently with Python 3's hashlib:
//   import hashlib, struct
//   key = bytes(range(32))
//   hashlib.blake2b(struct.pack('<Q', 3) + b'pin' + struct.pack('<Q', 6) + b'user-1' + b'123456',
//                   key=key, digest_size=32).hexdigest()
// It pins the stored PIN hash format: changing it would lock every user out.
TEST_F(PinHasherTest, MatchesKnownAnswer) {
  std::string directory = temp_.path() + "/counting";
  ASSERT_EQ(::mkdir(directory.c_str(), 0700), 0);
  testing::write_file(directory + "/pin-1.key", std::string(testing::kCountingKeyHex) + "\n", 0600);
  Result<KeyRing> ring = KeyRing::open(directory, "pin", random_);
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  PinHash stored = PinHasher(*ring).hash("user-1", "123456");
  EXPECT_EQ(stored.key_id, 1u);
  EXPECT_EQ(to_hex(stored.digest),
            "7e636f3b6192c516482073a2bb4e90cb84468b1df43e5fc5b74dbebd0021bd9b");
}

}  // namespace
}  // namespace mpay::security
