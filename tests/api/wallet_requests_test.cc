#include "api/wallet_requests.h"

#include <gtest/gtest.h>

#include "api/wallet_json.h"

namespace mpay::api {
namespace {

TEST(WalletRequests, ATransferDecodesWithItsOptionalNote) {
  auto transfer = decode_transfer(R"({"to_phone":"13800138002","amount":"25.50","currency":"CNY","pin":"135790"})", 140);
  ASSERT_TRUE(transfer.ok()) << transfer.error().message;
  EXPECT_EQ(transfer->to_phone, "13800138002");
  EXPECT_EQ(transfer->amount, "25.50");
  EXPECT_FALSE(transfer->note.has_value());
  transfer = decode_transfer(R"({"to_phone":"1","amount":"1","currency":"CNY","pin":"1","note":"午饭"})", 140);
  ASSERT_TRUE(transfer.ok());
  EXPECT_EQ(transfer->note, "午饭");
}

TEST(WalletRequests, EveryMistakeNamesItsField) {
  struct Case {
    const char* body;
    const char* code;
    const char* field;
  };
  for (const Case& c : std::initializer_list<Case>{
           {R"({"to_phone":"1","amount":25,"currency":"CNY","pin":"1"})", "json_wrong_type", "amount"},
           {R"({"to_phone":"1","amount":"1","currency":"CNY"})", "json_missing_field", "pin"},
           {R"({"to_phone":"1","amount":"1","currency":"CNY","pin":"1","tip":"5"})", "json_unknown_field", "tip"},
           {R"({"to_phone":"1","amount":"1","amount":"2","currency":"CNY","pin":"1"})", "json_duplicate_key", "amount"},
           {R"({"to_phone":"1","amount":"1","currency":"CNY","pin":"1","note":"12345678901"})", "json_string_too_long", "note"},
       }) {
    auto transfer = decode_transfer(c.body, 10);
    ASSERT_FALSE(transfer.ok()) << c.body;
    EXPECT_EQ(transfer.error().code, c.code) << c.body;
    EXPECT_EQ(transfer.error().field, c.field) << c.body;
  }
}

TEST(WalletRequests, AWithdrawalNeedsThePinATopUpDoesNot) {
  const char* body = R"({"bank_account_id":"x","amount":"1.00","currency":"CNY"})";
  EXPECT_TRUE(decode_bank_order(body, wallet::BankOrderKind::top_up).ok());
  auto withdrawal = decode_bank_order(body, wallet::BankOrderKind::withdrawal);
  ASSERT_FALSE(withdrawal.ok());
  EXPECT_EQ(withdrawal.error().field, "pin");
}

TEST(WalletRequests, FreezeTakesAnEmptyBodyOrAReason) {
  auto none = decode_freeze("");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto reason = decode_freeze(R"({"reason":"fraud report 17"})");
  ASSERT_TRUE(reason.ok());
  EXPECT_EQ(**reason, "fraud report 17");
  EXPECT_FALSE(decode_freeze(R"({"why":"x"})").ok());
}

TEST(WalletRequests, TheTransactionQuery) {
  auto query = decode_transaction_query(
      {{"limit", "100"}, {"cursor", "17"}, {"type", "withdrawal"}, {"from", "1970-01-01T00:00:01Z"}});
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->limit, 100u);
  EXPECT_EQ(query->cursor, 17);
  EXPECT_EQ(query->type, wallet::TransactionType::withdrawal);
  EXPECT_EQ(query->from_ns, 1'000'000'000);
  for (auto [name, value, code] : std::initializer_list<std::tuple<const char*, const char*, const char*>>{
           {"limit", "0", "limit_invalid"}, {"limit", "101", "limit_invalid"}, {"limit", "1x", "limit_invalid"},
           {"cursor", "-5", "cursor_invalid"}, {"type", "refund", "type_invalid"},
           {"to", "yesterday", "timestamp_invalid"}, {"sort", "asc", "query_parameter_unknown"}}) {
    auto refused = decode_transaction_query({{name, value}});
    ASSERT_FALSE(refused.ok()) << name << "=" << value;
    EXPECT_EQ(refused.error().code, code);
    EXPECT_EQ(refused.error().field, name);
  }
}

TEST(WalletErrorStatus, InputRulesAuthenticationStateAndOutages) {
  EXPECT_EQ(wallet_error_status("json_wrong_type"), 400u);
  EXPECT_EQ(wallet_error_status("amount_negative"), 400u);
  EXPECT_EQ(wallet_error_status("otp_format"), 400u);
  EXPECT_EQ(wallet_error_status("limit_invalid"), 400u);
  EXPECT_EQ(wallet_error_status("session_expired"), 401u);
  EXPECT_EQ(wallet_error_status("otp_incorrect"), 403u);
  EXPECT_EQ(wallet_error_status("pin_incorrect"), 403u);
  EXPECT_EQ(wallet_error_status("recipient_not_found"), 404u);
  EXPECT_EQ(wallet_error_status("phone_registered"), 409u);
  EXPECT_EQ(wallet_error_status("insufficient_funds"), 422u);
  EXPECT_EQ(wallet_error_status("amount_too_large"), 422u);
  EXPECT_EQ(wallet_error_status("limit_daily_exceeded"), 422u);
  EXPECT_EQ(wallet_error_status("recipient_balance_cap_exceeded"), 422u);
  EXPECT_EQ(wallet_error_status("kyc_name_mismatch"), 422u);
  EXPECT_EQ(wallet_error_status("pin_locked"), 423u);
  EXPECT_EQ(wallet_error_status("otp_rate_limited"), 429u);
  EXPECT_EQ(wallet_error_status("bank_unavailable"), 503u);
  EXPECT_EQ(wallet_error_status("store_error"), 500u);
}

}  // namespace
}  // namespace mpay::api
