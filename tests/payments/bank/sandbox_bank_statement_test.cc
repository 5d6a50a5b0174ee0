// The SandboxBank's (sandbox, not a bank) daily statement files, and the day helpers.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "bank_test_support.h"
#include "payments/bank/sandbox_bank_statement_internal.h"

namespace mpay::bank::testing {
namespace {

using Direction = BankOrderDirection;

constexpr int64_t kDayNs = 86'400'000'000'000;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

class SandboxBankStatementTest : public SandboxBankTest {};

TEST_F(SandboxBankStatementTest, ListsTheDaysConfirmedOrdersWithTotals) {
  SandboxBankOptions options = default_options();
  options.answer_timeout_ms = 50;
  auto bank = open_bank(options);
  ASSERT_NE(bank, nullptr);
  std::string first = link(*bank, "1234");
  std::string second = link(*bank, "5678");
  std::string silent = link(*bank, "0003");
  BankOrderResult a = run(*bank, Direction::debit, make_order("topup-a", first, 1'250));
  BankOrderResult b = run(*bank, Direction::credit, make_order("withdraw-b", second, 700));
  run(*bank, Direction::debit, make_order("declined-c", first, 60'000));  // above the limit
  run(*bank, Direction::debit, make_order("silent-d", silent, 10));       // timed out
  BankOrderResult e = run(*bank, Direction::debit, make_order("topup-e", second, 50));
  clock_.advance_ns(kDayNs);
  BankOrderResult f = run(*bank, Direction::credit, make_order("withdraw-f", first, 9));

  Result<std::string> path = bank->export_statement("2024-06-11");
  ASSERT_TRUE(path.ok()) << path.error().message;
  EXPECT_EQ(*path, options.statement_directory + "/statement-2024-06-11.csv");
  std::string expected =
      "value_date,reference,bank_transaction_id,direction,masked_account_number,amount_minor,"
      "currency\n"
      "2024-06-11,topup-a," + a.bank_transaction_id + ",debit,6222 **** **** 1234,1250,CNY\n"
      "2024-06-11,withdraw-b," + b.bank_transaction_id + ",credit,6222 **** **** 5678,700,CNY\n"
      "2024-06-11,topup-e," + e.bank_transaction_id + ",debit,6222 **** **** 5678,50,CNY\n"
      "total,3,1300,700,CNY\n";
  EXPECT_EQ(read_file(*path), expected);

  Result<std::string> next_day = bank->export_statement("2024-06-12");
  ASSERT_TRUE(next_day.ok());
  EXPECT_EQ(read_file(*next_day),
            std::string(kStatementHeader) + "\n2024-06-12,withdraw-f," + f.bank_transaction_id +
                ",credit,6222 **** **** 1234,9,CNY\ntotal,1,0,9,CNY\n");
}

TEST_F(SandboxBankStatementTest, AQuietDayHasOnlyTheHeaderAndAZeroTotal) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  Result<std::string> path = bank->export_statement("2024-02-29");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(read_file(*path), std::string(kStatementHeader) + "\ntotal,0,0,0,CNY\n");
}

TEST_F(SandboxBankStatementTest, AStatementSurvivesARestart) {
  std::string token;
  std::string before;
  {
    auto bank = open_bank();
    ASSERT_NE(bank, nullptr);
    token = link(*bank, "1234");
    run(*bank, Direction::debit, make_order("topup-1", token, 100));
    before = read_file(*bank->export_statement("2024-06-11"));
  }
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  EXPECT_EQ(read_file(*bank->export_statement("2024-06-11")), before);
  EXPECT_NE(before.find("topup-1"), std::string::npos);
}

TEST_F(SandboxBankStatementTest, RefusesDaysThatAreNotCalendarDays) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  for (const char* day : {"", "2024-6-11", "2024-02-30", "2023-02-29", "2024-13-01", "0000-01-01",
                          "2024/06/11", "2024-06-11x", "../../etc"}) {
    Result<std::string> path = bank->export_statement(day);
    ASSERT_FALSE(path.ok()) << day;
    EXPECT_EQ(path.error().code, "statement_day_invalid");
    EXPECT_EQ(path.error().field, "day");
  }
}

TEST(StatementDays, UtcDaysOfUnixTimes) {
  EXPECT_EQ(utc_day_of(0), "1970-01-01");
  EXPECT_EQ(utc_day_of(-1), "1969-12-31");
  EXPECT_EQ(utc_day_of(kTestStartNs), "2024-06-11");
  EXPECT_EQ(utc_day_of(1'709'164'800'000'000'000), "2024-02-29");
  EXPECT_TRUE(is_valid_day("2024-02-29"));
  EXPECT_FALSE(is_valid_day("2100-02-29"));
}

TEST(StatementFormat, TotalsThatOverflowAreAnError) {
  std::vector<StatementLine> lines(2, StatementLine{"2024-06-11", "r", "SBX1", BankOrderDirection::debit,
                                                    "6222 **** **** 1234", INT64_MAX, "CNY"});
  Result<std::string> text = format_statement(lines, "CNY");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, "statement_total_overflow");
}

}  // namespace
}  // namespace mpay::bank::testing
