// Linking accounts at the SandboxBank (sandbox, not a bank), and its options.
#include <gtest/gtest.h>

#include "bank_test_support.h"
#include "payments/bank/bank_account_format.h"

namespace mpay::bank::testing {
namespace {

class SandboxBankLinkTest : public SandboxBankTest {};

TEST_F(SandboxBankLinkTest, NamesItselfASandbox) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  EXPECT_EQ(bank->connector_name(), "sandbox (not a bank)");
}

TEST_F(SandboxBankLinkTest, LinksAnOrdinaryAccountAfterOneRoundTrip) {
  SandboxBankOptions options = default_options();
  options.latency_ms = 30;
  auto bank = open_bank(options);
  ASSERT_NE(bank, nullptr);
  auto started = std::chrono::steady_clock::now();
  Result<LinkResult> linked = bank->link_account(BankAccount{"ICBC", "6222021234561234", "Li Lei"});
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(linked.ok());
  EXPECT_GE(elapsed, std::chrono::milliseconds(30));
  EXPECT_EQ(linked->masked_account_number, "6222 **** **** 1234");
  EXPECT_EQ(linked->bank_account_token.rfind("sandbox-acct-", 0), 0u);
  EXPECT_EQ(linked->bank_account_token.size(), 13u + 24u);
  EXPECT_EQ(balance(*bank, linked->bank_account_token), 100'000);
}

TEST_F(SandboxBankLinkTest, LinkingTheSameAccountAgainReturnsTheSameToken) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string first = link(*bank, "1234", "Li Lei");
  std::string again = link(*bank, "1234", "  LI  lei ");
  EXPECT_EQ(first, again);
  // Same digits at another bank: another account.
  Result<LinkResult> other = bank->link_account(BankAccount{"CMB", "6222021234561234", "Han Meimei"});
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->bank_account_token, first);
}

TEST_F(SandboxBankLinkTest, AnotherHolderNameForALinkedAccountIsAMismatch) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  link(*bank, "1234", "Li Lei");
  Result<LinkResult> linked = bank->link_account(BankAccount{"ICBC", "6222021234561234", "Han Meimei"});
  ASSERT_FALSE(linked.ok());
  EXPECT_EQ(linked.error().code, "bank_account_holder_mismatch");
}

TEST_F(SandboxBankLinkTest, AccountsEndingIn0000DoNotExist) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  Result<LinkResult> linked = bank->link_account(BankAccount{"ICBC", "6222021234560000", "Li Lei"});
  ASSERT_FALSE(linked.ok());
  EXPECT_EQ(linked.error().code, "bank_account_not_found");
}

TEST_F(SandboxBankLinkTest, AccountsEndingIn0001BelongToHolderMismatch) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  Result<LinkResult> linked = bank->link_account(BankAccount{"ICBC", "6222021234560001", "Li Lei"});
  ASSERT_FALSE(linked.ok());
  EXPECT_EQ(linked.error().code, "bank_account_holder_mismatch");
  EXPECT_EQ(linked.error().field, "holder_name");
  EXPECT_TRUE(bank->link_account(BankAccount{"ICBC", "6222021234560001", "Holder Mismatch"}).ok());
}

TEST_F(SandboxBankLinkTest, AccountsEndingIn0005MeetAnUnavailableBank) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  Result<LinkResult> linked = bank->link_account(BankAccount{"ICBC", "6222021234560005", "Li Lei"});
  ASSERT_FALSE(linked.ok());
  EXPECT_EQ(linked.error().code, "bank_unavailable");
}

TEST_F(SandboxBankLinkTest, MalformedAccountsAreRejectedWithTheField) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  Result<LinkResult> linked = bank->link_account(BankAccount{"ICBC", "6222 0212 3456 1234", "Li"});
  ASSERT_FALSE(linked.ok());
  EXPECT_EQ(linked.error().code, "bank_account_invalid");
  EXPECT_EQ(linked.error().field, "account_number");
}

TEST_F(SandboxBankLinkTest, RefusesBadOptions) {
  struct Case {
    void (*change)(SandboxBankOptions&);
    std::string field;
  };
  std::vector<Case> cases = {
      {[](SandboxBankOptions& o) { o.answer_timeout_ms = 0; }, "answer_timeout_ms"},
      {[](SandboxBankOptions& o) { o.queue_max = 0; }, "queue_max"},
      {[](SandboxBankOptions& o) { o.statement_directory.clear(); }, "statement_directory"},
      {[](SandboxBankOptions& o) { o.opening_balance_minor = -1; }, "opening_balance_minor"},
      {[](SandboxBankOptions& o) { o.order_amount_limit_minor = 0; }, "order_amount_limit_minor"},
      {[](SandboxBankOptions& o) { o.account_currency = "cny"; }, "account_currency"},
  };
  for (const Case& c : cases) {
    SandboxBankOptions options = default_options();
    c.change(options);
    Result<std::unique_ptr<SandboxBank>> bank = SandboxBank::open(options, clock_, random_);
    ASSERT_FALSE(bank.ok()) << c.field;
    EXPECT_EQ(bank.error().code, "sandbox_bank_options_invalid");
    EXPECT_EQ(bank.error().field, c.field);
  }
}

TEST_F(SandboxBankLinkTest, UnknownTokensHaveNoBalance) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  Result<int64_t> balance = bank->balance_minor("sandbox-acct-000000000000000000000000");
  ASSERT_FALSE(balance.ok());
  EXPECT_EQ(balance.error().code, "bank_account_token_unknown");
}

}  // namespace
}  // namespace mpay::bank::testing
