// A new SandboxBank (sandbox, not a bank) on the same directory remembers accounts, balances and
// order results; torn and corrupt files.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "bank_test_support.h"

namespace mpay::bank::testing {
namespace {

using Direction = BankOrderDirection;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

void append_to_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
}

class SandboxBankRestartTest : public SandboxBankTest {};

TEST_F(SandboxBankRestartTest, ARestartedBankKeepsTokensBalancesAndIdempotency) {
  std::string token;
  BankOrderResult confirmed;
  BankOrderResult declined;
  {
    auto bank = open_bank();
    ASSERT_NE(bank, nullptr);
    token = link(*bank, "1234");
    confirmed = run(*bank, Direction::debit, make_order("topup-1", token, 30'000));
    declined = run(*bank, Direction::debit, make_order("topup-2", token, 80'000));
    ASSERT_EQ(confirmed.outcome, BankOrderOutcome::confirmed);
    ASSERT_EQ(declined.outcome, BankOrderOutcome::declined);
  }
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  EXPECT_EQ(link(*bank, "1234"), token);
  EXPECT_EQ(balance(*bank, token), 70'000);
  Result<std::optional<BankOrderResult>> status = bank->status("topup-1");
  ASSERT_TRUE(status.ok() && status->has_value());
  EXPECT_EQ(**status, confirmed);
  // The same orders again: the same results, no second movement.
  EXPECT_EQ(run(*bank, Direction::debit, make_order("topup-1", token, 30'000)), confirmed);
  EXPECT_EQ(run(*bank, Direction::debit, make_order("topup-2", token, 80'000)), declined);
  EXPECT_EQ(balance(*bank, token), 70'000);
  ResultRecorder recorder;
  Status reused = bank->credit(make_order("topup-1", token, 30'000), recorder.callback());
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code, "bank_reference_reused");
  // Transaction ids keep counting: no id is given twice.
  BankOrderResult next = run(*bank, Direction::debit, make_order("topup-3", token, 1));
  EXPECT_NE(next.bank_transaction_id, confirmed.bank_transaction_id);
  EXPECT_NE(next.bank_transaction_id, declined.bank_transaction_id);
  EXPECT_GT(next.bank_transaction_id, declined.bank_transaction_id);
}

TEST_F(SandboxBankRestartTest, ATornLastLineIsCutOff) {
  std::string token;
  std::string path;
  {
    auto bank = open_bank();
    ASSERT_NE(bank, nullptr);
    token = link(*bank, "1234");
    path = bank->file_path();
  }
  std::string intact = read_file(path);
  append_to_file(path, R"({"record":"order","reference":"torn","dire)");
  {
    auto bank = open_bank();
    ASSERT_NE(bank, nullptr);
    EXPECT_EQ(read_file(path), intact);
    EXPECT_FALSE(bank->status("torn")->has_value());
    EXPECT_EQ(run(*bank, Direction::debit, make_order("torn", token, 5)).outcome,
              BankOrderOutcome::confirmed);
  }
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  EXPECT_EQ(balance(*bank, token), 100'000 - 5);
}

TEST_F(SandboxBankRestartTest, ACorruptLineRefusesToOpen) {
  std::string path;
  {
    auto bank = open_bank();
    ASSERT_NE(bank, nullptr);
    link(*bank, "1234");
    path = bank->file_path();
  }
  append_to_file(path, "not json\n");
  Result<std::unique_ptr<SandboxBank>> bank = SandboxBank::open(default_options(), clock_, random_);
  ASSERT_FALSE(bank.ok());
  EXPECT_EQ(bank.error().code, "sandbox_bank_file_corrupt");
  EXPECT_NE(bank.error().message.find("line 2"), std::string::npos);
}

TEST_F(SandboxBankRestartTest, AnOrderForAnUnknownTokenIsCorrupt) {
  SandboxBankOptions options = default_options();
  std::filesystem::create_directories(options.statement_directory);
  append_to_file(options.statement_directory + "/sandbox-bank.jsonl",
                 R"({"record":"order","reference":"x","direction":"debit",)"
                 R"("bank_account_token":"sandbox-acct-ghost","amount_minor":1,"currency":"CNY",)"
                 R"("outcome":"confirmed","decline_code":"","bank_transaction_id":"SBX1",)"
                 R"("value_date":"2024-06-11"})"
                 "\n");
  Result<std::unique_ptr<SandboxBank>> bank = SandboxBank::open(options, clock_, random_);
  ASSERT_FALSE(bank.ok());
  EXPECT_EQ(bank.error().code, "sandbox_bank_file_corrupt");
}

}  // namespace
}  // namespace mpay::bank::testing
