// QR payments end to end over HTTP, both directions (docs/qr.md):
// - merchant-presented: a merchant creates static and dynamic codes, fetches their PNG and SVG,
//   an independent decoder (zbarimg) reads the payload back, a user scans it, confirms with the
//   PIN, and the merchant's webhook fires; a dynamic code is single use; the URL form opens a page;
// - consumer-presented: a user provisions a phone, the phone computes its code offline (as the
//   app would, and as examples/wallet/payment_code.py does), a till charges it; an expired, a
//   reused and a guessed code are refused, guessing locks the phone, a revoked phone is refused,
//   and above the user's limit the charge waits for the user's confirmation.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "channels/qr/payment_code/base32.h"
#include "channels/qr/payment_code/payment_code_format.h"
#include "support/merchant_client.h"
#include "support/run_program.h"
#include "support/wallet_server_fixture.h"
#include "support/webhook_receiver.h"

namespace mpay {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using notify::webhooks::testing::ReceivedRequest;
using notify::webhooks::testing::ReceiverReply;
using notify::webhooks::testing::WebhookReceiver;
using testing::error_code_of;
using testing::HttpReply;
using testing::kTestPin;
using testing::MerchantClient;
using testing::SignedCall;

// Runs a command, returns its standard output (the exit status through `status`).
std::string run(const std::string& command, int* status = nullptr) {
  testing::ProgramOutput output = testing::run_program(command);
  if (status != nullptr) *status = output.status;
  return output.out;
}

class QrPaymentTest : public testing::WalletServerTest {
 protected:
  struct Merchant {
    std::string id;
    std::unique_ptr<MerchantClient> client;
    std::string key_id, secret;  // to reconnect after a restart (a new port)
  };

  Merchant onboard(const std::string& webhook_url = "") {
    json application = testing::merchant_application_json("Noodle Bar");
    if (!webhook_url.empty()) application["webhook_url"] = webhook_url;
    HttpReply created = operator_call(verb::post, "/v1/admin/merchants", application);
    EXPECT_EQ(created.status, 201u) << created.body;
    json answer = json::parse(created.body);
    return Merchant{answer["merchant"]["merchant_id"],
                    std::make_unique<MerchantClient>(port(), answer["api_key"]["key_id"],
                                                     answer["api_key"]["secret"]),
                    answer["api_key"]["key_id"], answer["api_key"]["secret"]};
  }
  static HttpReply send(Merchant& merchant, const std::string& method, const std::string& target,
                        const json& body = nullptr) {
    SignedCall call;
    call.method = method;
    return merchant.client->send(
        call.with_target(target).with_body(body.is_null() ? "" : body.dump()));
  }
  json create_code(Merchant& merchant, const json& body) {
    HttpReply created = send(merchant, "POST", "/v1/qr/merchant-codes", body);
    EXPECT_EQ(created.status, 201u) << created.body;
    return json::parse(created.body);
  }

  // The image's payload as zbarimg reads it (-Sbinary: the exact bytes, no trailing newline).
  std::string decode_with_zbarimg(const std::string& image_bytes, const std::string& name) {
    std::string path = directory_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << image_bytes;
    int status = 0;
    std::string payload = run("zbarimg --nodbus --raw -q -Sbinary " + path, &status);
    EXPECT_EQ(status, 0) << "zbarimg could not read " << path;
    return payload;
  }
  std::string decoded_png(Merchant& merchant, const json& code, const std::string& query = "") {
    HttpReply png = send(merchant, "GET", code["image"]["png"].get<std::string>() + query);
    EXPECT_EQ(png.status, 200u) << png.body;
    EXPECT_EQ(png.headers["Content-Type"], "image/png");
    return decode_with_zbarimg(png.body, code["token"].get<std::string>() + ".png");
  }

  // The code the phone shows at `at_s` (Unix seconds), computed offline from its secret.
  static std::string payment_code_at(const json& device, int64_t at_s) {
    Result<std::string> secret = qr::base32_decode(device["secret"].get<std::string>());
    EXPECT_TRUE(secret.ok());
    uint32_t number = static_cast<uint32_t>(std::stoul(device["device_number"].get<std::string>()));
    return qr::make_payment_code(*secret, number, qr::counter_at(at_s * 1'000'000'000));
  }
  static std::string payment_code_now(const json& device) {
    return payment_code_at(device, testing::unix_now_s());
  }
  json provision(testing::WalletApp& app, const std::string& label = "my phone") {
    HttpReply provisioned =
        app.post("/v1/me/payment-code/devices", {{"pin", kTestPin}, {"label", label}});
    EXPECT_EQ(provisioned.status, 201u) << provisioned.body;
    return json::parse(provisioned.body);
  }
  HttpReply charge(Merchant& merchant, const std::string& code, const std::string& amount,
                   const std::string& reference) {
    return send(merchant, "POST", "/v1/payment-codes/charge",
                {{"code", code},
                 {"amount", amount},
                 {"currency", "CNY"},
                 {"merchant_reference", reference}});
  }

  static std::string available(testing::WalletApp& app) { return app.wallet()["available"]; }

  template <typename Done>
  static bool eventually(Done done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
  }
};

TEST_F(QrPaymentTest, AStaticCodeScannedFromItsImageIsPaidAndTheWebhookFires) {
  WebhookReceiver receiver([](const ReceivedRequest&, int) { return ReceiverReply::ok; });
  Merchant merchant = onboard(receiver.url("/hooks"));
  auto alice = app(61);
  alice->open_funded(61, "100.00");

  json code = create_code(
      merchant, {{"type", "static"},
                 {"terminal_label", "TILL-1"},
                 {"description", "Noodles"},
                 {"alternate_language", {{"language", "ZH"}, {"name", "面馆"}, {"city", "上海"}}}});
  EXPECT_EQ(code["type"], "static");
  EXPECT_EQ(code["status"], "active");
  EXPECT_TRUE(code["amount"].is_null());
  std::string payload = code["payload"];
  EXPECT_EQ(payload.rfind("000201010211", 0), 0u) << payload;        // format 01, static (11)
  EXPECT_NE(payload.find("5303156"), std::string::npos) << payload;  // CNY
  EXPECT_NE(payload.find("5802CN"), std::string::npos) << payload;
  EXPECT_NE(payload.find("面馆"), std::string::npos) << payload;

  // The PNG and the SVG both carry exactly the payload.
  EXPECT_EQ(decoded_png(merchant, code), payload);
  EXPECT_EQ(decoded_png(merchant, code, "?ec=H&module_px=4&caption=false"), payload);
  HttpReply svg = send(merchant, "GET", code["image"]["svg"]);
  ASSERT_EQ(svg.status, 200u) << svg.body;
  EXPECT_EQ(svg.headers["Content-Type"], "image/svg+xml");
  std::string svg_path = directory_.path() + "/code.svg";
  std::ofstream(svg_path, std::ios::binary) << svg.body;
  int converted = 0;
  run("rsvg-convert -o " + directory_.path() + "/svg.png " + svg_path, &converted);
  ASSERT_EQ(converted, 0);
  EXPECT_EQ(run("zbarimg --nodbus --raw -q -Sbinary " + directory_.path() + "/svg.png"), payload);
  EXPECT_EQ(send(merchant, "GET", code["image"]["png"].get<std::string>() + "?ec=X").status, 400u);

  // Scanned without an amount: what it is, and that one is needed. Nothing is created.
  HttpReply looked = alice->post("/v1/me/qr/scan", {{"payload", payload}});
  ASSERT_EQ(looked.status, 200u) << looked.body;
  json seen = json::parse(looked.body);
  EXPECT_TRUE(seen["amount_required"].get<bool>());
  EXPECT_EQ(seen["merchant"]["name"], "Noodle Bar");
  EXPECT_EQ(seen["code"]["terminal_label"], "TILL-1");
  EXPECT_TRUE(seen["payment_request"].is_null());

  // With the amount: a payment request to confirm with the PIN, as for any request to pay.
  HttpReply scanned = alice->post("/v1/me/qr/scan", {{"payload", payload}, {"amount", "12.50"}});
  ASSERT_EQ(scanned.status, 200u) << scanned.body;
  json request = json::parse(scanned.body)["payment_request"];
  EXPECT_EQ(request["status"], "awaiting_confirmation");
  EXPECT_EQ(request["amount"], "12.50");
  EXPECT_EQ(available(*alice), "100.00");
  std::string id = request["id"];
  HttpReply paid = alice->post("/v1/me/payment-requests/" + id + "/confirm",
                               {{"pin", kTestPin}, {"funding_source", "wallet"}});
  ASSERT_EQ(paid.status, 200u) << paid.body;
  EXPECT_EQ(json::parse(paid.body)["status"], "succeeded");
  EXPECT_EQ(available(*alice), "87.50");

  // The merchant sees it, tied to the code, and its webhook arrives.
  json as_merchant = json::parse(send(merchant, "GET", "/v1/payment-requests/" + id).body);
  EXPECT_EQ(as_merchant["status"], "succeeded");
  EXPECT_EQ(as_merchant["metadata"]["qr_code_id"], code["id"]);
  EXPECT_EQ(as_merchant["metadata"]["channel"], "qr_static");
  ASSERT_TRUE(eventually([&] {
    for (const ReceivedRequest& r : receiver.accepted()) {
      json envelope = json::parse(r.body, nullptr, false);
      if (envelope.is_object() && envelope["type"] == "payment_request.succeeded" &&
          envelope["data"]["payment_request"]["id"] == id) {
        return true;
      }
    }
    return false;
  })) << receiver.received().size()
      << " webhook requests received";

  // A static code serves every customer; deactivated, it serves no one. Deactivation takes no
  // fields: any body but none or {} is refused and the code stays active.
  HttpReply again = alice->post("/v1/me/qr/scan", {{"payload", payload}, {"amount", "3.00"}});
  EXPECT_EQ(again.status, 200u) << again.body;
  std::string deactivate = "/v1/qr/merchant-codes/" + code["id"].get<std::string>() + "/deactivate";
  SignedCall garbage;
  garbage.method = "POST";
  HttpReply refused_body =
      merchant.client->send(garbage.with_target(deactivate).with_body("not json {{{"));
  EXPECT_EQ(refused_body.status, 400u) << refused_body.body;
  EXPECT_EQ(error_code_of(refused_body), "json_invalid");
  HttpReply extra_field = send(merchant, "POST", deactivate, {{"reason", "closing"}});
  EXPECT_EQ(extra_field.status, 400u) << extra_field.body;
  EXPECT_EQ(error_code_of(extra_field), "json_unknown_field");
  EXPECT_EQ(alice->post("/v1/me/qr/scan", {{"payload", payload}, {"amount", "3.00"}}).status, 200u);
  HttpReply off = send(merchant, "POST", deactivate);
  ASSERT_EQ(off.status, 200u) << off.body;
  EXPECT_EQ(json::parse(off.body)["status"], "deactivated");
  HttpReply refused = alice->post("/v1/me/qr/scan", {{"payload", payload}, {"amount", "3.00"}});
  EXPECT_EQ(refused.status, 409u);
  EXPECT_EQ(error_code_of(refused), "qr_code_deactivated");
}

TEST_F(QrPaymentTest, ADynamicCodeIsPaidOnceByItsFirstScannerAndSurvivesARestart) {
  Merchant merchant = onboard();
  auto alice = app(62);
  alice->open_funded(62, "100.00");
  auto bob = app(63);
  bob->open_funded(63, "100.00");

  json code = create_code(merchant, {{"type", "dynamic"},
                                     {"amount", "25.00"},
                                     {"currency", "CNY"},
                                     {"merchant_reference", "bill-7"},
                                     {"terminal_label", "T2"},
                                     {"expires_in_s", 600}});
  std::string payload = decoded_png(merchant, code);
  EXPECT_EQ(payload, code["payload"]);
  EXPECT_EQ(payload.rfind("000201010212", 0), 0u) << payload;  // dynamic (12)
  EXPECT_NE(payload.find("540525.00"), std::string::npos) << payload;

  // An amount sent for a dynamic code is refused: the code carries its own.
  HttpReply with_amount = alice->post("/v1/me/qr/scan", {{"payload", payload}, {"amount", "1.00"}});
  EXPECT_EQ(with_amount.status, 422u);
  EXPECT_EQ(error_code_of(with_amount), "qr_code_amount_fixed");

  HttpReply scanned = alice->post("/v1/me/qr/scan", {{"payload", payload}});
  ASSERT_EQ(scanned.status, 200u) << scanned.body;
  json request = json::parse(scanned.body)["payment_request"];
  EXPECT_EQ(request["amount"], "25.00");
  std::string id = request["id"];
  // The same user scanning again gets the same request; anyone else is refused.
  EXPECT_EQ(
      json::parse(
          alice->post("/v1/me/qr/scan", {{"payload", payload}}).body)["payment_request"]["id"],
      id);
  HttpReply taken = bob->post("/v1/me/qr/scan", {{"payload", payload}});
  EXPECT_EQ(taken.status, 409u);
  EXPECT_EQ(error_code_of(taken), "qr_code_used");

  // Still true after a restart.
  ASSERT_EQ(stop(), 0);
  start();
  alice = app(62);
  alice->log_in();
  bob = app(63);
  bob->log_in();
  merchant.client = std::make_unique<MerchantClient>(port(), merchant.key_id, merchant.secret);
  EXPECT_EQ(error_code_of(bob->post("/v1/me/qr/scan", {{"payload", payload}})), "qr_code_used");
  HttpReply paid = alice->post("/v1/me/payment-requests/" + id + "/confirm",
                               {{"pin", kTestPin}, {"funding_source", "wallet"}});
  ASSERT_EQ(paid.status, 200u) << paid.body;
  EXPECT_EQ(available(*alice), "75.00");
  EXPECT_EQ(available(*bob), "100.00");
  json after = json::parse(
      send(merchant, "GET", "/v1/qr/merchant-codes/" + code["id"].get<std::string>()).body);
  EXPECT_EQ(after["status"], "used");
  EXPECT_EQ(after["payment_request_id"], id);
  json as_merchant = json::parse(send(merchant, "GET", "/v1/payment-requests/" + id).body);
  EXPECT_EQ(as_merchant["merchant_reference"], "bill-7");
  EXPECT_EQ(as_merchant["status"], "succeeded");
}

TEST_F(QrPaymentTest, TheUrlFormOpensAPageAndScansLikeThePayload) {
  Merchant merchant = onboard();
  auto alice = app(64);
  alice->open_funded(64, "50.00");
  json code = create_code(merchant, {{"type", "dynamic"}, {"amount", "8.80"}, {"currency", "CNY"}});
  std::string url = code["url"];
  std::string prefix = "http://127.0.0.1:" + std::to_string(port()) + "/q/";
  ASSERT_EQ(url.rfind(prefix, 0), 0u) << url;
  EXPECT_EQ(decoded_png(merchant, code, "?form=url"), url);
  // The example client fetches the image as a merchant's program would.
  std::string png_path = directory_.path() + "/example.png";
  int fetched = 0;
  run("MPAY_BASE_URL=http://127.0.0.1:" + std::to_string(port()) +
          " MPAY_KEY_ID=" + merchant.key_id + " MPAY_KEY_SECRET=" + merchant.secret +
          " python3 " MPAY_SOURCE_DIR "/examples/merchant/client.py --output " + png_path + " " +
          code["image"]["png"].get<std::string>() + " 2>/dev/null",
      &fetched);
  ASSERT_EQ(fetched, 0);
  EXPECT_EQ(run("zbarimg --nodbus --raw -q -Sbinary " + png_path), code["payload"]);

  testing::HttpClient browser("127.0.0.1", port());
  HttpReply page = browser.request(verb::get, url.substr(url.find("/q/")), "", {});
  ASSERT_EQ(page.status, 200u);
  EXPECT_EQ(page.headers["Content-Type"], "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("Noodle Bar"), std::string::npos);
  EXPECT_NE(page.body.find("CNY 8.80"), std::string::npos);
  EXPECT_EQ(browser.request(verb::get, "/q/NoSuchToken", "", {}).status, 404u);

  HttpReply scanned = alice->post("/v1/me/qr/scan", {{"payload", url}});
  ASSERT_EQ(scanned.status, 200u) << scanned.body;
  EXPECT_EQ(json::parse(scanned.body)["payment_request"]["amount"], "8.80");
  // Another host's URL, another scheme's EMV payload, and a damaged payload are refused precisely.
  EXPECT_EQ(error_code_of(alice->post(
                "/v1/me/qr/scan",
                {{"payload", "https://evil.example/q/" + code["token"].get<std::string>()}})),
            "qr_code_foreign");
  std::string damaged = code["payload"];
  damaged[damaged.size() - 1] = damaged.back() == '0' ? '1' : '0';
  HttpReply bad_crc = alice->post("/v1/me/qr/scan", {{"payload", damaged}});
  EXPECT_EQ(bad_crc.status, 422u);
  EXPECT_EQ(error_code_of(bad_crc), "qr_crc_mismatch");
}

TEST_F(QrPaymentTest, ATillChargesThePaymentCodeThePhoneShows) {
  Merchant merchant = onboard();
  auto alice = app(65);
  alice->open_funded(65, "2000.00");
  json device = provision(*alice);
  EXPECT_EQ(device["secret"].get<std::string>().size(), 52u);  // 32 bytes in base32
  EXPECT_EQ(device["algorithm"]["step_s"], 15);
  // Provisioned with an Idempotency-Key: a replay answers the same device without the secret, and
  // the secret is nowhere in mpay.db (the idempotency store keeps the answer without it).
  json keyed_device;
  {
    HttpReply first =
        alice->post("/v1/me/payment-code/devices", {{"pin", kTestPin}, {"label", "tablet"}},
                    {{"Idempotency-Key", "provision-tablet"}});
    ASSERT_EQ(first.status, 201u) << first.body;
    keyed_device = json::parse(first.body);
    HttpReply replay =
        alice->post("/v1/me/payment-code/devices", {{"pin", kTestPin}, {"label", "tablet"}},
                    {{"Idempotency-Key", "provision-tablet"}});
    ASSERT_EQ(replay.status, 201u) << replay.body;
    EXPECT_EQ(replay.headers["Idempotent-Replayed"], "true");
    EXPECT_EQ(json::parse(replay.body)["id"], keyed_device["id"]);
    EXPECT_TRUE(json::parse(replay.body)["secret"].is_null());
    std::string stored = run("cat " + data() + "/mpay.db " + data() + "/mpay.db-wal 2>/dev/null");
    ASSERT_FALSE(stored.empty());
    EXPECT_EQ(stored.find(keyed_device["secret"].get<std::string>()), std::string::npos);
  }
  // A wrong PIN provisions nothing.
  EXPECT_EQ(error_code_of(alice->post("/v1/me/payment-code/devices", {{"pin", "000000"}})),
            "pin_incorrect");

  int64_t now_s = testing::unix_now_s();
  std::string code = payment_code_at(device, now_s);
  ASSERT_EQ(code.size(), 18u);
  // The example app (Python, standard library only) computes the same code.
  std::string from_example =
      run("python3 " MPAY_SOURCE_DIR "/examples/wallet/payment_code.py " +
          device["secret"].get<std::string>() + " " + device["device_number"].get<std::string>() +
          " --at " + std::to_string(now_s));
  while (!from_example.empty() && from_example.back() == '\n') from_example.pop_back();
  EXPECT_EQ(from_example, code);

  // A code from two minutes ago (the phone showed a stale screen): expired, nothing spent.
  HttpReply old = charge(merchant, payment_code_at(device, now_s - 120), "1.00", "till-0");
  EXPECT_EQ(old.status, 422u);
  EXPECT_EQ(error_code_of(old), "payment_code_expired");

  // Within the limit, showing the code is the consent: paid at once.
  HttpReply paid = charge(merchant, code, "30.00", "till-1");
  ASSERT_EQ(paid.status, 201u) << paid.body;
  EXPECT_EQ(json::parse(paid.body)["status"], "succeeded");
  EXPECT_FALSE(json::parse(paid.body)["confirmation_needed"].get<bool>());
  EXPECT_EQ(json::parse(paid.body)["metadata"]["channel"], "payment_code");
  EXPECT_EQ(available(*alice), "1970.00");

  // The same code again, or an older one: used.
  HttpReply reused = charge(merchant, code, "30.00", "till-2");
  EXPECT_EQ(reused.status, 409u);
  EXPECT_EQ(error_code_of(reused), "payment_code_used");
  EXPECT_EQ(error_code_of(charge(merchant, payment_code_at(device, now_s - 30), "1.00", "till-3")),
            "payment_code_used");
  // A mistyped code (the Luhn digit catches it) is malformed, not a guess.
  std::string mistyped = payment_code_now(device);
  mistyped[12] = mistyped[12] == '9' ? '0' : static_cast<char>(mistyped[12] + 1);
  EXPECT_EQ(error_code_of(charge(merchant, mistyped, "1.00", "till-4")), "payment_code_malformed");
  EXPECT_EQ(available(*alice), "1970.00");

  // Above the user's limit: a payment request the user confirms in the app.
  HttpReply limit = alice->post("/v1/me/payment-code/limit", {{"amount", "20.00"}});
  ASSERT_EQ(limit.status, 200u) << limit.body;
  EXPECT_EQ(json::parse(limit.body)["amount"], "20.00");
  EXPECT_EQ(error_code_of(alice->post("/v1/me/payment-code/limit", {{"amount", "1000.01"}})),
            "payment_code_limit_too_high");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // A later step than the last code used (each code and every older one is single use).
  HttpReply held =
      charge(merchant, payment_code_at(device, testing::unix_now_s() + 15), "50.00", "till-5");
  ASSERT_EQ(held.status, 202u) << held.body;
  json waiting = json::parse(held.body);
  EXPECT_TRUE(waiting["confirmation_needed"].get<bool>());
  EXPECT_EQ(waiting["status"], "awaiting_confirmation");
  EXPECT_EQ(available(*alice), "1970.00");
  HttpReply confirmed =
      alice->post("/v1/me/payment-requests/" + waiting["id"].get<std::string>() + "/confirm",
                  {{"pin", kTestPin}, {"funding_source", "wallet"}});
  ASSERT_EQ(confirmed.status, 200u) << confirmed.body;
  EXPECT_EQ(available(*alice), "1920.00");
}

TEST_F(QrPaymentTest, GuessingLocksThePhoneAndARevokedPhoneIsRefused) {
  Merchant merchant = onboard();
  auto alice = app(66);
  alice->open_funded(66, "100.00");
  json device = provision(*alice);
  std::string good = payment_code_now(device);

  // Wrong codes for the device (right prefix, number and Luhn digit, wrong OTP): five lock it.
  auto guess = [&](int n) {
    std::string body = good.substr(0, 10) + (n % 2 ? "1234567" : "7654321");
    int sum = 0;  // Luhn check digit over the 17 digits
    for (int i = 16, double_it = 1; i >= 0; --i, double_it ^= 1) {
      int digit = body[i] - '0';
      if (double_it) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    return body + static_cast<char>('0' + (10 - sum % 10) % 10);
  };
  for (int n = 0; n < 5; ++n) {
    HttpReply wrong = charge(merchant, guess(n), "1.00", "guess-" + std::to_string(n));
    EXPECT_EQ(error_code_of(wrong), "payment_code_invalid") << wrong.body;
  }
  HttpReply locked = charge(merchant, good, "1.00", "after-guesses");
  EXPECT_EQ(locked.status, 423u) << locked.body;
  EXPECT_EQ(error_code_of(locked), "payment_code_device_locked");
  json listed = json::parse(alice->get("/v1/me/payment-code/devices").body);
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["status"], "locked");
  EXPECT_EQ(available(*alice), "100.00");
  // The guessing shows on /metrics, where operators alert on it.
  std::string metrics =
      testing::HttpClient("127.0.0.1", port()).request(verb::get, "/metrics", "", {}).body;
  EXPECT_NE(metrics.find("mpay_payment_code_charges_total{outcome=\"payment_code_invalid\"} 5"),
            std::string::npos)
      << metrics;
  EXPECT_NE(
      metrics.find("mpay_payment_code_charges_total{outcome=\"payment_code_device_locked\"} 1"),
      std::string::npos);

  // Re-provisioning (PIN) unlocks it with a new secret; revoking ends it.
  HttpReply renewed =
      alice->post("/v1/me/payment-code/devices/" + device["id"].get<std::string>() + "/reprovision",
                  {{"pin", kTestPin}});
  ASSERT_EQ(renewed.status, 200u) << renewed.body;
  json fresh = json::parse(renewed.body);
  EXPECT_NE(fresh["secret"], device["secret"]);
  ASSERT_EQ(charge(merchant, payment_code_at(fresh, testing::unix_now_s() + 15), "1.00", "renewed")
                .status,
            201u);
  HttpReply revoked = alice->post(
      "/v1/me/payment-code/devices/" + device["id"].get<std::string>() + "/revoke", nullptr);
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  EXPECT_EQ(json::parse(revoked.body)["status"], "revoked");
  EXPECT_EQ(error_code_of(charge(merchant, payment_code_at(fresh, testing::unix_now_s() + 30),
                                 "1.00", "revoked")),
            "payment_code_device_revoked");
  EXPECT_EQ(available(*alice), "99.00");
}

}  // namespace
}  // namespace mpay
