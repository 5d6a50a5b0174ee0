#include "payments/merchant/nonce_memory.h"

#include <gtest/gtest.h>

#include <string>

namespace mpay::merchant {
namespace {

TEST(NonceFormat, OneToSixtyFourOfTheUrlSafeAlphabet) {
  EXPECT_TRUE(is_valid_nonce("a"));
  EXPECT_TRUE(is_valid_nonce("n0nce_2026-01-01"));
  EXPECT_TRUE(is_valid_nonce(std::string(64, 'Z')));
  EXPECT_FALSE(is_valid_nonce(""));
  EXPECT_FALSE(is_valid_nonce(std::string(65, 'Z')));
  for (const char* bad : {"a b", "a+b", "a/b", "a=b", "a.b", "ä", "a\nb"}) EXPECT_FALSE(is_valid_nonce(bad)) << bad;
}

TEST(NonceMemory, ASecondUseIsRefusedUntilTheNonceExpires) {
  SeededRandom random(1);
  NonceMemory memory({}, random);
  EXPECT_EQ(memory.remember("mk_a", "n1", 1000, 500), NonceOutcome::fresh);
  EXPECT_EQ(memory.remember("mk_a", "n1", 1000, 600), NonceOutcome::reused);
  // Nonces are per key.
  EXPECT_EQ(memory.remember("mk_b", "n1", 1000, 600), NonceOutcome::fresh);
  EXPECT_EQ(memory.size(), 2u);
  // Once expired (now >= expiry) the entry is dropped at the key's next request.
  EXPECT_EQ(memory.remember("mk_a", "n2", 2000, 1000), NonceOutcome::fresh);
  EXPECT_EQ(memory.size(), 2u);
  EXPECT_EQ(memory.remember("mk_a", "n1", 2000, 1000), NonceOutcome::fresh);
}

TEST(NonceMemory, AFullKeyRefusesNewNoncesAndNeverForgetsALiveOne) {
  SeededRandom random(2);
  NonceMemory memory({.per_key_max = 3, .total_max = 100}, random);
  for (const char* nonce : {"a", "b", "c"}) EXPECT_EQ(memory.remember("mk_a", nonce, 1000, 0), NonceOutcome::fresh);
  EXPECT_EQ(memory.remember("mk_a", "d", 1000, 0), NonceOutcome::full);
  EXPECT_EQ(memory.remember("mk_a", "a", 1000, 0), NonceOutcome::reused);  // still remembered
  EXPECT_EQ(memory.remember("mk_b", "d", 1000, 0), NonceOutcome::fresh);   // other keys unaffected
  EXPECT_EQ(memory.remember("mk_a", "d", 1000, 1000), NonceOutcome::fresh);  // room again after expiry
}

TEST(NonceMemory, TheTotalBoundHoldsAcrossKeys) {
  SeededRandom random(3);
  NonceMemory memory({.per_key_max = 100, .total_max = 4}, random);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(memory.remember("mk_" + std::to_string(i), "n", 1000, 0), NonceOutcome::fresh);
  }
  EXPECT_EQ(memory.remember("mk_9", "n", 1000, 0), NonceOutcome::full);
  EXPECT_EQ(memory.size(), 4u);
  // Once they expire, the idle keys' entries are dropped to make room.
  EXPECT_EQ(memory.remember("mk_9", "n", 2000, 1000), NonceOutcome::fresh);
  EXPECT_EQ(memory.size(), 1u);
}

}  // namespace
}  // namespace mpay::merchant
