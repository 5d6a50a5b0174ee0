#include "security/key_ring.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <set>
#include <string>

#include "key_file_helpers.h"
#include "support/temp_directory.h"

namespace mpay::security {
namespace {

using mpay::testing::TempDirectory;
using testing::file_mode;
using testing::kCountingKeyHex;
using testing::read_file;
using testing::write_file;

std::string hex_of(const Key& key) {
  char hex[Key::kBytes * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), key.bytes(), Key::kBytes);
  return hex;
}

std::set<std::string> names_in(const std::string& directory) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

class KeyRingTest : public ::testing::Test {
 protected:
  Result<KeyRing> open_ring(std::string_view purpose = "pin") {
    return KeyRing::open(keys_directory_, purpose, random_);
  }
  std::string key_path(const std::string& name) const { return keys_directory_ + "/" + name; }

  TempDirectory temp_;
  std::string keys_directory_ = temp_.path() + "/keys";
  SystemRandom random_;
};

TEST_F(KeyRingTest, FirstOpenCreatesKeyOneWithPrivateModes) {
  Result<KeyRing> ring = open_ring();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_EQ(ring->current_id(), 1u);
  ASSERT_NE(ring->find(1), nullptr);
  EXPECT_EQ(ring->find(1)->id(), 1u);
  EXPECT_EQ(ring->find(0), nullptr);
  EXPECT_EQ(ring->find(2), nullptr);

  EXPECT_EQ(file_mode(keys_directory_), 0700);
  EXPECT_EQ(file_mode(key_path("pin-1.key")), 0600);
  EXPECT_EQ(read_file(key_path("pin-1.key")), hex_of(*ring->find(1)) + "\n");
  EXPECT_EQ(names_in(keys_directory_), std::set<std::string>{"pin-1.key"});  // no temporary left
}

TEST_F(KeyRingTest, ModesArePrivateWhateverTheUmask) {
  mode_t previous = ::umask(0);
  keys_directory_ = temp_.path() + "/deeper/still/keys";
  Result<KeyRing> ring = open_ring();
  ::umask(previous);
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_EQ(file_mode(temp_.path() + "/deeper"), 0700);
  EXPECT_EQ(file_mode(temp_.path() + "/deeper/still"), 0700);
  EXPECT_EQ(file_mode(keys_directory_), 0700);
  EXPECT_EQ(file_mode(key_path("pin-1.key")), 0600);
}

TEST_F(KeyRingTest, ReopeningLoadsTheSameKey) {
  std::string first_hex;
  {
    Result<KeyRing> ring = open_ring();
    ASSERT_TRUE(ring.ok()) << ring.error().message;
    first_hex = hex_of(*ring->find(1));
  }
  Result<KeyRing> again = open_ring();
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->current_id(), 1u);
  EXPECT_EQ(hex_of(*again->find(1)), first_hex);
  EXPECT_EQ(names_in(keys_directory_).size(), 1u);
}

TEST_F(KeyRingTest, LoadsAHandWrittenKeyWithOrWithoutNewline) {
  ASSERT_EQ(::mkdir(keys_directory_.c_str(), 0700), 0);
  write_file(key_path("pin-1.key"), std::string(kCountingKeyHex) + "\n", 0600);
  write_file(key_path("pii-1.key"), std::string(kCountingKeyHex), 0400);
  for (std::string_view purpose : {"pin", "pii"}) {
    Result<KeyRing> ring = open_ring(purpose);
    ASSERT_TRUE(ring.ok()) << ring.error().message;
    for (size_t i = 0; i < Key::kBytes; ++i) EXPECT_EQ(ring->find(1)->bytes()[i], i);
  }
}

TEST_F(KeyRingTest, PurposesSharingADirectoryHaveTheirOwnKeys) {
  Result<KeyRing> pin = open_ring("pin");
  Result<KeyRing> pii = open_ring("pii");
  ASSERT_TRUE(pin.ok() && pii.ok());
  EXPECT_NE(hex_of(*pin->find(1)), hex_of(*pii->find(1)));
  EXPECT_EQ(names_in(keys_directory_), (std::set<std::string>{"pii-1.key", "pin-1.key"}));
}

TEST_F(KeyRingTest, RefusesAKeyFileOthersCanReadOrWrite) {
  ASSERT_TRUE(open_ring().ok());
  std::string path = key_path("pin-1.key");
  std::string secret = read_file(path).substr(0, 64);
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602, 0660, 0610}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    Result<KeyRing> ring = open_ring();
    ASSERT_FALSE(ring.ok()) << std::oct << mode;
    EXPECT_EQ(ring.error().code, "key_file_insecure");
    EXPECT_NE(ring.error().message.find("run: chmod 600 " + path), std::string::npos)
        << ring.error().message;
    EXPECT_EQ(ring.error().message.find(secret), std::string::npos);  // never the key itself
  }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_TRUE(open_ring().ok());
}

TEST_F(KeyRingTest, RefusesKeyFilesOfTheWrongSizeOrFormat) {
  ASSERT_EQ(::mkdir(keys_directory_.c_str(), 0700), 0);
  std::string valid = kCountingKeyHex;
  const std::string contents[] = {
      "",
      valid.substr(0, 63),
      valid.substr(0, 63) + "\n",
      valid + "\n\n",
      valid + "x",
      valid + " ",
      "g" + valid.substr(1),
      " " + valid.substr(1),
      std::string(64, '0'),  // an all-zero key
      std::string(32, 'A'),  // raw bytes are not the format
  };
  for (const std::string& content : contents) {
    write_file(key_path("pin-1.key"), content, 0600);
    Result<KeyRing> ring = open_ring();
    ASSERT_FALSE(ring.ok()) << "accepted: '" << content << "'";
    EXPECT_EQ(ring.error().code, "key_file_invalid") << ring.error().message;
    EXPECT_NE(ring.error().message.find(key_path("pin-1.key")), std::string::npos);
  }
}

TEST_F(KeyRingTest, RefusesMalformedKeyFileNames) {
  for (const char* name : {"pin-0.key", "pin-01.key", "pin-x.key", "pin-.key", "pin--1.key",
                           "pin-+1.key", "pin-4294967296.key", "pin-1-old.key"}) {
    TempDirectory temp;
    keys_directory_ = temp.path();
    ASSERT_EQ(::chmod(keys_directory_.c_str(), 0700), 0);
    write_file(key_path(name), std::string(kCountingKeyHex) + "\n", 0600);
    Result<KeyRing> ring = open_ring();
    ASSERT_FALSE(ring.ok()) << name;
    EXPECT_EQ(ring.error().code, "key_file_invalid");
    EXPECT_NE(ring.error().message.find(name), std::string::npos) << ring.error().message;
  }
}

TEST_F(KeyRingTest, IgnoresOtherPurposesHiddenFilesAndOtherSuffixes) {
  ASSERT_EQ(::mkdir(keys_directory_.c_str(), 0700), 0);
  write_file(key_path("pinx-1.key"), "junk", 0644);
  write_file(key_path("pii-1.key"), "junk", 0644);
  write_file(key_path(".pin-1.key.0011223344556677.tmp"), "junk", 0644);
  write_file(key_path("pin-1.key.bak"), "junk", 0644);
  write_file(key_path("README"), "junk", 0644);
  Result<KeyRing> ring = open_ring();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_EQ(ring->current_id(), 1u);
  EXPECT_EQ(file_mode(key_path("pin-1.key")), 0600);
}

TEST_F(KeyRingTest, AcceptsAKeyFileLinkedIntoPlace) {
  // Secret stores such as Kubernetes secret volumes link key files into the directory.
  ASSERT_EQ(::mkdir(keys_directory_.c_str(), 0700), 0);
  std::string target = temp_.path() + "/stored-secret";
  write_file(target, std::string(kCountingKeyHex) + "\n", 0600);
  ASSERT_EQ(::symlink(target.c_str(), key_path("pin-1.key").c_str()), 0);
  Result<KeyRing> ring = open_ring();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_EQ(hex_of(*ring->find(1)), kCountingKeyHex);
  ASSERT_EQ(::chmod(target.c_str(), 0644), 0);  // the mode that counts is the target's
  ring = open_ring();
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.error().code, "key_file_insecure");
}

TEST_F(KeyRingTest, RefusesADirectoryOthersCanWrite) {
  ASSERT_EQ(::mkdir(keys_directory_.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(keys_directory_.c_str(), 0770), 0);
  Result<KeyRing> ring = open_ring();
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.error().code, "key_directory_insecure");
  EXPECT_NE(ring.error().message.find("run: chmod 700 " + keys_directory_), std::string::npos);
  ASSERT_EQ(::chmod(keys_directory_.c_str(), 0755), 0);  // listable is fine: names are no secret
  EXPECT_TRUE(open_ring().ok());
}

TEST_F(KeyRingTest, RefusesADirectoryPathThatIsAFile) {
  write_file(keys_directory_, "not a directory", 0600);
  Result<KeyRing> ring = open_ring();
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.error().code, "key_directory_unusable");
}

TEST_F(KeyRingTest, RotationAddsTheNextKeyAndKeepsTheOldOnes) {
  Result<KeyRing> ring = open_ring();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  std::string first_hex = hex_of(*ring->find(1));
  const Key* first = ring->find(1);

  Result<uint32_t> rotated = ring->rotate(random_);
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_EQ(*rotated, 2u);
  EXPECT_EQ(ring->current_id(), 2u);
  EXPECT_EQ(ring->find(1), first);  // keys never move
  ASSERT_NE(ring->find(2), nullptr);
  EXPECT_NE(hex_of(*ring->find(2)), first_hex);
  EXPECT_EQ(file_mode(key_path("pin-2.key")), 0600);
  EXPECT_EQ(names_in(keys_directory_), (std::set<std::string>{"pin-1.key", "pin-2.key"}));

  std::string second_hex = hex_of(*ring->find(2));
  Result<KeyRing> reopened = open_ring();
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(reopened->current_id(), 2u);
  EXPECT_EQ(hex_of(*reopened->find(1)), first_hex);
  EXPECT_EQ(hex_of(*reopened->find(2)), second_hex);
}

TEST_F(KeyRingTest, RotationNeverOverwritesAKeyAnotherProcessAdded) {
  Result<KeyRing> first = open_ring();
  Result<KeyRing> second = open_ring();
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(first->rotate(random_).ok());
  std::string written = read_file(key_path("pin-2.key"));
  Result<uint32_t> conflict = second->rotate(random_);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, "key_rotation_conflict");
  EXPECT_EQ(second->current_id(), 1u);
  EXPECT_EQ(read_file(key_path("pin-2.key")), written);
  EXPECT_EQ(names_in(keys_directory_).size(), 2u);  // the temporary file is gone
}

TEST_F(KeyRingTest, TheHighestIdIsCurrentEvenWithGaps) {
  ASSERT_EQ(::mkdir(keys_directory_.c_str(), 0700), 0);
  write_file(key_path("pin-1.key"), std::string(kCountingKeyHex) + "\n", 0600);
  write_file(key_path("pin-10.key"), std::string(64, 'a') + "\n", 0600);
  write_file(key_path("pin-3.key"), std::string(64, 'b') + "\n", 0600);
  Result<KeyRing> ring = open_ring();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_EQ(ring->current_id(), 10u);
  EXPECT_NE(ring->find(1), nullptr);
  EXPECT_EQ(ring->find(2), nullptr);
  EXPECT_NE(ring->find(3), nullptr);
  EXPECT_EQ(hex_of(*ring->find(10)), std::string(64, 'a'));
}

TEST_F(KeyRingTest, RefusesToRotatePastTheLargestId) {
  ASSERT_EQ(::mkdir(keys_directory_.c_str(), 0700), 0);
  write_file(key_path("pin-4294967295.key"), std::string(kCountingKeyHex) + "\n", 0600);
  Result<KeyRing> ring = open_ring();
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  Result<uint32_t> rotated = ring->rotate(random_);
  ASSERT_FALSE(rotated.ok());
  EXPECT_EQ(rotated.error().code, "key_id_exhausted");
}

TEST_F(KeyRingTest, MovingTheRingKeepsKeysInPlace) {
  Result<KeyRing> ring = open_ring();
  ASSERT_TRUE(ring.ok());
  const Key* key = ring->find(1);
  KeyRing moved = std::move(ring).value();
  EXPECT_EQ(moved.find(1), key);
  KeyRing assigned = std::move(moved);
  EXPECT_EQ(assigned.find(1), key);
  EXPECT_EQ(assigned.current_id(), 1u);
}

TEST_F(KeyRingTest, SeededRandomMakesReproducibleKeys) {
  // Keys come only from the RandomSource given to open(), so tests can control them.
  SeededRandom seeded_a(7);
  SeededRandom seeded_b(7);
  TempDirectory other;
  Result<KeyRing> a = KeyRing::open(keys_directory_, "pin", seeded_a);
  Result<KeyRing> b = KeyRing::open(other.path() + "/keys", "pin", seeded_b);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(hex_of(*a->find(1)), hex_of(*b->find(1)));
}

}  // namespace
}  // namespace mpay::security
