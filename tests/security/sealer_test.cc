#include "security/sealer.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "support/temp_directory.h"

namespace mpay::security {
namespace {

using mpay::testing::TempDirectory;

class SealerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<KeyRing> ring = KeyRing::open(temp_.path() + "/keys", "pii", random_);
    ASSERT_TRUE(ring.ok()) << ring.error().message;
    keys_.emplace(std::move(ring).value());
  }

  TempDirectory temp_;
  SystemRandom random_;
  std::optional<KeyRing> keys_;
};

TEST_F(SealerTest, OpensWhatItSealed) {
  Sealer sealer(*keys_, random_);
  for (std::string plaintext : {std::string(), std::string("Amina Juma"),
                                std::string("\0binary\xff", 8), std::string(10000, 'x')}) {
    std::string sealed = sealer.seal(plaintext, "user:42:name");
    EXPECT_EQ(sealed.size(), plaintext.size() + kSealedOverheadBytes);
    Result<std::string> opened = sealer.open(sealed, "user:42:name");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST_F(SealerTest, TheSealedFormHasVersionKeyIdAndAFreshNonce) {
  Sealer sealer(*keys_, random_);
  std::string first = sealer.seal("Amina Juma", "user:42:name");
  std::string second = sealer.seal("Amina Juma", "user:42:name");
  EXPECT_EQ(static_cast<uint8_t>(first[0]), kSealedFormatVersion);
  EXPECT_EQ(first.substr(1, 4), std::string("\x01\x00\x00\x00", 4));  // key id 1, little-endian
  EXPECT_NE(first.substr(5, kSealedNonceBytes), second.substr(5, kSealedNonceBytes));
  EXPECT_NE(first, second);
  EXPECT_EQ(first.find("Amina"), std::string::npos);
  Result<uint32_t> key_id = Sealer::key_id_of(first);
  ASSERT_TRUE(key_id.ok());
  EXPECT_EQ(*key_id, 1u);
}

TEST_F(SealerTest, ChangingAnyByteOfTheSealedFormFails) {
  Sealer sealer(*keys_, random_);
  std::string sealed = sealer.seal("TZ-1234567", "user:42:document_number");
  for (size_t i = 0; i < sealed.size(); ++i) {
    for (unsigned char flip : {0x01, 0x80}) {
      std::string changed = sealed;
      changed[i] = static_cast<char>(changed[i] ^ flip);
      Result<std::string> opened = sealer.open(changed, "user:42:document_number");
      EXPECT_FALSE(opened.ok()) << "byte " << i;
      if (i >= kSealedHeaderBytes && !opened.ok()) {
        EXPECT_EQ(opened.error().code, "sealed_data_tampered") << "byte " << i;
      }
    }
  }
}

TEST_F(SealerTest, TruncatedOrExtendedDataFails) {
  Sealer sealer(*keys_, random_);
  std::string sealed = sealer.seal("Amina Juma", "user:42:name");
  for (size_t size = 0; size < sealed.size(); ++size) {
    Result<std::string> opened = sealer.open(sealed.substr(0, size), "user:42:name");
    ASSERT_FALSE(opened.ok()) << size;
    EXPECT_EQ(opened.error().code,
              size < kSealedOverheadBytes ? "sealed_data_invalid" : "sealed_data_tampered");
  }
  EXPECT_FALSE(sealer.open(sealed + "x", "user:42:name").ok());
}

TEST_F(SealerTest, AnUnknownVersionIsInvalid) {
  Sealer sealer(*keys_, random_);
  std::string sealed = sealer.seal("Amina Juma", "user:42:name");
  sealed[0] = 2;
  Result<std::string> opened = sealer.open(sealed, "user:42:name");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, "sealed_data_invalid");
}

TEST_F(SealerTest, WrongAssociatedDataFails) {
  Sealer sealer(*keys_, random_);
  std::string name = sealer.seal("Amina Juma", "user:42:name");
  for (const char* associated_data : {"user:43:name", "user:42:document_number", "", "user:42:nam",
                                      "user:42:name "}) {
    Result<std::string> opened = sealer.open(name, associated_data);
    ASSERT_FALSE(opened.ok()) << associated_data;
    EXPECT_EQ(opened.error().code, "sealed_data_tampered");
    EXPECT_EQ(opened.error().message.find("Amina"), std::string::npos);
  }
}

TEST_F(SealerTest, AnUnknownKeyIdIsReported) {
  Sealer sealer(*keys_, random_);
  std::string sealed = sealer.seal("Amina Juma", "user:42:name");
  sealed[1] = 9;  // key id 9
  Result<std::string> opened = sealer.open(sealed, "user:42:name");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, "sealed_data_unknown_key");
}

TEST_F(SealerTest, AfterRotationOldDataOpensAndNewDataUsesTheNewKey) {
  Sealer sealer(*keys_, random_);
  std::string old_sealed = sealer.seal("Amina Juma", "user:42:name");
  ASSERT_TRUE(keys_->rotate(random_).ok());

  Result<std::string> old_opened = sealer.open(old_sealed, "user:42:name");
  ASSERT_TRUE(old_opened.ok()) << old_opened.error().message;
  EXPECT_EQ(*old_opened, "Amina Juma");

  std::string new_sealed = sealer.seal("Amina Juma", "user:42:name");
  EXPECT_EQ(*Sealer::key_id_of(new_sealed), 2u);
  EXPECT_EQ(*Sealer::key_id_of(old_sealed), 1u);
  EXPECT_EQ(*sealer.open(new_sealed, "user:42:name"), "Amina Juma");

  // Claiming the old data was sealed under the new key fails: the key id is authenticated.
  std::string relabelled = old_sealed;
  relabelled[1] = 2;
  Result<std::string> relabelled_opened = sealer.open(relabelled, "user:42:name");
  ASSERT_FALSE(relabelled_opened.ok());
  EXPECT_EQ(relabelled_opened.error().code, "sealed_data_tampered");
}

TEST_F(SealerTest, SealedDataSurvivesARestart) {
  std::string sealed = Sealer(*keys_, random_).seal("Amina Juma", "user:42:name");
  Result<KeyRing> reopened = KeyRing::open(temp_.path() + "/keys", "pii", random_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*Sealer(*reopened, random_).open(sealed, "user:42:name"), "Amina Juma");
}

TEST_F(SealerTest, AnotherKeyRingCannotOpen) {
  std::string sealed = Sealer(*keys_, random_).seal("Amina Juma", "user:42:name");
  TempDirectory other_directory;
  Result<KeyRing> other = KeyRing::open(other_directory.path(), "pii", random_);
  ASSERT_TRUE(other.ok());
  Result<std::string> opened = Sealer(*other, random_).open(sealed, "user:42:name");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, "sealed_data_tampered");
}

}  // namespace
}  // namespace mpay::security
