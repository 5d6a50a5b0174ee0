// Money end to end: KYC, bank accounts, top-ups, transfers with their limits and refusals,
// histories, withdrawals that succeed, are declined or time out, and a concurrent double spend.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/wallet_server_fixture.h"

namespace mpay {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::error_code_of;
using testing::HttpReply;
using testing::kTestPin;

class WalletMoneyTest : public testing::WalletServerTest {};

TEST_F(WalletMoneyTest, KycChecksTheDocumentAndMasksIt) {
  auto alice = app(21);
  alice->sign_up_and_log_in();
  std::string good = testing::test_id_card(21);
  std::string bad_check = good.substr(0, 17) + (good[17] == '0' ? '1' : '0');
  HttpReply reply = alice->post("/v1/me/kyc", {{"full_name", "张三丰"}, {"document_type", "mainland_id_card"},
                                               {"document_number", bad_check}});
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(error_code_of(reply), "document_check_digit");
  reply = alice->post("/v1/me/kyc", {{"full_name", "张三丰"}, {"document_type", "drivers_license"},
                                     {"document_number", good}});
  EXPECT_EQ(error_code_of(reply), "document_type_unknown");
  reply = alice->post("/v1/me/kyc", {{"full_name", "REJECT me"}, {"document_type", "mainland_id_card"},
                                     {"document_number", good}});
  EXPECT_EQ(reply.status, 422u);
  EXPECT_EQ(error_code_of(reply), "kyc_name_mismatch");

  reply = alice->post("/v1/me/kyc", {{"full_name", "张三丰"}, {"document_type", "mainland_id_card"},
                                     {"document_number", good}});
  ASSERT_EQ(reply.status, 200u) << reply.body;
  json profile = json::parse(alice->get("/v1/me").body);
  EXPECT_EQ(profile["kyc_level"], 1);
  EXPECT_EQ(profile["name"], "张**");
  EXPECT_EQ(profile["document"]["number"], "110***********" + good.substr(14));
  EXPECT_EQ(profile["limits"]["per_payment"], "5000.00");
  std::string everything = alice->get("/v1/me").body;
  EXPECT_EQ(everything.find(good), std::string::npos);
  EXPECT_EQ(everything.find("张三丰"), std::string::npos);
  // The database holds no clear name or number either.
  reply = alice->post("/v1/me/kyc", {{"full_name", "张三丰"}, {"document_type", "mainland_id_card"},
                                     {"document_number", good}});
  EXPECT_EQ(error_code_of(reply), "kyc_already_verified");
}

TEST_F(WalletMoneyTest, LinkingABankNeedsKycAndTheHolderName) {
  auto bob = app(22);
  bob->sign_up_and_log_in();
  HttpReply reply = bob->post("/v1/me/bank-accounts", {{"bank_code", "ICBC"}, {"account_number", "6222020000001022"}});
  EXPECT_EQ(reply.status, 403u);
  EXPECT_EQ(error_code_of(reply), "kyc_required");
  bob->verify_identity(22);
  reply = bob->post("/v1/me/bank-accounts", {{"bank_code", "ICBC"}, {"account_number", "6222020000000000"}});
  EXPECT_EQ(error_code_of(reply), "bank_account_not_found");
  reply = bob->post("/v1/me/bank-accounts", {{"bank_code", "ICBC"}, {"account_number", "6222020000000001"}});
  EXPECT_EQ(error_code_of(reply), "bank_account_holder_mismatch");
  reply = bob->post("/v1/me/bank-accounts", {{"bank_code", "ICBC"}, {"account_number", "6222020000001022"}});
  ASSERT_EQ(reply.status, 201u) << reply.body;
  EXPECT_EQ(json::parse(reply.body)["masked_account_number"], "6222 **** **** 1022");
  EXPECT_EQ(json::parse(bob->get("/v1/me").body)["kyc_level"], 2);
  json accounts = json::parse(bob->get("/v1/me/bank-accounts").body);
  EXPECT_EQ(accounts["items"].size(), 1u);
}

TEST_F(WalletMoneyTest, TopUpTransferAndBothHistories) {
  auto alice = app(23);
  auto bob = app(24);
  alice->open_funded(23, "1000.00");
  bob->sign_up_and_log_in();
  EXPECT_EQ(alice->wallet()["available"], "1000.00");

  HttpReply reply = alice->post("/v1/transfers", {{"to_phone", "13900000024"}, {"amount", "25.50"},
                                                  {"currency", "CNY"}, {"pin", kTestPin}, {"note", "午饭"}});
  ASSERT_EQ(reply.status, 201u) << reply.body;
  json receipt = json::parse(reply.body);
  EXPECT_EQ(receipt["status"], "completed");
  EXPECT_EQ(receipt["to"], "+86 139****0024");
  EXPECT_EQ(alice->wallet()["available"], "974.50");
  EXPECT_EQ(bob->wallet()["available"], "25.50");

  json mine = json::parse(alice->get("/v1/me/transactions").body);
  ASSERT_EQ(mine["items"].size(), 2u) << mine.dump();
  EXPECT_EQ(mine["items"][0]["id"], receipt["id"]);
  EXPECT_EQ(mine["items"][0]["direction"], "out");
  EXPECT_EQ(mine["items"][0]["counterparty"], "+86 139****0024");
  EXPECT_EQ(mine["items"][0]["note"], "午饭");
  // A note that would read otherwise than it is (a bidi override), or that breaks the SMS line,
  // is refused and moves nothing.
  for (const char* note : {"lunch \u202Eevil", "bell\a", "two\nlines"}) {
    HttpReply refused = alice->post("/v1/transfers", {{"to_phone", "13900000024"},
                                                      {"amount", "1.00"},
                                                      {"currency", "CNY"},
                                                      {"pin", kTestPin},
                                                      {"note", note}});
    EXPECT_EQ(refused.status, 400u) << note << " " << refused.body;
    EXPECT_EQ(error_code_of(refused), "note_invalid") << note;
  }
  EXPECT_EQ(alice->wallet()["available"], "974.50");
  EXPECT_EQ(mine["items"][1]["type"], "top_up");
  EXPECT_EQ(mine["items"][1]["amount"], "1000.00");
  json theirs = json::parse(bob->get("/v1/me/transactions").body);
  ASSERT_EQ(theirs["items"].size(), 1u);
  EXPECT_EQ(theirs["items"][0]["direction"], "in");
  EXPECT_EQ(theirs["items"][0]["counterparty"], "+86 139****0023");
  EXPECT_EQ(theirs["items"][0]["amount"], "25.50");
  json only_top_ups = json::parse(alice->get("/v1/me/transactions?type=top_up").body);
  EXPECT_EQ(only_top_ups["items"].size(), 1u);

  // Both were told by SMS (sent in the background, right after the money moved).
  std::vector<json> notices;
  for (int tries = 0; tries < 500; ++tries) {
    notices = alice->outbox().messages_to("+8613900000024");
    if (!notices.empty() && !alice->outbox().messages_to("+8613900000023").empty() &&
        alice->outbox().messages_to("+8613900000023").back()["purpose"] == "transfer_sent") {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(notices.empty());
  EXPECT_EQ(notices.back()["purpose"], "transfer_received");
  EXPECT_NE(notices.back()["text"].get<std::string>().find("25.50 CNY"), std::string::npos);
  EXPECT_EQ(alice->outbox().messages_to("+8613900000023").back()["purpose"], "transfer_sent");
}

TEST_F(WalletMoneyTest, TransferRefusalsEachHaveTheirCode) {
  auto alice = app(25);
  auto bob = app(26);
  alice->open_funded(25, "100.00");
  bob->sign_up_and_log_in();
  struct Case {
    json body;
    unsigned status;
    std::string code;
  };
  std::vector<Case> cases = {
      {{{"to_phone", "13900000099"}, {"amount", "1.00"}, {"currency", "CNY"}, {"pin", kTestPin}}, 404, "recipient_not_found"},
      {{{"to_phone", alice->phone()}, {"amount", "1.00"}, {"currency", "CNY"}, {"pin", kTestPin}}, 422, "self_transfer"},
      {{{"to_phone", bob->phone()}, {"amount", "100.01"}, {"currency", "CNY"}, {"pin", kTestPin}}, 422, "insufficient_funds"},
      {{{"to_phone", bob->phone()}, {"amount", "1.005"}, {"currency", "CNY"}, {"pin", kTestPin}}, 400, "amount_too_many_fraction_digits"},
      {{{"to_phone", bob->phone()}, {"amount", "0"}, {"currency", "CNY"}, {"pin", kTestPin}}, 422, "amount_zero"},
      {{{"to_phone", bob->phone()}, {"amount", "-1"}, {"currency", "CNY"}, {"pin", kTestPin}}, 400, "amount_negative"},
      {{{"to_phone", bob->phone()}, {"amount", "1.00"}, {"currency", "USD"}, {"pin", kTestPin}}, 422, "currency_mismatch"},
      {{{"to_phone", bob->phone()}, {"amount", "1.00"}, {"currency", "XXY"}, {"pin", kTestPin}}, 400, "currency_unknown"},
      {{{"to_phone", bob->phone()}, {"amount", "1.00"}, {"currency", "CNY"}, {"pin", "975318"}}, 403, "pin_incorrect"},
      {{{"to_phone", bob->phone()}, {"amount", 1}, {"currency", "CNY"}, {"pin", kTestPin}}, 400, "json_wrong_type"},
  };
  for (const Case& c : cases) {
    HttpReply reply = alice->post("/v1/transfers", c.body);
    EXPECT_EQ(reply.status, c.status) << c.body.dump() << " -> " << reply.body;
    EXPECT_EQ(error_code_of(reply), c.code) << c.body.dump();
  }
  EXPECT_EQ(alice->wallet()["available"], "100.00");
  EXPECT_EQ(bob->wallet()["available"], "0.00");
  // Bob is at KYC level 0: his wallet holds at most 1,000.00, whatever Alice may send.
  alice->top_up(alice->bank_account_id(), "1000.00");
  HttpReply reply = alice->transfer(bob->phone(), "1000.01");
  EXPECT_EQ(error_code_of(reply), "recipient_balance_cap_exceeded");
}

// An amount above the maximum per operation (10^13 minor units) is 422 amount_too_large on every
// money route, up to and beyond INT64_MAX minor units, and moves nothing. The maximum itself reads
// fine and meets the ordinary limits.
TEST_F(WalletMoneyTest, AmountsAboveTheMaximumAreRefusedAndMoveNothing) {
  auto alice = app(29);
  auto bob = app(30);
  alice->open_funded(29, "100.00");
  bob->sign_up_and_log_in();
  size_t history_before = json::parse(alice->get("/v1/me/transactions").body)["items"].size();
  for (const char* amount : {"100000000000.01", "92233720368547758.07", "92233720368547758.08",
                             "99999999999999999999999"}) {
    for (HttpReply reply :
         {alice->transfer(bob->phone(), amount),
          alice->post("/v1/me/top-ups", {{"bank_account_id", alice->bank_account_id()},
                                         {"amount", amount},
                                         {"currency", "CNY"}}),
          alice->post("/v1/me/withdrawals", {{"bank_account_id", alice->bank_account_id()},
                                             {"amount", amount},
                                             {"currency", "CNY"},
                                             {"pin", kTestPin}})}) {
      EXPECT_EQ(reply.status, 422u) << amount << " -> " << reply.body;
      EXPECT_EQ(error_code_of(reply), "amount_too_large") << amount;
      EXPECT_EQ(json::parse(reply.body)["error"]["field"], "amount") << amount;
    }
  }
  // The maximum itself is an amount like any other: the ordinary limits answer (here Bob's
  // balance cap at KYC level 0).
  EXPECT_EQ(error_code_of(alice->transfer(bob->phone(), "100000000000.00")),
            "recipient_balance_cap_exceeded");
  EXPECT_EQ(alice->wallet()["available"], "100.00");
  EXPECT_EQ(bob->wallet()["available"], "0.00");
  EXPECT_EQ(json::parse(alice->get("/v1/me/transactions").body)["items"].size(), history_before);
  // The wallet's routes take no query parameters beyond those they list.
  HttpReply queried = alice->get("/v1/me/wallet?currency=USD");
  EXPECT_EQ(queried.status, 400u);
  EXPECT_EQ(error_code_of(queried), "query_parameter_unknown");
  HttpReply transfer_with_query = alice->post(
      "/v1/transfers?dry_run=true",
      {{"to_phone", bob->phone()}, {"amount", "1.00"}, {"currency", "CNY"}, {"pin", kTestPin}});
  EXPECT_EQ(error_code_of(transfer_with_query), "query_parameter_unknown");
  EXPECT_EQ(alice->wallet()["available"], "100.00");
}

TEST_F(WalletMoneyTest, LimitsOfTheKycLevelHold) {
  auto alice = app(27);
  auto bob = app(28);
  alice->open_funded(27, "50000.00");
  alice->top_up(alice->bank_account_id(), "50000.00");
  alice->top_up(alice->bank_account_id(), "10000.00");
  bob->open_funded(28, "1.00");  // level 2: can hold what Alice sends
  HttpReply reply = alice->transfer(bob->phone(), "50000.01");
  EXPECT_EQ(error_code_of(reply), "limit_per_payment_exceeded");
  EXPECT_EQ(alice->transfer(bob->phone(), "50000.00").status, 201u);
  EXPECT_EQ(alice->transfer(bob->phone(), "50000.00").status, 201u);
  reply = alice->transfer(bob->phone(), "0.01");
  EXPECT_EQ(reply.status, 422u);
  EXPECT_EQ(error_code_of(reply), "limit_daily_exceeded");
  json profile = json::parse(alice->get("/v1/me").body);
  EXPECT_EQ(profile["used"]["today"], "100000.00");

  // The use of the limits survives a restart (rebuilt from the ledger).
  ASSERT_EQ(stop(), 0);
  start();
  auto again = app(27);
  again->log_in();
  reply = again->transfer(bob->phone(), "0.01");
  EXPECT_EQ(error_code_of(reply), "limit_daily_exceeded");
}

TEST_F(WalletMoneyTest, TwoConcurrentTransfersThatTogetherExceedTheBalance) {
  auto alice = app(29);
  auto bob = app(30);
  auto carol = app(31);
  alice->open_funded(29, "100.00");
  bob->sign_up_and_log_in();
  carol->sign_up_and_log_in();
  for (int round = 0; round < 5; ++round) {
    HttpReply first, second;
    auto alice2 = std::make_unique<testing::WalletApp>(port(), data(), alice->phone());
    alice2->set_token(alice->token());
    std::thread one([&] { first = alice->transfer(bob->phone(), "60.00"); });
    std::thread two([&] { second = alice2->transfer(carol->phone(), "60.00"); });
    one.join();
    two.join();
    int successes = (first.status == 201) + (second.status == 201);
    EXPECT_EQ(successes, 1) << first.body << " / " << second.body;
    HttpReply& refused = first.status == 201 ? second : first;
    EXPECT_EQ(error_code_of(refused), "insufficient_funds");
    // Put the money back for the next round.
    auto& receiver = first.status == 201 ? bob : carol;
    ASSERT_EQ(receiver->transfer(alice->phone(), "60.00").status, 201u);
  }
  EXPECT_EQ(alice->wallet()["available"], "100.00");
}

TEST_F(WalletMoneyTest, WithdrawalHeldThenPaid) {
  ASSERT_EQ(stop(), 0);
  start("300");  // answers within the 500 ms timeout, slowly enough to see the hold
  auto alice = app(32);
  alice->open_funded(32, "300.00");
  HttpReply reply = alice->post("/v1/me/withdrawals", {{"bank_account_id", alice->bank_account_id()},
                                                       {"amount", "120.00"}, {"currency", "CNY"}, {"pin", kTestPin}});
  ASSERT_EQ(reply.status, 202u) << reply.body;
  json order = json::parse(reply.body);
  EXPECT_EQ(order["status"], "pending");
  json held = alice->wallet();
  EXPECT_EQ(held["available"], "180.00");
  EXPECT_EQ(held["pending"], "120.00");
  json done = alice->wait_order("withdrawals", order["id"]);
  EXPECT_EQ(done["status"], "confirmed");
  json after = alice->wallet();
  EXPECT_EQ(after["available"], "180.00");
  EXPECT_EQ(after["pending"], "0.00");
  EXPECT_EQ(after["posted"], "180.00");
}

TEST_F(WalletMoneyTest, WithdrawalDeclinedOrTimedOutGivesTheMoneyBack) {
  auto alice = app(33);
  alice->open_funded(33, "300.00");
  std::string closed = alice->link_bank("6222020000000004");    // every order declined
  std::string silent = alice->link_bank("6222020000000003");    // the bank never answers
  for (const auto& [account, status] : {std::pair{closed, "declined"}, std::pair{silent, "timed_out"}}) {
    HttpReply reply = alice->post("/v1/me/withdrawals", {{"bank_account_id", account}, {"amount", "100.00"},
                                                         {"currency", "CNY"}, {"pin", kTestPin}});
    ASSERT_EQ(reply.status, 202u) << reply.body;
    json done = alice->wait_order("withdrawals", json::parse(reply.body)["id"]);
    EXPECT_EQ(done["status"], status) << done.dump();
    json wallet = alice->wallet();
    EXPECT_EQ(wallet["available"], "300.00");
    EXPECT_EQ(wallet["pending"], "0.00");
  }
  HttpReply reply = alice->post("/v1/me/withdrawals", {{"bank_account_id", alice->bank_account_id()},
                                                       {"amount", "300.01"}, {"currency", "CNY"}, {"pin", kTestPin}});
  EXPECT_EQ(error_code_of(reply), "insufficient_funds");
  reply = alice->post("/v1/me/withdrawals", {{"bank_account_id", "00000000-0000-7000-8000-000000000000"},
                                             {"amount", "1.00"}, {"currency", "CNY"}, {"pin", kTestPin}});
  EXPECT_EQ(error_code_of(reply), "bank_account_not_found");
}

TEST_F(WalletMoneyTest, TheSandboxBankStatementListsTheDaysTopUps) {
  auto alice = app(37);
  alice->open_funded(37, "12.34");
  json order = alice->top_up(alice->bank_account_id(), "5.00");
  ASSERT_EQ(order["status"], "confirmed");
  ASSERT_EQ(stop(), 0);
  std::time_t now = std::time(nullptr);
  char day[16];
  std::strftime(day, sizeof(day), "%Y-%m-%d", std::gmtime(&now));
  if (now % 86400 < 60) GTEST_SKIP() << "too close to midnight UTC: the orders may sit on yesterday's statement";
  std::string command = std::string(MPAY_CLI_BINARY) + " sandbox-bank statement --data " + data() + " --day " + day;
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(data() + "/sandbox-bank/statement-" + day + ".csv");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("," + order["id"].get<std::string>() + ","), std::string::npos) << text.str();
  EXPECT_NE(text.str().find(",debit,6222 **** **** 1037,500,CNY"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("total,2,1734,0,CNY"), std::string::npos) << text.str();
}

TEST_F(WalletMoneyTest, ADeclinedTopUpCreditsNothing) {
  auto alice = app(34);
  alice->sign_up_and_log_in();
  alice->verify_identity(34);
  std::string empty = alice->link_bank("6222020000000002");  // no money at the bank
  HttpReply reply = alice->post("/v1/me/top-ups", {{"bank_account_id", empty}, {"amount", "10.00"}, {"currency", "CNY"}});
  ASSERT_EQ(reply.status, 202u) << reply.body;
  json done = alice->wait_order("top-ups", json::parse(reply.body)["id"]);
  EXPECT_EQ(done["status"], "declined");
  EXPECT_EQ(done["decline_code"], "insufficient_funds");
  EXPECT_EQ(alice->wallet()["available"], "0.00");
}

TEST_F(WalletMoneyTest, ARetryWithTheSameIdempotencyKeyPaysOnce) {
  auto alice = app(35);
  auto bob = app(36);
  alice->open_funded(35, "100.00");
  bob->sign_up_and_log_in();
  HttpReply first = alice->transfer(bob->phone(), "10.00", kTestPin, {{"Idempotency-Key", "pay-bob-1"}});
  HttpReply again = alice->transfer(bob->phone(), "10.00", kTestPin, {{"Idempotency-Key", "pay-bob-1"}});
  ASSERT_EQ(first.status, 201u) << first.body;
  EXPECT_EQ(again.status, 201u);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(alice->wallet()["available"], "90.00");
  EXPECT_EQ(bob->wallet()["available"], "10.00");
  HttpReply different = alice->transfer(bob->phone(), "11.00", kTestPin, {{"Idempotency-Key", "pay-bob-1"}});
  EXPECT_EQ(different.status, 422u);
  EXPECT_EQ(error_code_of(different), "idempotency_key_reused");
}

}  // namespace
}  // namespace mpay
