// SqliteIdempotencyStore: the api::IdempotencyStore contract on DATA/mpay.db, records kept across
// a reopen (completed ones; in-progress ones die with their process), expiry in bounded chunks,
// and scoping by principal.
#include "store/sqlite/sqlite_idempotency_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/clock.h"
#include "support/temp_directory.h"

namespace mpay::store::sqlite {
namespace {

using api::IdempotencyState;
using api::RequestDigest;
using api::StoredResponse;

constexpr int64_t kStartNs = 1'700'000'000'000'000'000;

RequestDigest digest_of(unsigned char fill) {
  RequestDigest digest{};
  digest.fill(fill);
  return digest;
}

class SqliteIdempotencyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open() {
    store_.reset();
    auto opened = SqliteIdempotencyStore::open(directory_.path() + "/data", clock_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(*opened);
  }
  IdempotencyState begin(std::string_view scope, std::string_view key, unsigned char digest,
                         int64_t now_ns = kStartNs, int64_t stale_before_ns = 0,
                         StoredResponse* response = nullptr) {
    auto begun = store_->begin(scope, key, digest_of(digest), now_ns, stale_before_ns);
    EXPECT_TRUE(begun.ok()) << begun.error().message;
    if (!begun.ok()) return IdempotencyState::proceed;
    if (response != nullptr) *response = begun->response;
    return begun->state;
  }

  testing::TempDirectory directory_;
  ManualClock clock_{kStartNs};
  std::unique_ptr<SqliteIdempotencyStore> store_;
};

TEST_F(SqliteIdempotencyStoreTest, CreatesMpayDbInTheDataDirectory) {
  EXPECT_TRUE(std::filesystem::exists(directory_.path() + "/data/mpay.db"));
}

TEST_F(SqliteIdempotencyStoreTest, ClaimThenInProgressThenReplay) {
  EXPECT_EQ(begin("operator", "k", 1), IdempotencyState::proceed);
  EXPECT_EQ(begin("operator", "k", 1), IdempotencyState::in_progress);
  EXPECT_EQ(begin("operator", "k", 2), IdempotencyState::mismatch);

  std::string body("{\"a\":1}\0binary\xff", 15);
  ASSERT_TRUE(store_->complete("operator", "k", {201, "application/json", body}).ok());
  StoredResponse replayed;
  EXPECT_EQ(begin("operator", "k", 1, kStartNs, 0, &replayed), IdempotencyState::replay);
  EXPECT_EQ(replayed.status, 201u);
  EXPECT_EQ(replayed.content_type, "application/json");
  EXPECT_EQ(replayed.body, body);
  EXPECT_EQ(begin("operator", "k", 2), IdempotencyState::mismatch);
}

TEST_F(SqliteIdempotencyStoreTest, AbandonFreesOnlyInProgressKeys) {
  EXPECT_EQ(begin("s", "running", 1), IdempotencyState::proceed);
  ASSERT_TRUE(store_->abandon("s", "running").ok());
  EXPECT_EQ(begin("s", "running", 2), IdempotencyState::proceed);

  EXPECT_EQ(begin("s", "done", 1), IdempotencyState::proceed);
  ASSERT_TRUE(store_->complete("s", "done", {200, "text/plain", "ok"}).ok());
  ASSERT_TRUE(store_->abandon("s", "done").ok());
  EXPECT_EQ(begin("s", "done", 1), IdempotencyState::replay);
  // Completing a key that is not in progress changes nothing.
  ASSERT_TRUE(store_->complete("s", "done", {500, "text/plain", "other"}).ok());
  StoredResponse replayed;
  EXPECT_EQ(begin("s", "done", 1, kStartNs, 0, &replayed), IdempotencyState::replay);
  EXPECT_EQ(replayed.body, "ok");
}

TEST_F(SqliteIdempotencyStoreTest, ScopesAreSeparate) {
  EXPECT_EQ(begin("alice", "k", 1), IdempotencyState::proceed);
  EXPECT_EQ(begin("bob", "k", 2), IdempotencyState::proceed);
  EXPECT_EQ(begin("alice", "k", 2), IdempotencyState::mismatch);
}

TEST_F(SqliteIdempotencyStoreTest, CompletedRecordsSurviveAReopenInProgressOnesDoNot) {
  EXPECT_EQ(begin("s", "done", 1), IdempotencyState::proceed);
  ASSERT_TRUE(store_->complete("s", "done", {200, "application/json", "[1]"}).ok());
  EXPECT_EQ(begin("s", "crashed", 1), IdempotencyState::proceed);

  open();
  StoredResponse replayed;
  EXPECT_EQ(begin("s", "done", 1, kStartNs, 0, &replayed), IdempotencyState::replay);
  EXPECT_EQ(replayed.body, "[1]");
  EXPECT_EQ(begin("s", "done", 2), IdempotencyState::mismatch);
  // The request that held "crashed" died with the old process: the key is free.
  EXPECT_EQ(begin("s", "crashed", 2), IdempotencyState::proceed);
}

TEST_F(SqliteIdempotencyStoreTest, StaleRecordsAreReclaimedByBegin) {
  EXPECT_EQ(begin("s", "k", 1, kStartNs), IdempotencyState::proceed);
  ASSERT_TRUE(store_->complete("s", "k", {200, "text/plain", "old"}).ok());
  // Created at kStartNs: stale once stale_before_ns is past it.
  EXPECT_EQ(begin("s", "k", 2, kStartNs + 10, kStartNs), IdempotencyState::mismatch);
  EXPECT_EQ(begin("s", "k", 2, kStartNs + 10, kStartNs + 1), IdempotencyState::proceed);
  EXPECT_EQ(begin("s", "k", 2, kStartNs + 11, kStartNs + 1), IdempotencyState::in_progress);
}

TEST_F(SqliteIdempotencyStoreTest, ExpireDeletesOldRecordsInChunks) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(begin("s", "old" + std::to_string(i), 1, kStartNs + i), IdempotencyState::proceed);
    ASSERT_TRUE(store_->complete("s", "old" + std::to_string(i), {200, "", ""}).ok());
  }
  EXPECT_EQ(begin("s", "young", 1, kStartNs + 100), IdempotencyState::proceed);

  auto first = store_->expire(kStartNs + 50, 3);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, 3u);
  auto second = store_->expire(kStartNs + 50, 3);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 2u);
  auto third = store_->expire(kStartNs + 50, 3);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(*third, 0u);

  // Expired keys are free; the young one is still held, also after a reopen.
  EXPECT_EQ(begin("s", "old0", 2), IdempotencyState::proceed);
  ASSERT_TRUE(store_->complete("s", "young", {200, "", "y"}).ok());
  open();
  EXPECT_EQ(begin("s", "young", 1), IdempotencyState::replay);
  EXPECT_EQ(*store_->expire(kStartNs + 50, 100), 0u);
}

}  // namespace
}  // namespace mpay::store::sqlite
