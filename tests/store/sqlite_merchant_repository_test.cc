// SqliteMerchantRepository on a real mpay.db: what is written comes back, pages follow creation
// order, uniqueness and missing rows are reported, a key's future reservation only ever rises.
#include "store/sqlite/sqlite_merchant_repository.h"

#include <gtest/gtest.h>

#include "support/temp_directory.h"

namespace mpay::store::sqlite {
namespace {

using merchant::KeyStatus;
using merchant::MerchantAccount;
using merchant::MerchantId;
using merchant::MerchantKeyRecord;
using merchant::MerchantRecord;
using merchant::MerchantStatus;

MerchantRecord merchant_record(uint64_t n) {
  MerchantRecord record;
  record.id = MerchantId(Id128{0x0190f4c27a3e7000 + n, n});
  record.legal_name = "Legal " + std::to_string(n);
  record.display_name = "Shop " + std::to_string(n);
  record.mcc = "5814";
  record.country = "CN";
  record.city = "Shanghai";
  record.fee_bps = 120;
  record.settlement_bank_code = "ICBC";
  record.settlement_account_sealed = std::string("\x01sealed\x00", 8);
  record.settlement_account_masked = "6222 **** **** 3445";
  record.settlement_holder_sealed = "sealed-holder";
  record.settlement_holder_masked = "S*";
  record.webhook_url = "https://shop.example/hook";
  record.webhook_secret_sealed = "sealed-webhook";
  record.accounts = {MerchantAccount{156, AccountId(Id128{n, 156})}, MerchantAccount{840, AccountId(Id128{n, 840})}};
  record.created_at_ns = static_cast<int64_t>(n) * 1000;
  record.updated_at_ns = record.created_at_ns;
  return record;
}

MerchantKeyRecord key_record(const MerchantId& merchant, const std::string& key_id, int64_t at_ns) {
  MerchantKeyRecord key;
  key.key_id = key_id;
  key.merchant_id = merchant;
  key.secret_sealed = "sealed-" + key_id;
  key.created_at_ns = at_ns;
  return key;
}

class SqliteMerchantRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteMerchantRepository::open(directory_.path(), clock_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    repository_ = std::move(*opened);
  }
  testing::TempDirectory directory_;
  ManualClock clock_{1'000'000'000};
  std::unique_ptr<SqliteMerchantRepository> repository_;
};

TEST_F(SqliteMerchantRepositoryTest, WhatIsWrittenComesBack) {
  MerchantRecord written = merchant_record(1);
  ASSERT_TRUE(repository_->insert_merchant(written, key_record(written.id, "mk_1", 10)).ok());
  auto found = repository_->find_merchant(written.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  const MerchantRecord& read = **found;
  EXPECT_EQ(read.display_name, "Shop 1");
  EXPECT_EQ(read.settlement_account_sealed, written.settlement_account_sealed);  // binary-safe
  ASSERT_EQ(read.accounts.size(), 2u);
  EXPECT_EQ(read.accounts[1].account_id, written.accounts[1].account_id);
  EXPECT_EQ(read.status, MerchantStatus::active);
  EXPECT_FALSE(repository_->find_merchant(MerchantId(Id128{9, 9}))->has_value());
  EXPECT_EQ(repository_->insert_merchant(written, key_record(written.id, "mk_2", 10)).error().code, "already_exists");
}

TEST_F(SqliteMerchantRepositoryTest, PagesFollowCreationOrder) {
  for (uint64_t n = 1; n <= 5; ++n) {
    MerchantRecord record = merchant_record(n);
    ASSERT_TRUE(repository_->insert_merchant(record, key_record(record.id, "mk_" + std::to_string(n), 10)).ok());
  }
  auto first = repository_->list_merchants(MerchantId(), 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[1].display_name, "Shop 2");
  auto rest = repository_->list_merchants((*first)[1].id, 10);
  ASSERT_EQ(rest->size(), 3u);
  EXPECT_EQ(rest->front().display_name, "Shop 3");
  EXPECT_EQ(repository_->all_merchants()->size(), 5u);
}

TEST_F(SqliteMerchantRepositoryTest, KeysStatusSecretsAndReservations) {
  MerchantRecord record = merchant_record(1);
  ASSERT_TRUE(repository_->insert_merchant(record, key_record(record.id, "mk_a", 10)).ok());
  ASSERT_TRUE(repository_->insert_key(key_record(record.id, "mk_b", 20)).ok());
  EXPECT_EQ(repository_->insert_key(key_record(record.id, "mk_b", 30)).error().code, "already_exists");
  ASSERT_TRUE(repository_->revoke_key("mk_a", 40).ok());
  EXPECT_EQ(repository_->revoke_key("mk_zz", 40).error().code, "not_found");
  ASSERT_TRUE(repository_->reserve_key_future("mk_b", 500).ok());
  ASSERT_TRUE(repository_->reserve_key_future("mk_b", 400).ok());  // never lowered
  ASSERT_TRUE(repository_->update_status(record.id, MerchantStatus::suspended, 50).ok());
  ASSERT_TRUE(repository_->update_webhook_secret(record.id, "sealed-new", 60).ok());
  EXPECT_EQ(repository_->update_status(MerchantId(Id128{9, 9}), MerchantStatus::active, 1).error().code, "not_found");

  auto keys = repository_->all_keys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].key_id, "mk_a");  // oldest first
  EXPECT_EQ((*keys)[0].status, KeyStatus::revoked);
  EXPECT_EQ((*keys)[0].revoked_at_ns, 40);
  EXPECT_EQ((*keys)[1].future_reserved_until_s, 500);
  EXPECT_EQ((*keys)[1].secret_sealed, "sealed-mk_b");
  auto found = repository_->find_merchant(record.id);
  EXPECT_EQ((*found)->status, MerchantStatus::suspended);
  EXPECT_EQ((*found)->webhook_secret_sealed, "sealed-new");
  EXPECT_EQ((*found)->updated_at_ns, 60);
}

}  // namespace
}  // namespace mpay::store::sqlite
