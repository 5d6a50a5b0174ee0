// Operator commands over the real parts (SQLite mpay.db, key files, the ledger), built the way
// mpayd builds them: onboarding opens the ledger accounts, secrets are sealed at rest, a restart
// reloads the directory, keys rotate and revoke, every action is audited.
#include "payments/merchant/merchant_admin.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>

#include "payments/merchant/request_signature.h"
#include "server/merchant_profiles.h"
#include "server/merchant_service.h"
#include "support/temp_directory.h"
#include "support/wallet_stack.h"

namespace mpay::merchant {
namespace {

MerchantApplication application() {
  MerchantApplication application;
  application.legal_name = "Shanghai Noodle Co., Ltd.";
  application.display_name = "Noodle Bar";
  application.mcc = "5814";
  application.country = "CN";
  application.city = "Shanghai";
  application.fee_bps = 120;
  application.currencies = {"USD", "CNY"};
  application.settlement_account = {"ICBC", "6222020200112233445", "Shanghai Noodle Co"};
  application.webhook_url = "https://noodle.example.com/mpay/webhooks";
  return application;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class MerchantAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(stack_.ok()) << stack_.error();
    open_service();
  }
  void open_service() {
    service_.reset();
    server::MerchantServiceOptions options;
    options.data_directory = directory_.path();
    auto service = server::MerchantService::open(options, stack_.ledger(), stack_.wallet(), clock_, random_, ids_);
    ASSERT_TRUE(service.ok()) << service.error().message;
    service_ = std::move(*service);
  }
  MerchantContext& context() { return service_->context(); }

  OperatorCall call_{"operator", "127.0.0.1", "req-1"};
  testing::TempDirectory directory_;
  SystemClock clock_;
  SystemRandom random_;
  UuidV7Generator ids_{clock_, random_};
  testing::WalletStack stack_{directory_.path(), clock_, random_, ids_};
  std::unique_ptr<server::MerchantService> service_;
};

TEST_F(MerchantAdminTest, OnboardingOpensOneMerchantAccountPerCurrency) {
  Result<Onboarded> onboarded = create_merchant(context(), call_, application());
  ASSERT_TRUE(onboarded.ok()) << onboarded.error().message;
  const MerchantRecord& record = onboarded->merchant.record;
  ASSERT_EQ(record.accounts.size(), 2u);
  EXPECT_EQ(record.accounts[0].currency, 156);  // sorted: CNY before USD
  EXPECT_EQ(record.accounts[1].currency, 840);
  for (const MerchantAccount& account : record.accounts) {
    std::optional<ledger::AccountState> state = stack_.ledger().lookup_account(account.account_id);
    ASSERT_TRUE(state.has_value());
    EXPECT_EQ(state->account.kind, ledger::AccountKind::merchant);
    EXPECT_EQ(state->account.flags & ledger::account_flags::debits_must_not_exceed_credits,
              ledger::account_flags::debits_must_not_exceed_credits);
  }
  MerchantDirectory& directory = service_->directory();
  EXPECT_EQ(directory.ledger_account(record.id, 156), record.accounts[0].account_id);
  EXPECT_FALSE(directory.ledger_account(record.id, 978).has_value());
  EXPECT_EQ(directory.fee_bps(record.id), 120);
  EXPECT_EQ(directory.webhook_url(record.id), "https://noodle.example.com/mpay/webhooks");
  EXPECT_EQ(directory.webhook_secret(record.id), onboarded->webhook_secret);
  EXPECT_EQ(record.settlement_account_masked, "6222 **** **** 3445");
  EXPECT_TRUE(onboarded->key.secret.starts_with("msk_"));
  EXPECT_TRUE(onboarded->merchant.keys.at(0).secret.empty());  // views never carry secrets
}

// What payment requests see of a merchant, read in place from the directory, per currency, and
// following a suspension.
TEST_F(MerchantAdminTest, PaymentRequestsSeeTheMerchantsProfilePerCurrency) {
  Result<Onboarded> onboarded = create_merchant(context(), call_, application());
  ASSERT_TRUE(onboarded.ok()) << onboarded.error().message;
  const MerchantRecord& record = onboarded->merchant.record;
  server::MerchantProfiles profiles(service_->directory());
  std::optional<requests::MerchantProfile> usd = profiles.find(record.id.value(), 840);
  ASSERT_TRUE(usd.has_value());
  EXPECT_EQ(usd->id, record.id.value());
  EXPECT_EQ(usd->display_name, "Noodle Bar");
  EXPECT_EQ(usd->mcc, "5814");
  EXPECT_EQ(usd->country, "CN");
  EXPECT_EQ(usd->city, "Shanghai");
  EXPECT_EQ(usd->fee_bps, 120u);
  EXPECT_TRUE(usd->active);
  EXPECT_EQ(usd->account, record.accounts[1].account_id);
  EXPECT_EQ(profiles.find(record.id.value(), 156)->account, record.accounts[0].account_id);
  EXPECT_FALSE(profiles.find(record.id.value(), 978).has_value());  // no EUR account
  EXPECT_FALSE(profiles.find(Id128{1, 1}, 840).has_value());

  ASSERT_TRUE(set_merchant_suspended(context(), call_, record.id, true).ok());
  EXPECT_FALSE(profiles.find(record.id.value(), 840)->active);
}

TEST_F(MerchantAdminTest, SecretsAreSealedAtRestAndReloadAfterARestart) {
  Result<Onboarded> onboarded = create_merchant(context(), call_, application());
  ASSERT_TRUE(onboarded.ok()) << onboarded.error().message;
  Result<NewKey> second = create_key(context(), call_, onboarded->merchant.record.id);
  ASSERT_TRUE(second.ok()) << second.error().message;
  std::string stored = file_bytes(directory_.path() + "/mpay.db") + file_bytes(directory_.path() + "/mpay.db-wal");
  ASSERT_NE(stored.find("Noodle Bar"), std::string::npos);  // the check can see what is stored
  for (const std::string& secret : {onboarded->key.secret, second->secret, onboarded->webhook_secret,
                                    std::string("6222020200112233445"), std::string("SHANGHAI NOODLE CO")}) {
    EXPECT_EQ(stored.find(secret), std::string::npos) << "in clear in mpay.db: " << secret.substr(0, 8);
    // Nor the hex digits without their prefix.
    EXPECT_EQ(stored.find(secret.substr(secret.find('_') + 1)), std::string::npos);
  }

  open_service();  // a restart: everything comes back from mpay.db, secrets unsealed
  MerchantId id = onboarded->merchant.record.id;
  EXPECT_EQ(service_->directory().webhook_secret(id), onboarded->webhook_secret);
  std::optional<ApiKey> key = service_->directory().key(second->key_id);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->secret, second->secret);
  EXPECT_EQ(service_->directory().keys_of(id).size(), 2u);
}

// The verifier refuses requests signed in the second mpayd started in (a restart within the
// second of a kill -9 could otherwise accept one again); opening waits that second out, so a
// merchant signing with an accurate clock once mpayd serves is never refused.
TEST_F(MerchantAdminTest, OpeningWaitsOutTheStartSecondWhoseRequestsAreRefused) {
  Result<Onboarded> onboarded = create_merchant(context(), call_, application());
  ASSERT_TRUE(onboarded.ok()) << onboarded.error().message;
  int64_t before_open_s = clock_.now_ns() / 1'000'000'000;
  open_service();
  int64_t opened_s = clock_.now_ns() / 1'000'000'000;
  EXPECT_GT(opened_s, before_open_s);
  auto verify_at = [&](int64_t timestamp_s, const std::string& nonce) {
    std::string timestamp = std::to_string(timestamp_s);
    std::string signature =
        sign_request(onboarded->key.secret, "GET", "/v1/merchant", timestamp, nonce, "");
    return service_->verifier().verify(
        {"GET", "/v1/merchant", "", onboarded->key.key_id, timestamp, nonce, signature});
  };
  Result<MerchantId> in_start_second = verify_at(before_open_s, "start-second");
  ASSERT_FALSE(in_start_second.ok());
  EXPECT_EQ(in_start_second.error().code, "timestamp_before_start");
  EXPECT_TRUE(verify_at(opened_s, "served").ok());
}

TEST_F(MerchantAdminTest, KeysRotateAndRevoke) {
  Result<Onboarded> onboarded = create_merchant(context(), call_, application());
  ASSERT_TRUE(onboarded.ok());
  MerchantId id = onboarded->merchant.record.id;
  Result<MerchantView> revoked = revoke_key(context(), call_, id, onboarded->key.key_id);
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_EQ(revoked->keys.at(0).status, KeyStatus::revoked);
  EXPECT_EQ(revoke_key(context(), call_, id, onboarded->key.key_id).error().code, "key_already_revoked");
  EXPECT_EQ(revoke_key(context(), call_, id, "mk_ffffffffffffffffffffffff").error().code, "key_not_found");
  for (size_t i = 0; i < kActiveKeysMax; ++i) ASSERT_TRUE(create_key(context(), call_, id).ok());
  EXPECT_EQ(create_key(context(), call_, id).error().code, "key_limit_reached");

  open_service();
  EXPECT_EQ(service_->directory().key(onboarded->key.key_id)->status, KeyStatus::revoked);
}

TEST_F(MerchantAdminTest, SuspendReactivateAndWebhookSecretRotation) {
  Result<Onboarded> onboarded = create_merchant(context(), call_, application());
  ASSERT_TRUE(onboarded.ok());
  MerchantId id = onboarded->merchant.record.id;
  ASSERT_TRUE(set_merchant_suspended(context(), call_, id, true).ok());
  EXPECT_EQ(set_merchant_suspended(context(), call_, id, true).error().code, "already_suspended");
  Result<std::string> rotated = rotate_webhook_secret(context(), call_, id);
  ASSERT_TRUE(rotated.ok());
  EXPECT_NE(*rotated, onboarded->webhook_secret);
  open_service();
  EXPECT_EQ(service_->directory().status(id), MerchantStatus::suspended);
  EXPECT_EQ(service_->directory().webhook_secret(id), *rotated);
  ASSERT_TRUE(set_merchant_suspended(context(), call_, id, false).ok());
  EXPECT_EQ(set_merchant_suspended(context(), call_, id, false).error().code, "not_suspended");
  EXPECT_EQ(set_merchant_suspended(context(), call_, MerchantId(Id128{1, 1}), true).error().code, "merchant_not_found");
}

TEST_F(MerchantAdminTest, EveryActionIsAuditedAndTheChainHolds) {
  ASSERT_TRUE(create_merchant(context(), call_, application()).ok());
  MerchantApplication bad = application();
  bad.mcc = "0000";
  EXPECT_EQ(create_merchant(context(), call_, bad).error().code, "mcc_invalid");
  Result<std::vector<MerchantView>> listed = list_merchants(context(), call_, MerchantId(), 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 1u);
  auto audit = stack_.wallet().repository.recent_audit(10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 3u);
  EXPECT_EQ((*audit)[0].action, "merchant.list");
  EXPECT_EQ((*audit)[1].action, "merchant.create");
  EXPECT_NE((*audit)[1].details.find("mcc_invalid"), std::string::npos);
  EXPECT_EQ((*audit)[2].action, "merchant.create");
  EXPECT_EQ((*audit)[2].request_id, "req-1");
  EXPECT_TRUE(stack_.wallet().repository.verify_audit_chain().ok());
}

TEST_F(MerchantAdminTest, TheDeploymentsWebhookUrlPolicyRefusesAtOnboardingAndIsAudited) {
  context().webhook_url_policy = [](std::string_view url) -> Status {
    if (url.starts_with("http://"))
      return Error("webhook_url_not_allowed", "https only", "webhook_url");
    return ok_status();
  };
  MerchantApplication plain = application();
  plain.webhook_url = "http://noodle.example.com/mpay/webhooks";
  Result<Onboarded> refused = create_merchant(context(), call_, plain);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "webhook_url_not_allowed");
  EXPECT_EQ(refused.error().field, "webhook_url");
  Result<std::vector<MerchantView>> listed = list_merchants(context(), call_, MerchantId(), 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty()) << "a refused onboarding creates nothing";
  auto audit = stack_.wallet().repository.recent_audit(10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[1].action, "merchant.create");
  EXPECT_NE((*audit)[1].details.find("webhook_url_not_allowed"), std::string::npos);
  EXPECT_TRUE(create_merchant(context(), call_, application()).ok()) << "https passes the policy";
}

}  // namespace
}  // namespace mpay::merchant
