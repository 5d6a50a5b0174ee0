// The JSON-lines records of the SandboxBank's (sandbox, not a bank) file.
#include "payments/bank/sandbox_bank_record_internal.h"

#include <gtest/gtest.h>

namespace mpay::bank {
namespace {

SandboxOrderRecord sample_order() {
  SandboxOrderRecord record;
  record.direction = BankOrderDirection::credit;
  record.order = BankOrder{"withdraw-1", "sandbox-acct-0a", 1250, "CNY"};
  record.result = BankOrderResult{"withdraw-1", BankOrderOutcome::declined, "account_closed",
                                  "SBX000000000007"};
  record.value_date = "2024-06-11";
  return record;
}

TEST(SandboxRecord, OrdersRoundTrip) {
  SandboxOrderRecord record = sample_order();
  std::string line = encode_sandbox_record(record);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  Result<SandboxRecord> decoded = decode_sandbox_record(line.substr(0, line.size() - 1));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& order = std::get<SandboxOrderRecord>(*decoded);
  EXPECT_EQ(order.direction, BankOrderDirection::credit);
  EXPECT_EQ(order.order.reference, "withdraw-1");
  EXPECT_EQ(order.order.bank_account_token, "sandbox-acct-0a");
  EXPECT_EQ(order.order.amount_minor, 1250);
  EXPECT_EQ(order.order.currency, "CNY");
  EXPECT_EQ(order.result, record.result);
  EXPECT_EQ(order.value_date, "2024-06-11");
}

TEST(SandboxRecord, LinksWithAwkwardHolderNamesRoundTrip) {
  std::string holder = "李雷 \"Lei\" \\ O'Brien \x01\x1f\x7f end";
  SandboxLinkRecord link{"sandbox-acct-1", BankAccount{"102100099996", "6222021234561234", holder}};
  std::string line = encode_sandbox_record(link);
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  Result<SandboxRecord> decoded = decode_sandbox_record(line.substr(0, line.size() - 1));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& back = std::get<SandboxLinkRecord>(*decoded);
  EXPECT_EQ(back.bank_account_token, "sandbox-acct-1");
  EXPECT_EQ(back.account.bank_code, "102100099996");
  EXPECT_EQ(back.account.account_number, "6222021234561234");
  EXPECT_EQ(back.account.holder_name, holder);
}

TEST(SandboxRecord, AcceptsEscapesAndIgnoresUnknownKeys) {
  Result<SandboxRecord> decoded = decode_sandbox_record(
      R"( {"record":"link","bank_account_token":"t","bank_code":"ICBC","future":42,)"
      R"("account_number":"6222021234561234","holder_name":"\u674e\/\t"} )");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(std::get<SandboxLinkRecord>(*decoded).account.holder_name, "李/\t");
}

TEST(SandboxRecord, RefusesMalformedLines) {
  auto order = [](const std::string& direction, const std::string& amount) {
    return R"({"record":"order","reference":"r","direction":")" + direction +
           R"(","bank_account_token":"t","amount_minor":)" + amount +
           R"(,"currency":"CNY","outcome":"confirmed","decline_code":"",)"
           R"("bank_transaction_id":"SBX1","value_date":"2024-06-11"})";
  };
  ASSERT_TRUE(decode_sandbox_record(order("debit", "1")).ok());
  std::vector<std::string> bad = {
      "",
      "{",
      "[]",
      R"({"record":"link"})",
      R"({"record":"teleport"})",
      R"({"record":1})",
      R"({"record":"link","record":"link"})",
      order("sideways", "1"),
      order("debit", "1") + "x",
      order("debit", "01"),
      order("debit", "\"1\""),
      order("debit", "1.5"),
      order("debit", "-"),
      order("debit", "99999999999999999999"),
      R"({"record":"link","bank_account_token":"t","bank_code":"ICBC",)"
      R"("account_number":"1","holder_name":"\ud800"})",
      R"({"record":"link","bank_account_token":"t","bank_code":"ICBC",)"
      R"("account_number":"1","holder_name":"a\qb"})",
      std::string(R"({"record":"link","bank_account_token":"t","bank_code":"ICBC",)") +
          R"("account_number":"1","holder_name":")" + std::string(1, '\x01') + R"("})",
      std::string(kSandboxRecordBytesMax + 1, ' '),
  };
  for (const std::string& line : bad) {
    Result<SandboxRecord> decoded = decode_sandbox_record(line);
    ASSERT_FALSE(decoded.ok()) << line;
    EXPECT_EQ(decoded.error().code, "sandbox_record_invalid");
  }
}

}  // namespace
}  // namespace mpay::bank
