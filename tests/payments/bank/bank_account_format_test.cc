#include "payments/bank/bank_account_format.h"

#include <gtest/gtest.h>

namespace mpay::bank {
namespace {

BankAccount account(std::string bank_code, std::string account_number,
                    std::string holder_name = "Li Lei") {
  return BankAccount{std::move(bank_code), std::move(account_number), std::move(holder_name)};
}

void expect_account_invalid(const BankAccount& bad, const std::string& field) {
  Status status = validate_bank_account(bad);
  ASSERT_FALSE(status.ok()) << bad.bank_code << " " << bad.account_number << " " << bad.holder_name;
  EXPECT_EQ(status.error().code, "bank_account_invalid");
  EXPECT_EQ(status.error().field, field);
}

TEST(BankAccountFormat, AcceptsShortBankCodesAndCnapsCodes) {
  for (std::string code : {"ICBC", "CMB", "BOCOM", "AB", "ABCDEFGHIJ", "102100099996"}) {
    EXPECT_TRUE(validate_bank_account(account(code, "6222021234561234")).ok()) << code;
  }
}

TEST(BankAccountFormat, RejectsOtherBankCodes) {
  for (std::string code : {"", "A", "icbc", "ICBC1", "ABCDEFGHIJK", "10210009999", "1021000999961",
                           "ICBC ", "10210009999X"}) {
    expect_account_invalid(account(code, "6222021234561234"), "bank_code");
  }
}

TEST(BankAccountFormat, AccountNumbersAreTenToThirtyDigits) {
  EXPECT_TRUE(validate_bank_account(account("ICBC", "1234567890")).ok());
  EXPECT_TRUE(validate_bank_account(account("ICBC", std::string(30, '9'))).ok());
  for (std::string number :
       std::vector<std::string>{"", "123456789", std::string(31, '9'), "6222 0212 3456 1234",
                                "6222-0212-3456-1234", "62220212345612a4"}) {
    expect_account_invalid(account("ICBC", number), "account_number");
  }
}

TEST(BankAccountFormat, HolderNamesAreNonBlankPrintableUtf8) {
  EXPECT_TRUE(validate_bank_account(account("ICBC", "6222021234561234", "李雷")).ok());
  EXPECT_TRUE(validate_bank_account(account("ICBC", "6222021234561234", "O'Brien-Smith")).ok());
  EXPECT_TRUE(
      validate_bank_account(account("ICBC", "6222021234561234", std::string(100, 'A'))).ok());
  for (std::string name : {std::string(), std::string("   "), std::string("Li\nLei"),
                           std::string("Li\x7FLei"), std::string("\xC3\x28"),
                           std::string("\xED\xA0\x80"), std::string("\xC0\xAF"),
                           std::string("\xE6\x9D"), std::string(101, 'A')}) {
    expect_account_invalid(account("ICBC", "6222021234561234", name), "holder_name");
  }
}

TEST(BankAccountFormat, ReportsTheFirstFieldAtFault) {
  expect_account_invalid(account("x", "1", ""), "bank_code");
  expect_account_invalid(account("ICBC", "1", ""), "account_number");
}

TEST(BankAccountFormat, MaskShowsFirstAndLastFourDigitsWhateverTheLength) {
  EXPECT_EQ(mask_account_number("6222021234561234"), "6222 **** **** 1234");
  EXPECT_EQ(mask_account_number("6222021234567890123"), "6222 **** **** 0123");
  EXPECT_EQ(mask_account_number("1234567890"), "1234 **** **** 7890");
}

TEST(BankAccountFormat, HolderNamesCompareWithoutCaseAndExtraSpaces) {
  EXPECT_EQ(normalize_holder_name("  li   Lei "), "LI LEI");
  EXPECT_EQ(normalize_holder_name("李 雷"), "李 雷");
  EXPECT_EQ(normalize_holder_name("   "), "");
}

TEST(BankOrderFormat, AcceptsAWellFormedOrder) {
  EXPECT_TRUE(validate_bank_order(BankOrder{"topup-2024.06.11:0001_A", "tok", 1, "CNY"}).ok());
  EXPECT_TRUE(validate_bank_order(BankOrder{std::string(64, 'r'), "tok", 1, "JPY"}).ok());
}

TEST(BankOrderFormat, RejectsEachMalformedField) {
  struct Case {
    BankOrder order;
    std::string field;
  };
  std::vector<Case> cases = {
      {{"", "tok", 1, "CNY"}, "reference"},
      {{std::string(65, 'r'), "tok", 1, "CNY"}, "reference"},
      {{"has space", "tok", 1, "CNY"}, "reference"},
      {{"comma,ref", "tok", 1, "CNY"}, "reference"},
      {{"ref", "", 1, "CNY"}, "bank_account_token"},
      {{"ref", "tok/../x", 1, "CNY"}, "bank_account_token"},
      {{"ref", "tok", 0, "CNY"}, "amount_minor"},
      {{"ref", "tok", -5, "CNY"}, "amount_minor"},
      {{"ref", "tok", 1, "cny"}, "currency"},
      {{"ref", "tok", 1, "ZZZ"}, "currency"},
  };
  for (const Case& c : cases) {
    Status status = validate_bank_order(c.order);
    ASSERT_FALSE(status.ok()) << c.field;
    EXPECT_EQ(status.error().code, "bank_order_invalid");
    EXPECT_EQ(status.error().field, c.field);
  }
}

TEST(BankConnectorNames, DirectionsAndOutcomesHaveStableNames) {
  EXPECT_EQ(to_string(BankOrderDirection::debit), "debit");
  EXPECT_EQ(to_string(BankOrderDirection::credit), "credit");
  EXPECT_EQ(to_string(BankOrderOutcome::confirmed), "confirmed");
  EXPECT_EQ(to_string(BankOrderOutcome::declined), "declined");
  EXPECT_EQ(to_string(BankOrderOutcome::timed_out), "timed_out");
}

}  // namespace
}  // namespace mpay::bank
