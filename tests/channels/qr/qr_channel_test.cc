// The QR channel below HTTP, on its real parts (ledger, SQLite, sealed secrets) with a clock the
// test turns: dynamic codes that expire unscanned, two users racing for one code, payloads that
// were altered or belong to another scheme, what survives a restart, and payment-code charges
// whose till makes a mistake, whose user set a limit, or whose wallet is short.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "channels/qr/emv/emv.h"
#include "channels/qr/merchant_codes.h"
#include "channels/qr/payment_code/payment_code_format.h"
#include "channels/qr/payment_code_charge.h"
#include "channels/qr/scan.h"
#include "payments/requests/request_fixture.h"
#include "server/qr_service.h"

namespace mpay::qr {
namespace {

using requests::PaymentStatus;
using requests::testing::code_of;
using requests::testing::kSecondNs;
using requests::testing::Payer;
using requests::testing::run_command;

class QrChannelTest : public requests::testing::RequestFixture {
 protected:
  void SetUp() override {
    RequestFixture::SetUp();
    open_qr();
  }
  void TearDown() override {
    settle();
    qr_.reset();
    RequestFixture::TearDown();
  }
  void open_qr() {
    server::QrServiceOptions options;
    options.data_directory = directory_.path();
    options.qr = qr_options_;
    auto qr = server::QrService::open(options, stack_->service(), *service_);
    ASSERT_TRUE(qr.ok()) << qr.error().message;
    qr_ = std::move(*qr);
  }
  void reopen_all() {
    settle();
    qr_.reset();
    reopen();
    open_qr();
  }
  QrContext& qr() { return qr_->context(); }

  // A merchant with what an EMV payload needs (category, country, city).
  requests::MerchantId merchant(const std::string& name = "Noodle Bar") {
    requests::MerchantId id = add_merchant(name, 0);
    requests::MerchantProfile profile = *merchants_.find(id, currency());
    profile.mcc = "5814";
    profile.country = "CN";
    profile.city = "Shanghai";
    merchants_.add(profile);
    return id;
  }
  Payer funded_payer(int index, int64_t amount_minor) {
    Payer payer = sign_up_payer("+86139000001" + std::to_string(10 + index));
    fund(payer.wallet(), amount_minor);
    return payer;
  }

  MerchantCode dynamic_code(const requests::MerchantId& merchant, const std::string& amount,
                            int64_t expires_in_s = 600, std::string reference = "") {
    NewMerchantCode request;
    request.kind = "dynamic";
    request.amount = amount;
    request.currency = "CNY";
    request.expires_in_s = expires_in_s;
    request.merchant_reference = std::move(reference);
    Result<MerchantCode> code = create_merchant_code(qr(), merchant, request);
    EXPECT_TRUE(code.ok()) << code_of(code);
    return code.ok() ? *code : MerchantCode{};
  }
  Result<ScanOutcome> scan(const Payer& payer, const std::string& payload,
                           std::optional<std::string> amount = std::nullopt) {
    ScanRequest request{payload, std::move(amount), "", ""};
    return run_command<ScanOutcome>(
        [&](ScanDone done) { scan_code(qr(), payer.id(), request, done); });
  }

  // The payment code a phone shows at the test clock's time (or `steps` of 15 s later).
  std::string code_of_device(const ProvisionedDevice& device, int64_t steps = 0) {
    Result<std::string> secret = qr().devices.open_secret(device.device);
    EXPECT_TRUE(secret.ok());
    uint64_t counter = counter_at(clock_.now_ns()) + steps;
    return make_payment_code(*secret, device.device.device_number, counter);
  }
  ProvisionedDevice provision(const Payer& payer) {
    Result<ProvisionedDevice> device = qr().devices.provision(payer.id(), "phone", clock_.now_ns());
    EXPECT_TRUE(device.ok()) << code_of(device);
    return *device;
  }
  Result<ChargeOutcome> charge(const requests::MerchantId& merchant, const std::string& code,
                               const std::string& amount, const std::string& reference) {
    PaymentCodeCharge charge{code, amount, "CNY", reference, "", "{}"};
    return run_command<ChargeOutcome>(
        [&](ChargeDone done) { charge_payment_code(qr(), merchant, charge, done); });
  }

  QrOptions qr_options_;
  std::unique_ptr<server::QrService> qr_;
};

TEST_F(QrChannelTest, ADynamicCodeNobodyScannedExpires) {
  requests::MerchantId shop = merchant();
  Payer alice = funded_payer(1, 10'000);
  MerchantCode code = dynamic_code(shop, "5.00", 60);
  EXPECT_EQ(code_status(code, clock_.now_ns()), CodeStatus::active);
  clock_.advance_ns(61 * kSecondNs);
  EXPECT_EQ(code_status(*qr().book.get(code.id), clock_.now_ns()), CodeStatus::expired);
  EXPECT_EQ(code_of(scan(alice, code.payload)), "qr_code_expired");
  EXPECT_EQ(available(alice), 10'000);
}

TEST_F(QrChannelTest, ACodeScannedInItsLastSecondsStillGivesAMinuteToConfirm) {
  requests::MerchantId shop = merchant();
  Payer alice = funded_payer(2, 10'000);
  MerchantCode code = dynamic_code(shop, "5.00", 60);
  clock_.advance_ns(50 * kSecondNs);
  Result<ScanOutcome> scanned = scan(alice, code.payload);
  ASSERT_TRUE(scanned.ok()) << code_of(scanned);
  const requests::RequestTerms& terms = scanned->request->terms;
  EXPECT_EQ(terms.expires_at_ns - terms.created_at_ns, 60 * kSecondNs);
  EXPECT_EQ(terms.amount_minor, 500);
  EXPECT_TRUE(terms.payer_id == alice.id());
}

TEST_F(QrChannelTest, TwoUsersRacingForOneDynamicCodeMakeOneRequest) {
  requests::MerchantId shop = merchant();
  std::vector<Payer> payers;
  for (int i = 0; i < 6; ++i) payers.push_back(funded_payer(10 + i, 10'000));
  for (int round = 0; round < 5; ++round) {
    MerchantCode code = dynamic_code(shop, "1.00");
    std::atomic<int> won{0}, used{0};
    std::vector<std::thread> threads;
    for (const Payer& payer : payers) {
      threads.emplace_back([&, payer] {
        Result<ScanOutcome> outcome = scan(payer, code.payload);
        if (outcome.ok()) ++won;
        if (!outcome.ok() && outcome.error().code == "qr_code_used") ++used;
      });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(used.load(), static_cast<int>(payers.size()) - 1);
    std::optional<MerchantCode> after = qr().book.get(code.id);
    ASSERT_TRUE(after->request_id.has_value());
    EXPECT_EQ(context().book.get(*after->request_id)->terms.merchant_reference,
              code.merchant_reference);
  }
}

TEST_F(QrChannelTest, AnAlteredPayloadAndAnotherSchemesPayloadAreRefused) {
  requests::MerchantId shop = merchant();
  Payer alice = funded_payer(3, 10'000);
  MerchantCode code = dynamic_code(shop, "25.00");
  // Someone changes the amount and re-encodes with a correct CRC: refused, nothing created.
  std::string altered = code.payload;
  size_t amount = altered.find("540525.00");
  ASSERT_NE(amount, std::string::npos);
  altered.replace(amount, 9, "540502.50");
  altered = altered.substr(0, altered.size() - 4);
  altered += crc_text(crc16_ccitt_false(altered));
  EXPECT_EQ(code_of(scan(alice, altered)), "qr_code_altered");
  EXPECT_FALSE(qr().book.get(code.id)->claimed_by.has_value());
  // Brazil's PIX: a valid EMVCo payload without our template.
  const std::string pix =
      "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
      "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D";
  EXPECT_EQ(code_of(scan(alice, pix)), "qr_code_foreign");
  EXPECT_EQ(code_of(scan(alice, "https://elsewhere.example/q/" + code.token)), "qr_code_foreign");
  EXPECT_EQ(code_of(scan(alice, "")), "qr_payload_empty");
  EXPECT_EQ(code_of(scan(alice, code.payload.substr(0, 40))), "qr_payload_truncated");
}

TEST_F(QrChannelTest, ReferencesAndTheStaticCodeLimitAreEnforced) {
  qr_options_.static_codes_per_merchant_max = 2;
  qr_.reset();
  open_qr();
  requests::MerchantId shop = merchant();
  dynamic_code(shop, "1.00", 600, "bill-1");
  NewMerchantCode again;
  again.kind = "dynamic";
  again.amount = "1.00";
  again.currency = "CNY";
  again.merchant_reference = "bill-1";
  EXPECT_EQ(code_of(create_merchant_code(qr(), shop, again)), "merchant_reference_taken");
  again.merchant_reference = "has space";
  EXPECT_EQ(code_of(create_merchant_code(qr(), shop, again)), "merchant_reference_invalid");
  // Scans copy the description into payment requests: no line breaks or bidi controls in it.
  for (const char* description : {"Noodles\nCall 555", "Shop\u202Elave"}) {
    NewMerchantCode shaped;
    shaped.kind = "static";
    shaped.description = description;
    EXPECT_EQ(code_of(create_merchant_code(qr(), shop, shaped)), "description_invalid")
        << description;
  }
  NewMerchantCode fixed;
  fixed.kind = "static";
  fixed.amount = "1.00";
  EXPECT_EQ(code_of(create_merchant_code(qr(), shop, fixed)), "amount_not_allowed");
  NewMerchantCode till;
  till.kind = "static";
  ASSERT_TRUE(create_merchant_code(qr(), shop, till).ok());
  Result<MerchantCode> second = create_merchant_code(qr(), shop, till);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(code_of(create_merchant_code(qr(), shop, till)), "qr_static_code_limit");
  // A deactivated static code frees its place.
  ASSERT_TRUE(deactivate_merchant_code(qr(), shop, second->id).ok());
  EXPECT_TRUE(create_merchant_code(qr(), shop, till).ok());
  till.terminal_label = std::string(26, 'T');
  EXPECT_EQ(code_of(create_merchant_code(qr(), shop, till)), "terminal_label_invalid");
}

TEST_F(QrChannelTest, CodesClaimsAndLimitsSurviveARestart) {
  requests::MerchantId shop = merchant();
  Payer alice = funded_payer(4, 10'000);
  Payer bob = funded_payer(5, 10'000);
  MerchantCode code = dynamic_code(shop, "3.00");
  Result<ScanOutcome> scanned = scan(alice, code.payload);
  ASSERT_TRUE(scanned.ok()) << code_of(scanned);
  ASSERT_TRUE(set_payment_code_limit(qr(), bob.id(), "12.34").ok());
  reopen_all();
  std::optional<MerchantCode> reloaded = qr().book.get(code.id);
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_EQ(reloaded->payload, code.payload);
  EXPECT_TRUE(reloaded->claimed_by == alice.id());
  EXPECT_EQ(reloaded->request_id, scanned->request->terms.id);
  EXPECT_EQ(code_of(scan(bob, code.payload)), "qr_code_used");
  Result<ScanOutcome> mine = scan(alice, code.payload);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->request->terms.id, scanned->request->terms.id);
  EXPECT_EQ(payment_code_limit(qr(), bob.id()), 1234);
  EXPECT_EQ(payment_code_limit(qr(), alice.id()), qr_options_.payment_code_limit_minor);
}

TEST_F(QrChannelTest, ATillsMistakeDoesNotSpendTheCode) {
  requests::MerchantId shop = merchant();
  Payer alice = funded_payer(6, 10'000);
  ProvisionedDevice phone = provision(alice);
  std::string code = code_of_device(phone);
  EXPECT_EQ(code_of(charge(shop, code, "1.001", "r-1")), "amount_too_many_fraction_digits");
  EXPECT_EQ(code_of(charge(shop, code, "1.00", "with space")), "merchant_reference_invalid");
  Result<ChargeOutcome> paid = charge(shop, code, "1.00", "r-1");
  ASSERT_TRUE(paid.ok()) << code_of(paid);
  EXPECT_EQ(paid->request.state.status, PaymentStatus::succeeded);
  EXPECT_FALSE(paid->confirmation_needed);
  EXPECT_EQ(available(alice), 9'900);
  expect_money_conserved({alice.wallet()});
}

TEST_F(QrChannelTest, AboveTheUsersLimitTheUserConfirms) {
  requests::MerchantId shop = merchant();
  Payer alice = funded_payer(7, 10'000);
  ASSERT_TRUE(set_payment_code_limit(qr(), alice.id(), "0").ok());
  EXPECT_EQ(code_of(set_payment_code_limit(qr(), alice.id(), "1000.01")),
            "payment_code_limit_too_high");
  ProvisionedDevice phone = provision(alice);
  Result<ChargeOutcome> held = charge(shop, code_of_device(phone), "0.01", "r-2");
  ASSERT_TRUE(held.ok()) << code_of(held);
  EXPECT_TRUE(held->confirmation_needed);
  EXPECT_EQ(held->request.state.status, PaymentStatus::awaiting_confirmation);
  EXPECT_EQ(available(alice), 10'000);
  Result<requests::PaymentRequest> confirmed = confirm(alice, held->request.terms.id);
  ASSERT_TRUE(confirmed.ok()) << code_of(confirmed);
  EXPECT_EQ(available(alice), 9'999);
}

TEST_F(QrChannelTest, AShortWalletFailsTheChargeAndMovesNothing) {
  requests::MerchantId shop = merchant();
  Payer alice = funded_payer(8, 500);
  ProvisionedDevice phone = provision(alice);
  Result<ChargeOutcome> refused = charge(shop, code_of_device(phone), "5.01", "r-3");
  EXPECT_EQ(code_of(refused), "insufficient_funds");
  EXPECT_EQ(available(alice), 500);
  EXPECT_EQ(balance(merchant_account(shop)), 0);
  expect_money_conserved({alice.wallet()});
}

}  // namespace
}  // namespace mpay::qr
