// Payment requests end to end over HTTP: a merchant (signed requests) asks, a user (session) sees
// and confirms or declines, money moves from the wallet, the phone bill or the bank; capture,
// void, refunds; consent (a merchant has no other way to a user's money); statuses that survive a
// restart of mpayd (with the request book's counts on /metrics), and a kill -9 in the middle of
// load.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/currency.h"
#include "core/money.h"
#include "support/merchant_client.h"
#include "support/wallet_server_fixture.h"

namespace mpay {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::error_code_of;
using testing::HttpReply;
using testing::kTestPin;
using testing::MerchantClient;
using testing::SignedCall;

class PaymentRequestApiTest : public testing::WalletServerTest {
 protected:
  struct Merchant {
    std::string id;
    std::unique_ptr<MerchantClient> client;
    std::string key_id, secret;  // to reconnect after a restart (a new port)
  };

  Merchant onboard(const std::string& name = "Noodle Bar") {
    HttpReply created = operator_call(verb::post, "/v1/admin/merchants", testing::merchant_application_json(name));
    EXPECT_EQ(created.status, 201u) << created.body;
    json answer = json::parse(created.body);
    return Merchant{answer["merchant"]["merchant_id"],
                    std::make_unique<MerchantClient>(port(), answer["api_key"]["key_id"], answer["api_key"]["secret"]),
                    answer["api_key"]["key_id"], answer["api_key"]["secret"]};
  }

  static SignedCall call(const std::string& method, const std::string& target, const std::string& body) {
    SignedCall signed_call;
    signed_call.method = method;
    return signed_call.with_target(target).with_body(body);
  }
  HttpReply merchant_post(Merchant& merchant, const std::string& target, const json& body) {
    return merchant.client->send(call("POST", target, body.is_null() ? "" : body.dump()));
  }
  HttpReply merchant_get(Merchant& merchant, const std::string& target) {
    return merchant.client->send(call("GET", target, ""));
  }

  json ask(Merchant& merchant, const std::string& phone, const std::string& amount, const std::string& reference,
           const std::string& capture = "automatic") {
    HttpReply created = merchant_post(merchant, "/v1/payment-requests",
                                      {{"payer_phone", phone}, {"amount", amount}, {"currency", "CNY"},
                                       {"description", "Beef noodles"}, {"merchant_reference", reference},
                                       {"capture", capture}, {"metadata", {{"table", "7"}}}});
    EXPECT_EQ(created.status, 201u) << created.body;
    return json::parse(created.body);
  }

  static std::string available(testing::WalletApp& app) { return app.wallet()["available"]; }

  // The payer confirms paying from a linked bank account: 202 while the bank is asked.
  static HttpReply confirm_from_bank(testing::WalletApp& payer, const std::string& id,
                                     const std::string& bank_account_id) {
    return payer.post(
        "/v1/me/payment-requests/" + id + "/confirm",
        {{"pin", kTestPin}, {"funding_source", "bank"}, {"bank_account_id", bank_account_id}});
  }

  // Reads the request every 20 ms until `done(request)`, for up to 4 s; returns the last answer.
  template <typename Done>
  json poll_request(Merchant& merchant, const std::string& id, Done done) {
    json seen;
    for (int i = 0; i < 200; ++i) {
      seen = json::parse(merchant_get(merchant, "/v1/payment-requests/" + id).body);
      if (done(seen)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return seen;
  }
  static bool answered(const json& request) { return request["status"] != "awaiting_confirmation"; }
};

TEST_F(PaymentRequestApiTest, AMerchantAsksTheUserConfirmsAndTheMerchantRefunds) {
  Merchant merchant = onboard();
  auto alice = app(41);
  alice->open_funded(41, "100.00");

  json request = ask(merchant, alice->phone(), "25.50", "order-1");
  EXPECT_EQ(request["status"], "awaiting_confirmation");
  EXPECT_EQ(request["payer_phone"].get<std::string>().find("13900000041"), std::string::npos);  // masked
  std::string id = request["id"];
  // The user is told by SMS and sees it among the pending ones.
  std::vector<json> sms = alice->outbox().messages_to(alice->phone());
  ASSERT_FALSE(sms.empty());
  EXPECT_NE(sms.back()["text"].get<std::string>().find("Noodle Bar"), std::string::npos);
  json pending = json::parse(alice->get("/v1/me/payment-requests?status=pending").body);
  ASSERT_EQ(pending["items"].size(), 1u);
  EXPECT_EQ(pending["items"][0]["id"], id);
  EXPECT_EQ(pending["items"][0]["merchant"]["name"], "Noodle Bar");
  EXPECT_EQ(available(*alice), "100.00");  // nothing moved yet

  // A wrong PIN changes nothing; the right one pays.
  HttpReply wrong = alice->post("/v1/me/payment-requests/" + id + "/confirm", {{"pin", "000000"}, {"funding_source", "wallet"}});
  EXPECT_EQ(wrong.status, 403u);
  EXPECT_EQ(error_code_of(wrong), "pin_incorrect");
  EXPECT_EQ(json::parse(merchant_get(merchant, "/v1/payment-requests/" + id).body)["status"], "awaiting_confirmation");
  HttpReply paid = alice->post("/v1/me/payment-requests/" + id + "/confirm", {{"pin", kTestPin}, {"funding_source", "wallet"}});
  ASSERT_EQ(paid.status, 200u) << paid.body;
  EXPECT_EQ(json::parse(paid.body)["status"], "succeeded");
  EXPECT_EQ(available(*alice), "74.50");
  // Double confirm.
  HttpReply again = alice->post("/v1/me/payment-requests/" + id + "/confirm", {{"pin", kTestPin}, {"funding_source", "wallet"}});
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(error_code_of(again), "payment_request_not_awaiting_confirmation");
  EXPECT_EQ(available(*alice), "74.50");

  json seen = json::parse(merchant_get(merchant, "/v1/payment-requests/" + id).body);
  EXPECT_EQ(seen["status"], "succeeded");
  EXPECT_EQ(seen["funding_source"], "wallet");
  EXPECT_EQ(seen["fee"], "0.31");  // 25.50 x 120 bps = 0.306, rounded half up
  EXPECT_EQ(seen["metadata"]["table"], "7");

  // Refunds: partial, partial, then one more than is left.
  HttpReply first = merchant_post(merchant, "/v1/payment-requests/" + id + "/refunds", {{"amount", "10.00"}, {"reason", "cold"}});
  ASSERT_EQ(first.status, 201u) << first.body;
  EXPECT_EQ(json::parse(first.body)["status"], "succeeded");
  EXPECT_EQ(json::parse(first.body)["fee_returned"], "0.12");  // floor(31 x 1000 / 2550) = 12
  HttpReply over = merchant_post(merchant, "/v1/payment-requests/" + id + "/refunds", {{"amount", "15.51"}});
  EXPECT_EQ(over.status, 422u);
  EXPECT_EQ(error_code_of(over), "refund_amount_exceeds_captured");
  HttpReply rest = merchant_post(merchant, "/v1/payment-requests/" + id + "/refunds", {{"amount", "15.50"}});
  ASSERT_EQ(rest.status, 201u) << rest.body;
  EXPECT_EQ(json::parse(rest.body)["fee_returned"], "0.19");  // the whole fee is back: 12 + 19 = 31
  EXPECT_EQ(available(*alice), "100.00");
  json refunded = json::parse(merchant_get(merchant, "/v1/payment-requests/" + id).body);
  EXPECT_EQ(refunded["refunded_amount"], "25.50");
  EXPECT_EQ(refunded["refunds"].size(), 2u);
}

TEST_F(PaymentRequestApiTest, DeclineCancelManualCaptureAndVoid) {
  Merchant merchant = onboard();
  auto alice = app(42);
  alice->open_funded(42, "100.00");

  std::string declined = ask(merchant, alice->phone(), "5.00", "d-1")["id"];
  HttpReply decline = alice->post("/v1/me/payment-requests/" + declined + "/decline", nullptr);
  ASSERT_EQ(decline.status, 200u) << decline.body;
  EXPECT_EQ(json::parse(decline.body)["status"], "declined");
  EXPECT_EQ(error_code_of(merchant_post(merchant, "/v1/payment-requests/" + declined + "/cancel", nullptr)),
            "payment_request_not_awaiting_confirmation");

  std::string cancelled = ask(merchant, alice->phone(), "5.00", "c-1")["id"];
  ASSERT_EQ(merchant_post(merchant, "/v1/payment-requests/" + cancelled + "/cancel", nullptr).status, 200u);
  HttpReply late = alice->post("/v1/me/payment-requests/" + cancelled + "/confirm", {{"pin", kTestPin}, {"funding_source", "wallet"}});
  EXPECT_EQ(late.status, 409u);
  EXPECT_EQ(available(*alice), "100.00");

  // Manual capture: authorized holds, a partial capture moves only that.
  std::string held = ask(merchant, alice->phone(), "40.00", "m-1", "manual")["id"];
  HttpReply authorized = alice->post("/v1/me/payment-requests/" + held + "/confirm", {{"pin", kTestPin}, {"funding_source", "wallet"}});
  ASSERT_EQ(authorized.status, 200u) << authorized.body;
  EXPECT_EQ(json::parse(authorized.body)["status"], "authorized");
  EXPECT_EQ(available(*alice), "60.00");
  EXPECT_EQ(error_code_of(merchant_post(merchant, "/v1/payment-requests/" + held + "/capture", {{"amount", "40.01"}})),
            "capture_amount_invalid");
  HttpReply captured = merchant_post(merchant, "/v1/payment-requests/" + held + "/capture", {{"amount", "30.00"}});
  ASSERT_EQ(captured.status, 200u) << captured.body;
  EXPECT_EQ(json::parse(captured.body)["status"], "captured");
  EXPECT_EQ(json::parse(captured.body)["captured_amount"], "30.00");
  EXPECT_EQ(available(*alice), "70.00");

  std::string voided = ask(merchant, alice->phone(), "20.00", "m-2", "manual")["id"];
  ASSERT_EQ(alice->post("/v1/me/payment-requests/" + voided + "/confirm", {{"pin", kTestPin}, {"funding_source", "wallet"}}).status, 200u);
  EXPECT_EQ(available(*alice), "50.00");
  HttpReply released = merchant_post(merchant, "/v1/payment-requests/" + voided + "/void", nullptr);
  ASSERT_EQ(released.status, 200u) << released.body;
  EXPECT_EQ(json::parse(released.body)["status"], "voided");
  EXPECT_EQ(available(*alice), "70.00");

  // The merchant's list, by status, with a cursor.
  json page = json::parse(merchant_get(merchant, "/v1/payment-requests?status=captured&limit=10").body);
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["id"], held);
}

// Actions that take no fields take no body or {}; any other body is a json_* 400 and the action
// is not taken, so a client who sends a reason or an amount learns that it was not read.
TEST_F(PaymentRequestApiTest, ActionsThatTakeNoFieldsRefuseAnyOtherBodyAndChangeNothing) {
  Merchant merchant = onboard();
  auto alice = app(48);
  alice->open_funded(48, "100.00");
  auto merchant_raw = [&](const std::string& target, const std::string& body) {
    return merchant.client->send(call("POST", target, body));
  };
  auto user_raw = [&](const std::string& target, const std::string& body) {
    return testing::HttpClient("127.0.0.1", port())
        .request(verb::post, target, body, {{"Authorization", "Bearer " + alice->token()}});
  };
  auto status_of = [&](const std::string& id) {
    return json::parse(merchant_get(merchant, "/v1/payment-requests/" + id).body)["status"];
  };

  std::string open = ask(merchant, alice->phone(), "5.00", "nf-1")["id"];
  std::string cancel = "/v1/payment-requests/" + open + "/cancel";
  HttpReply extra = merchant_raw(cancel, R"({"reason":"x","amount":"-5"})");
  EXPECT_EQ(extra.status, 400u) << extra.body;
  EXPECT_EQ(error_code_of(extra), "json_unknown_field");
  HttpReply array = merchant_raw(cancel, "[1,2,3]");
  EXPECT_EQ(array.status, 400u) << array.body;
  EXPECT_EQ(error_code_of(array), "json_not_object");
  HttpReply reasoned =
      user_raw("/v1/me/payment-requests/" + open + "/decline", R"({"reason":"too dear"})");
  EXPECT_EQ(reasoned.status, 400u) << reasoned.body;
  EXPECT_EQ(error_code_of(reasoned), "json_unknown_field");
  EXPECT_EQ(status_of(open), "awaiting_confirmation");
  ASSERT_EQ(merchant_raw(cancel, "{}").status, 200u);
  EXPECT_EQ(status_of(open), "cancelled");

  std::string held = ask(merchant, alice->phone(), "20.00", "nf-2", "manual")["id"];
  ASSERT_EQ(alice
                ->post("/v1/me/payment-requests/" + held + "/confirm",
                       {{"pin", kTestPin}, {"funding_source", "wallet"}})
                .status,
            200u);
  HttpReply garbage = merchant_raw("/v1/payment-requests/" + held + "/void", "not json {{{");
  EXPECT_EQ(garbage.status, 400u) << garbage.body;
  EXPECT_EQ(error_code_of(garbage), "json_invalid");
  EXPECT_EQ(status_of(held), "authorized");
  EXPECT_EQ(available(*alice), "80.00");

  HttpReply mandate = alice->post("/v1/me/mandates", {{"merchant_id", merchant.id},
                                                      {"currency", "CNY"},
                                                      {"per_charge_max", "10.00"},
                                                      {"monthly_max", "15.00"},
                                                      {"pin", kTestPin}});
  ASSERT_EQ(mandate.status, 201u) << mandate.body;
  std::string mandate_id = json::parse(mandate.body)["id"];
  HttpReply revoke = user_raw("/v1/me/mandates/" + mandate_id + "/revoke", "[]");
  EXPECT_EQ(revoke.status, 400u) << revoke.body;
  EXPECT_EQ(error_code_of(revoke), "json_not_object");
  EXPECT_EQ(json::parse(alice->get("/v1/me/mandates").body)["items"][0]["status"], "active");
}

// The description goes into the SMS to the payer: a control character could reshape that text,
// so it is refused with its field named, as are control characters in metadata, and nothing is
// created or sent.
TEST_F(PaymentRequestApiTest, ControlCharactersInDescriptionAndMetadataAreRefused) {
  Merchant merchant = onboard();
  auto alice = app(49);
  alice->open_funded(49, "10.00");
  size_t sms_before = alice->outbox().messages_to(alice->phone()).size();
  auto create = [&](const json& extra) {
    json body = {{"payer_phone", alice->phone()},
                 {"amount", "1.00"},
                 {"currency", "CNY"},
                 {"merchant_reference", "ctl-1"}};
    body.update(extra);
    return merchant_post(merchant, "/v1/payment-requests", body);
  };
  struct Case {
    json extra;
    const char* code;
    const char* field;
  };
  for (const Case& c : std::initializer_list<Case>{
           {{{"description", "Noodles\nReply STOP to 555"}}, "description_invalid", "description"},
           {{{"description", "bell\x07"}}, "description_invalid", "description"},
           {{{"description", "del\x7f"}}, "description_invalid", "description"},
           // U+202E RIGHT-TO-LEFT OVERRIDE and U+2066 LEFT-TO-RIGHT ISOLATE: the SMS would read
           // in another order than the text is.
           {{{"description", "Noodles \u202E01.0001 YNC"}}, "description_invalid", "description"},
           {{{"description", "Noodles \u2066x\u2069"}}, "description_invalid", "description"},
           {{{"metadata", {{"k", "12\u202E34"}}}}, "metadata_value_invalid", "metadata.k"},
           {{{"metadata", {{"k", std::string("a\0b", 3)}}}},
            "metadata_value_invalid",
            "metadata.k"},
           {{{"metadata", {{std::string("a\0b", 3), "v"}}}}, "metadata_key_invalid", ""},
           {{{"merchant_reference", "ref\t1"}}, "merchant_reference_invalid", "merchant_reference"},
       }) {
    HttpReply refused = create(c.extra);
    EXPECT_EQ(refused.status, 400u) << c.extra.dump() << " " << refused.body;
    EXPECT_EQ(error_code_of(refused), c.code) << c.extra.dump();
    if (*c.field != '\0') {
      EXPECT_EQ(json::parse(refused.body)["error"]["field"], c.field) << c.extra.dump();
    }
  }
  EXPECT_EQ(json::parse(merchant_get(merchant, "/v1/payment-requests").body)["items"].size(), 0u);
  EXPECT_EQ(alice->outbox().messages_to(alice->phone()).size(), sms_before);
  // The same reference with a plain description is created: nothing above used it up.
  HttpReply plain = create({{"description", "Beef noodles, 面馆"}});
  EXPECT_EQ(plain.status, 201u) << plain.body;
  // A refund's reason follows the same rule, and a refused one refunds nothing.
  std::string id = json::parse(plain.body)["id"];
  ASSERT_EQ(alice
                ->post("/v1/me/payment-requests/" + id + "/confirm",
                       {{"pin", kTestPin}, {"funding_source", "wallet"}})
                .status,
            200u);
  for (const char* reason : {"late\x07", "bad \u202Eboog", "a\nb"}) {
    HttpReply refused = merchant_post(merchant, "/v1/payment-requests/" + id + "/refunds",
                                      {{"amount", "1.00"}, {"reason", reason}});
    EXPECT_EQ(refused.status, 400u) << reason << " " << refused.body;
    EXPECT_EQ(error_code_of(refused), "refund_reason_invalid") << reason;
  }
  EXPECT_EQ(
      json::parse(merchant_get(merchant, "/v1/payment-requests/" + id).body)["refunded_amount"],
      "0.00");
  EXPECT_EQ(merchant_post(merchant, "/v1/payment-requests/" + id + "/refunds",
                          {{"amount", "1.00"}, {"reason", "returned, 退货"}})
                .status,
            201u);
}

// Bad input of any kind is refused precisely and changes nothing: amounts above the maximum per
// operation (up to and beyond INT64_MAX minor units), numbers that fit no field, query
// parameters a route does not take, malformed ids, a merchant name with a bidi override.
TEST_F(PaymentRequestApiTest, AmountsTooLargeNumbersOutOfRangeAndUnknownQueriesChangeNothing) {
  Merchant merchant = onboard();
  auto alice = app(50);
  alice->open_funded(50, "10.00");
  size_t sms_before = alice->outbox().messages_to(alice->phone()).size();
  // A reference of its own for each attempt, so that one wrongly accepted cannot hide the next.
  int attempt = 0;
  auto body_with = [&](const std::string& amount) {
    return json{{"payer_phone", alice->phone()},
                {"amount", amount},
                {"currency", "CNY"},
                {"merchant_reference", "big-" + std::to_string(++attempt)}};
  };
  for (const char* amount : {"100000000000.01", "92233720368547758.07", "92233720368547758.08",
                             "99999999999999999999999"}) {
    HttpReply refused = merchant_post(merchant, "/v1/payment-requests", body_with(amount));
    EXPECT_EQ(refused.status, 422u) << amount << " " << refused.body;
    EXPECT_EQ(error_code_of(refused), "amount_too_large") << amount;
    EXPECT_EQ(json::parse(refused.body)["error"]["field"], "amount") << amount;
  }
  for (const char* expires : {"1e400", "99999999999999999999", "-1E+999"}) {
    std::string raw = body_with("1.00").dump();
    raw.insert(raw.size() - 1, std::string(",\"expires_in_s\":") + expires);
    HttpReply refused = merchant.client->send(call("POST", "/v1/payment-requests", raw));
    EXPECT_EQ(refused.status, 400u) << raw << " " << refused.body;
    EXPECT_EQ(error_code_of(refused), "json_number_out_of_range") << raw;
    EXPECT_EQ(json::parse(refused.body)["error"]["field"], "expires_in_s") << raw;
  }
  // Signed over the path with its query, so the signature is good; the route takes no query.
  HttpReply queried = merchant.client->send(
      call("POST", "/v1/payment-requests?dry_run=1", body_with("1.00").dump()));
  EXPECT_EQ(queried.status, 400u) << queried.body;
  EXPECT_EQ(error_code_of(queried), "query_parameter_unknown");
  EXPECT_EQ(json::parse(queried.body)["error"]["field"], "dry_run");
  EXPECT_EQ(json::parse(merchant_get(merchant, "/v1/payment-requests").body)["items"].size(), 0u);
  EXPECT_EQ(alice->outbox().messages_to(alice->phone()).size(), sms_before);

  json request = ask(merchant, alice->phone(), "1.00", "big-1");  // no reference was used up
  std::string id = request["id"];
  HttpReply unknown = merchant_get(merchant, "/v1/payment-requests/" + id + "?foo=1");
  EXPECT_EQ(unknown.status, 400u) << unknown.body;
  EXPECT_EQ(error_code_of(unknown), "query_parameter_unknown");
  HttpReply repeated = merchant_get(merchant, "/v1/payment-requests?limit=1&limit=2");
  EXPECT_EQ(error_code_of(repeated), "query_parameter_repeated");
  HttpReply listed = alice->get("/v1/me/payment-requests?status=pending&colour=red");
  EXPECT_EQ(listed.status, 400u);
  EXPECT_EQ(error_code_of(listed), "query_parameter_unknown");
  EXPECT_EQ(merchant_get(merchant, "/v1/payment-requests/" + id).status, 200u);
  HttpReply refund = merchant_post(merchant, "/v1/payment-requests/" + id + "/refunds",
                                   {{"amount", "92233720368547758.07"}});
  EXPECT_EQ(refund.status, 422u) << refund.body;
  EXPECT_EQ(error_code_of(refund), "amount_too_large");
  HttpReply capture = merchant_post(merchant, "/v1/payment-requests/" + id + "/capture",
                                    {{"amount", "100000000000.01"}});
  EXPECT_EQ(error_code_of(capture), "amount_too_large");
  EXPECT_EQ(json::parse(merchant_get(merchant, "/v1/payment-requests/" + id).body)["status"],
            "awaiting_confirmation");

  HttpReply webhook = merchant_get(merchant, "/v1/webhook-deliveries/not-a-uuid");
  EXPECT_EQ(webhook.status, 400u) << webhook.body;
  EXPECT_EQ(error_code_of(webhook), "invalid_id");
  EXPECT_EQ(
      merchant_get(merchant, "/v1/webhook-deliveries/0190f4c2-7a3e-7c41-9b2d-5e1f00000001").status,
      404u);

  HttpReply bidi = operator_call(verb::post, "/v1/admin/merchants",
                                 testing::merchant_application_json("Shop\u202Elave"));
  EXPECT_EQ(bidi.status, 400u) << bidi.body;
  EXPECT_EQ(error_code_of(bidi), "name_invalid");
  EXPECT_EQ(json::parse(bidi.body)["error"]["field"], "display_name");
  EXPECT_EQ(json::parse(operator_call(verb::get, "/v1/admin/merchants").body)["items"].size(), 1u);
}

// An answer that says "retry later" is not kept under its Idempotency-Key: once the payer has
// answered one of the 100 requests they may have pending, the refused request sent again with the
// same key is processed, not replayed as a 429 for a day. A validation error is still replayed.
TEST_F(PaymentRequestApiTest, ARetryLaterAnswerIsNotReplayedUnderItsIdempotencyKey) {
  Merchant merchant = onboard();
  auto alice = app(50);
  alice->open_funded(50, "10.00");
  std::string first;
  for (int i = 0; i < 100; ++i) {
    json created = ask(merchant, alice->phone(), "1.00", "pl-" + std::to_string(i));
    if (i == 0) first = created["id"];
  }
  json body = {{"payer_phone", alice->phone()},
               {"amount", "1.00"},
               {"currency", "CNY"},
               {"merchant_reference", "pl-100"}};
  auto keyed = [&](const std::string& key, const json& sent) {
    return merchant.client->send(
        call("POST", "/v1/payment-requests", sent.dump()).with_header("Idempotency-Key", key));
  };
  HttpReply full = keyed("create-pl-100", body);
  ASSERT_EQ(full.status, 429u) << full.body;
  EXPECT_EQ(error_code_of(full), "payer_pending_limit");

  ASSERT_EQ(alice->post("/v1/me/payment-requests/" + first + "/decline", nullptr).status, 200u);
  HttpReply retried = keyed("create-pl-100", body);
  ASSERT_EQ(retried.status, 201u) << retried.body;
  EXPECT_EQ(retried.headers.count("Idempotent-Replayed"), 0u);
  HttpReply replayed = keyed("create-pl-100", body);
  EXPECT_EQ(replayed.status, 201u);
  EXPECT_EQ(replayed.headers["Idempotent-Replayed"], "true");
  EXPECT_EQ(replayed.body, retried.body);

  json zero = body;
  zero["amount"] = "0.00";
  zero["merchant_reference"] = "pl-zero";
  ASSERT_EQ(keyed("create-zero", zero).status, 422u);
  HttpReply zero_again = keyed("create-zero", zero);
  EXPECT_EQ(zero_again.status, 422u);
  EXPECT_EQ(zero_again.headers["Idempotent-Replayed"], "true");
}

TEST_F(PaymentRequestApiTest, AMerchantHasNoOtherWayToAUsersMoney) {
  Merchant merchant = onboard();
  Merchant other = onboard("Tea House");
  auto alice = app(43);
  alice->open_funded(43, "100.00");
  std::string id = ask(merchant, alice->phone(), "5.00", "x-1")["id"];

  // The user's routes do not take a merchant's signature, nor do the ledger's.
  HttpReply confirm = merchant_post(merchant, "/v1/me/payment-requests/" + id + "/confirm",
                                    {{"pin", kTestPin}, {"funding_source", "wallet"}});
  EXPECT_EQ(confirm.status, 401u);
  HttpReply ledger = merchant_post(merchant, "/v1/ledger/transfers", json::array());
  EXPECT_EQ(ledger.status, 401u);
  // Another merchant cannot see, cancel or refund it.
  EXPECT_EQ(merchant_get(other, "/v1/payment-requests/" + id).status, 404u);
  EXPECT_EQ(merchant_post(other, "/v1/payment-requests/" + id + "/cancel", nullptr).status, 404u);
  // A mandate is the only standing consent, and it is the user's to give: a made-up one fails.
  HttpReply forged = merchant_post(merchant, "/v1/payment-requests",
                                   {{"payer_phone", alice->phone()}, {"amount", "1.00"}, {"currency", "CNY"},
                                    {"merchant_reference", "x-2"}, {"mandate_id", "0193a0b0-0000-7000-8000-000000000001"}});
  EXPECT_EQ(forged.status, 404u);
  EXPECT_EQ(error_code_of(forged), "mandate_not_found");
  EXPECT_EQ(available(*alice), "100.00");

  // With the user's mandate: charged at once within the caps, refused over them, and after revoke.
  HttpReply mandate = alice->post("/v1/me/mandates", {{"merchant_id", merchant.id}, {"currency", "CNY"},
                                                       {"per_charge_max", "10.00"}, {"monthly_max", "15.00"}, {"pin", kTestPin}});
  ASSERT_EQ(mandate.status, 201u) << mandate.body;
  std::string mandate_id = json::parse(mandate.body)["id"];
  auto charge = [&](const std::string& amount, const std::string& reference, Merchant& who) {
    return merchant_post(who, "/v1/payment-requests",
                         {{"payer_phone", alice->phone()}, {"amount", amount}, {"currency", "CNY"},
                          {"merchant_reference", reference}, {"mandate_id", mandate_id}});
  };
  HttpReply charged = charge("8.00", "sub-1", merchant);
  ASSERT_EQ(charged.status, 201u) << charged.body;
  EXPECT_EQ(json::parse(charged.body)["status"], "succeeded");
  EXPECT_EQ(available(*alice), "92.00");
  EXPECT_EQ(error_code_of(charge("10.01", "sub-2", merchant)), "mandate_per_charge_exceeded");
  EXPECT_EQ(error_code_of(charge("7.01", "sub-3", merchant)), "mandate_monthly_exceeded");
  EXPECT_EQ(error_code_of(charge("1.00", "sub-4", other)), "mandate_mismatch");
  ASSERT_EQ(alice->post("/v1/me/mandates/" + mandate_id + "/revoke", nullptr).status, 200u);
  EXPECT_EQ(error_code_of(charge("1.00", "sub-5", merchant)), "mandate_revoked");
  EXPECT_EQ(available(*alice), "92.00");
}

TEST_F(PaymentRequestApiTest, PhoneBillWithinTheAllowanceAndTheCarrierBillMatches) {
  Merchant merchant = onboard();
  auto alice = app(44);
  alice->open_funded(44, "10.00");
  std::string first = ask(merchant, alice->phone(), "300.00", "pb-1")["id"];
  HttpReply no_carrier = alice->post("/v1/me/payment-requests/" + first + "/confirm", {{"pin", kTestPin}, {"funding_source", "phone_bill"}});
  EXPECT_EQ(error_code_of(no_carrier), "carrier_not_set");

  ASSERT_EQ(operator_call(verb::post, "/v1/admin/users/" + alice->user_id() + "/carrier", {{"carrier", "CMCC"}}).status, 200u);
  HttpReply paid = alice->post("/v1/me/payment-requests/" + first + "/confirm", {{"pin", kTestPin}, {"funding_source", "phone_bill"}});
  ASSERT_EQ(paid.status, 200u) << paid.body;
  EXPECT_EQ(json::parse(paid.body)["status"], "succeeded");
  EXPECT_EQ(available(*alice), "10.00");  // the bill pays, not the wallet

  std::string second = ask(merchant, alice->phone(), "200.01", "pb-2")["id"];
  HttpReply over = alice->post("/v1/me/payment-requests/" + second + "/confirm", {{"pin", kTestPin}, {"funding_source", "phone_bill"}});
  EXPECT_EQ(over.status, 422u);
  EXPECT_EQ(error_code_of(over), "phone_bill_allowance_exceeded");  // 300 + 200.01 > 500.00
  ASSERT_EQ(merchant_post(merchant, "/v1/payment-requests/" + first + "/refunds", {{"amount", "50.00"}}).status, 201u);

  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char month[8];
  std::strftime(month, sizeof(month), "%Y-%m", std::gmtime(&now));
  HttpReply bill = operator_call(verb::get, std::string("/v1/admin/carrier-bills/CMCC/") + month);
  ASSERT_EQ(bill.status, 200u) << bill.body;
  std::istringstream lines(bill.body);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 6u) << bill.body;  // header, charge, refund, three totals
  EXPECT_NE(rows[1].find(",charge,"), std::string::npos);
  EXPECT_NE(rows[1].find(",300.00,CNY"), std::string::npos);
  EXPECT_EQ(rows[1].find("13900000044"), std::string::npos);  // the subscriber is masked
  EXPECT_NE(rows[2].find(",-50.00,CNY"), std::string::npos);
  EXPECT_EQ(rows[5], "total,,,,,,,,250.00,CNY");
  // The CLI prints the same bill.
  std::string command = std::string(MPAY_CLI_BINARY) + " carrier-bill --carrier CMCC --month " + month +
                        " --server http://127.0.0.1:" + std::to_string(port()) + " --data " + data();
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string printed;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) printed.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0);
  EXPECT_EQ(printed, bill.body);
  EXPECT_EQ(error_code_of(operator_call(verb::get, "/v1/admin/carrier-bills/CMCC/2026-13")), "month_invalid");
}

TEST_F(PaymentRequestApiTest, TheAllowanceAndTheFeeReturnAreSettings) {
  stop();
  start("5", {"--phone-bill-allowance", "10.00", "--refunds-return-fee", "false"});
  Merchant merchant = onboard();
  auto alice = app(47);
  alice->open_funded(47, "50.00");
  ASSERT_EQ(operator_call(verb::post, "/v1/admin/users/" + alice->user_id() + "/carrier", {{"carrier", "CUCC"}}).status, 200u);
  std::string over = ask(merchant, alice->phone(), "10.01", "s-1")["id"];
  EXPECT_EQ(error_code_of(alice->post("/v1/me/payment-requests/" + over + "/confirm",
                                      {{"pin", kTestPin}, {"funding_source", "phone_bill"}})),
            "phone_bill_allowance_exceeded");
  std::string paid = ask(merchant, alice->phone(), "10.00", "s-2")["id"];
  ASSERT_EQ(alice->post("/v1/me/payment-requests/" + paid + "/confirm", {{"pin", kTestPin}, {"funding_source", "wallet"}}).status, 200u);
  HttpReply refund = merchant_post(merchant, "/v1/payment-requests/" + paid + "/refunds", {{"amount", "5.00"}});
  ASSERT_EQ(refund.status, 201u) << refund.body;
  EXPECT_EQ(json::parse(refund.body)["fee_returned"], "0.00");  // the fee (0.12) stays with the platform
  // So the rest cannot all go back: the merchant holds 10.00 - 0.12 - 5.00 = 4.88.
  EXPECT_EQ(error_code_of(merchant_post(merchant, "/v1/payment-requests/" + paid + "/refunds", {{"amount", "5.00"}})),
            "merchant_balance_insufficient");
}

TEST_F(PaymentRequestApiTest, ABankDeclineFailsThePaymentCleanly) {
  Merchant merchant = onboard();
  auto alice = app(45);
  alice->open_funded(45, "10.00");
  std::string closed = alice->link_bank("6222020200000004");  // the sandbox declines every order
  std::string id = ask(merchant, alice->phone(), "8.00", "bank-1")["id"];
  HttpReply sent = confirm_from_bank(*alice, id, closed);
  ASSERT_EQ(sent.status, 202u) << sent.body;
  json seen = poll_request(merchant, id, answered);
  EXPECT_EQ(seen["status"], "failed");
  EXPECT_EQ(seen["failure_reason"], "bank_declined");
  EXPECT_EQ(available(*alice), "10.00");

  std::string ordinary = alice->bank_account_id();
  std::string id2 = ask(merchant, alice->phone(), "8.00", "bank-2")["id"];
  ASSERT_EQ(confirm_from_bank(*alice, id2, ordinary).status, 202u);
  seen = poll_request(merchant, id2, answered);
  EXPECT_EQ(seen["status"], "succeeded");
  EXPECT_EQ(seen["funding_source"], "bank");
}

// A bank refund: pending (202) with the fee already back, then settled by the bank; the merchant
// is told refund.pending, then refund.succeeded, in that order.
TEST_F(PaymentRequestApiTest, ABankRefundIsPendingUntilTheBankConfirms) {
  Merchant merchant = onboard();
  auto alice = app(46);
  alice->open_funded(46, "10.00");
  std::string ordinary = alice->bank_account_id();
  std::string id = ask(merchant, alice->phone(), "8.00", "bank-refund-1")["id"];
  ASSERT_EQ(confirm_from_bank(*alice, id, ordinary).status, 202u);
  json seen = poll_request(merchant, id, answered);
  ASSERT_EQ(seen["status"], "succeeded");
  ASSERT_EQ(seen["fee"], "0.10");  // 8.00 x 120 bps = 0.096, rounded half up

  // The merchant holds only this payment's net (7.90) and refunds all of it.
  HttpReply started =
      merchant_post(merchant, "/v1/payment-requests/" + id + "/refunds", {{"amount", "8.00"}});
  ASSERT_EQ(started.status, 202u) << started.body;
  json refund = json::parse(started.body);
  EXPECT_EQ(refund["status"], "pending");
  EXPECT_EQ(refund["fee_returned"], "0.10");
  EXPECT_TRUE(refund["settled_at"].is_null());
  HttpReply more =
      merchant_post(merchant, "/v1/payment-requests/" + id + "/refunds", {{"amount", "0.01"}});
  EXPECT_EQ(error_code_of(more), "refund_amount_exceeds_captured");  // the pending one counts
  seen = poll_request(merchant, id,
                      [](const json& request) { return request["refunded_amount"] == "8.00"; });
  EXPECT_EQ(seen["refunded_amount"], "8.00");
  ASSERT_EQ(seen["refunds"].size(), 1u);
  EXPECT_EQ(seen["refunds"][0]["status"], "succeeded");
  EXPECT_EQ(seen["refunds"][0]["fee_returned"], "0.10");

  std::vector<std::string> types;
  for (int i = 0; i < 200; ++i) {
    json listed = json::parse(
        merchant_get(merchant, "/v1/webhook-deliveries?payment_request_id=" + id + "&limit=100")
            .body);
    types.clear();
    for (const json& delivery : listed["items"])
      types.insert(types.begin(), delivery["event_type"].get<std::string>());  // newest first
    if (types.size() >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"payment_request.succeeded", "refund.pending",
                                             "refund.succeeded"}));
}

TEST_F(PaymentRequestApiTest, StatusesComeBackFromTheJournalAfterARestart) {
  Merchant merchant = onboard();
  auto alice = app(46);
  alice->open_funded(46, "50.00");
  std::string paid = ask(merchant, alice->phone(), "5.00", "r-1")["id"];
  ASSERT_EQ(alice->post("/v1/me/payment-requests/" + paid + "/confirm", {{"pin", kTestPin}, {"funding_source", "wallet"}}).status, 200u);
  std::string held = ask(merchant, alice->phone(), "7.00", "r-2", "manual")["id"];
  ASSERT_EQ(alice->post("/v1/me/payment-requests/" + held + "/confirm", {{"pin", kTestPin}, {"funding_source", "wallet"}}).status, 200u);
  ASSERT_EQ(merchant_post(merchant, "/v1/payment-requests/" + paid + "/refunds", {{"amount", "1.00"}}).status, 201u);
  std::string open = ask(merchant, alice->phone(), "9.00", "r-3")["id"];

  ASSERT_EQ(stop(), 0);
  start();
  merchant.client = std::make_unique<MerchantClient>(port(), merchant.key_id, merchant.secret);
  std::string token = alice->token();
  alice = app(46);
  alice->set_token(token);  // sessions survive a restart
  json a = json::parse(merchant_get(merchant, "/v1/payment-requests/" + paid).body);
  EXPECT_EQ(a["status"], "succeeded");
  EXPECT_EQ(a["refunded_amount"], "1.00");
  EXPECT_EQ(a["refunds"].size(), 1u);
  EXPECT_EQ(json::parse(merchant_get(merchant, "/v1/payment-requests/" + held).body)["status"], "authorized");
  EXPECT_EQ(json::parse(merchant_get(merchant, "/v1/payment-requests/" + open).body)["status"], "awaiting_confirmation");
  // The book is whole again, as /metrics counts it: three requests (held and open still open), one
  // refund.
  std::string metrics =
      testing::HttpClient("127.0.0.1", port()).request(verb::get, "/metrics", "", {}).body;
  EXPECT_NE(metrics.find("\nmpay_payment_requests_in_memory 3\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nmpay_payment_requests_open 2\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nmpay_payment_refunds_in_memory 1\n"), std::string::npos) << metrics;
  // And the flow goes on where it stopped.
  HttpReply captured = merchant_post(merchant, "/v1/payment-requests/" + held + "/capture", nullptr);
  ASSERT_EQ(captured.status, 200u) << captured.body;
  EXPECT_EQ(json::parse(captured.body)["captured_amount"], "7.00");
  EXPECT_EQ(available(*alice), "39.00");  // 50 - 5 + 1 - 7
}

// An authorization not captured by its deadline (--authorization-ttl-s) is voided by mpayd's
// sweeper: the payer's money comes back, the merchant is told, and a capture after that moves
// nothing.
TEST_F(PaymentRequestApiTest, AnAuthorizationNotCapturedInTimeIsVoidedByTheSweeper) {
  ASSERT_EQ(stop(), 0);
  start("5", {"--authorization-ttl-s", "2"});
  Merchant merchant = onboard();
  auto alice = app(51);
  alice->open_funded(51, "30.00");
  std::string held = ask(merchant, alice->phone(), "12.00", "h-1", "manual")["id"];
  HttpReply authorized = alice->post("/v1/me/payment-requests/" + held + "/confirm",
                                     {{"pin", kTestPin}, {"funding_source", "wallet"}});
  ASSERT_EQ(authorized.status, 200u) << authorized.body;
  EXPECT_EQ(json::parse(authorized.body)["status"], "authorized");
  EXPECT_EQ(available(*alice), "18.00");

  // Bounded wait (the deadline is 2 s away, the sweeper runs every second), not a timing assertion.
  json seen;
  for (int i = 0; i < 150; ++i) {
    seen = json::parse(merchant_get(merchant, "/v1/payment-requests/" + held).body);
    if (seen["status"] != "authorized") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(seen["status"], "voided");
  EXPECT_EQ(available(*alice), "30.00");
  HttpReply late = merchant_post(merchant, "/v1/payment-requests/" + held + "/capture", nullptr);
  EXPECT_EQ(late.status, 409u) << late.body;
  EXPECT_EQ(error_code_of(late), "payment_request_not_authorized");
  EXPECT_EQ(available(*alice), "30.00");
}

// With --archive-requests-after-s 1, final requests leave memory within a few sweeps; the API
// answers for them as before (get, list, refunds, a used reference), a refund brings one back, and
// a kill -9 after that loses nothing.
TEST_F(PaymentRequestApiTest, FinalRequestsLeaveMemoryAndAreStillServedAcrossAKill9) {
  const std::vector<std::string> archive_soon{"--archive-requests-after-s", "1"};
  ASSERT_EQ(stop(), 0);
  start("5", archive_soon);
  Merchant merchant = onboard();
  auto alice = app(47);
  alice->open_funded(47, "100.00");
  std::string paid = ask(merchant, alice->phone(), "10.00", "a-1")["id"];
  ASSERT_EQ(alice
                ->post("/v1/me/payment-requests/" + paid + "/confirm",
                       {{"pin", kTestPin}, {"funding_source", "wallet"}})
                .status,
            200u);
  ASSERT_EQ(
      merchant_post(merchant, "/v1/payment-requests/" + paid + "/refunds", {{"amount", "2.00"}})
          .status,
      201u);
  std::string declined = ask(merchant, alice->phone(), "3.00", "a-2")["id"];
  ASSERT_EQ(alice->post("/v1/me/payment-requests/" + declined + "/decline", nullptr).status, 200u);
  std::string open = ask(merchant, alice->phone(), "4.00", "a-3")["id"];

  auto metric = [&](const std::string& name) {
    std::string text =
        testing::HttpClient("127.0.0.1", port()).request(verb::get, "/metrics", "", {}).body;
    size_t at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stol(text.substr(at + name.size() + 2));
  };
  // Bounded wait (the sweeper runs every second), not a timing assertion.
  for (int i = 0; i < 150 && metric("mpay_payment_requests_in_memory") != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(metric("mpay_payment_requests_in_memory"), 1);  // only the open one
  EXPECT_EQ(metric("mpay_payment_requests_archived_total"), 2);

  json a = json::parse(merchant_get(merchant, "/v1/payment-requests/" + paid).body);
  EXPECT_EQ(a["status"], "succeeded");
  EXPECT_EQ(a["refunded_amount"], "2.00");
  EXPECT_EQ(a["refunds"].size(), 1u);
  EXPECT_EQ(json::parse(alice->get("/v1/me/payment-requests/" + declined).body)["status"],
            "declined");
  json listed = json::parse(merchant_get(merchant, "/v1/payment-requests?limit=2").body);
  ASSERT_EQ(listed["items"].size(), 2u);
  EXPECT_EQ(listed["items"][0]["id"], paid);
  EXPECT_EQ(listed["items"][1]["id"], declined);
  json rest =
      json::parse(merchant_get(merchant, "/v1/payment-requests?limit=2&after=" + declined).body);
  ASSERT_EQ(rest["items"].size(), 1u);
  EXPECT_EQ(rest["items"][0]["id"], open);
  HttpReply reused = merchant_post(merchant, "/v1/payment-requests",
                                   {{"payer_phone", alice->phone()},
                                    {"amount", "1.00"},
                                    {"currency", "CNY"},
                                    {"description", "again"},
                                    {"merchant_reference", "a-1"}});
  EXPECT_EQ(reused.status, 409u);
  EXPECT_EQ(error_code_of(reused), "merchant_reference_taken");

  // A late refund brings it back; never more than was captured in all.
  HttpReply too_much =
      merchant_post(merchant, "/v1/payment-requests/" + paid + "/refunds", {{"amount", "8.01"}});
  EXPECT_EQ(too_much.status, 422u) << too_much.body;
  EXPECT_EQ(error_code_of(too_much), "refund_amount_exceeds_captured");
  ASSERT_EQ(
      merchant_post(merchant, "/v1/payment-requests/" + paid + "/refunds", {{"amount", "3.00"}})
          .status,
      201u);

  server_->kill_now();
  start("5", archive_soon);
  merchant.client = std::make_unique<MerchantClient>(port(), merchant.key_id, merchant.secret);
  std::string token = alice->token();
  alice = app(47);
  alice->set_token(token);
  a = json::parse(merchant_get(merchant, "/v1/payment-requests/" + paid).body);
  EXPECT_EQ(a["refunded_amount"], "5.00");
  EXPECT_EQ(a["refunds"].size(), 2u);
  EXPECT_EQ(json::parse(merchant_get(merchant, "/v1/payment-requests").body)["items"].size(), 3u);
  EXPECT_EQ(available(*alice), "95.00");  // 100 - 10 + 2 + 3
  ASSERT_EQ(alice
                ->post("/v1/me/payment-requests/" + open + "/confirm",
                       {{"pin", kTestPin}, {"funding_source", "wallet"}})
                .status,
            200u);
  EXPECT_EQ(available(*alice), "91.00");
}

// mpayd is killed (SIGKILL) while merchants create requests and payers confirm them from several
// connections. After the restart every acknowledged creation is there with its terms, every
// acknowledged confirmation is paid, and each payer's wallet lost exactly what their paid requests
// say: nothing was lost, paid twice or invented.
TEST_F(PaymentRequestApiTest, AcknowledgedRequestsAndPaymentsSurviveAKill9UnderLoad) {
  constexpr int kPayers = 3;
  Merchant merchant = onboard();
  std::vector<std::unique_ptr<testing::WalletApp>> payers;
  for (int i = 0; i < kPayers; ++i) {
    payers.push_back(app(70 + i));
    payers.back()->open_funded(70 + i, "100.00");
  }
  struct Created {
    std::string reference;
    std::string amount;
    int payer = 0;
  };
  std::mutex mutex;
  std::map<std::string, Created> created;  // by request id
  std::set<std::string> confirmed;
  std::atomic<bool> stop{false};
  std::vector<std::thread> loops;
  for (int i = 0; i < kPayers; ++i) {
    loops.emplace_back([&, i] {
      MerchantClient client(port(), merchant.key_id, merchant.secret);
      testing::WalletApp payer(port(), data(), payers[i]->phone());
      payer.set_token(payers[i]->token());
      for (int n = 0; !stop; ++n) {
        try {
          std::string reference = "crash-" + std::to_string(i) + "-" + std::to_string(n);
          std::string amount = "0.0" + std::to_string(1 + n % 9);
          json body = {{"payer_phone", payers[i]->phone()},
                       {"amount", amount},
                       {"currency", "CNY"},
                       {"merchant_reference", reference}};
          SignedCall signed_call = call("POST", "/v1/payment-requests", body.dump());
          signed_call.nonce = reference;  // unique across the loops sharing the key
          HttpReply asked = client.send(signed_call);
          if (asked.status != 201) continue;
          std::string id = json::parse(asked.body)["id"];
          {
            std::lock_guard lock(mutex);
            created[id] = Created{reference, amount, i};
          }
          HttpReply paid = payer.post("/v1/me/payment-requests/" + id + "/confirm",
                                      {{"pin", kTestPin}, {"funding_source", "wallet"}});
          if (paid.status == 200) {
            std::lock_guard lock(mutex);
            confirmed.insert(id);
          }
        } catch (const std::exception&) {
          return;  // the server died under us
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  server_->kill_now();
  stop = true;
  for (std::thread& loop : loops) loop.join();
  ASSERT_GT(confirmed.size(), 10u);

  start();
  merchant.client = std::make_unique<MerchantClient>(port(), merchant.key_id, merchant.secret);
  std::vector<int64_t> paid_by(kPayers, 0);
  for (const auto& [id, terms] : created) {
    HttpReply found = merchant_get(merchant, "/v1/payment-requests/" + id);
    ASSERT_EQ(found.status, 200u) << "acknowledged request lost: " << id;
    json request = json::parse(found.body);
    EXPECT_EQ(request["merchant_reference"], terms.reference);
    EXPECT_EQ(request["amount"], terms.amount);
    if (confirmed.contains(id)) {
      EXPECT_EQ(request["status"], "succeeded") << id;
    }
    // A confirmation in flight at the kill may or may not have been made durable.
    EXPECT_TRUE(request["status"] == "succeeded" || request["status"] == "awaiting_confirmation")
        << request["status"];
    if (request["status"] == "succeeded") {
      paid_by[terms.payer] += *parse_amount(terms.amount, *currency_by_code("CNY"));
    }
  }
  for (int i = 0; i < kPayers; ++i) {
    auto payer = app(70 + i);
    payer->log_in();
    json wallet = payer->wallet();
    EXPECT_EQ(wallet["pending"], "0.00");
    EXPECT_EQ(*parse_amount(wallet["available"].get<std::string>(), *currency_by_code("CNY")),
              100'00 - paid_by[i])
        << "payer " << i << ": the wallet and the paid requests disagree";
  }
}

}  // namespace
}  // namespace mpay
