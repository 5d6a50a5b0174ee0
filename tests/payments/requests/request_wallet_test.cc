// Payment requests paid from the wallet, on the real ledger: confirmation, refusals that must
// leave everything as it was, manual capture, refunds, the answers that end a request, expiry with
// a clock the test turns, and a confirm racing a cancel.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "core/money.h"
#include "core/phone.h"
#include "payments/requests/fees.h"
#include "payments/requests/mandates.h"
#include "payments/requests/request_expiry.h"
#include "request_fixture.h"

namespace mpay::requests::testing {
namespace {

class WalletRequestTest : public RequestFixture {
 protected:
  void SetUp() override {
    RequestFixture::SetUp();
    payer_ = sign_up_payer("+8613900000001");
    merchant_ = add_merchant("Jade Tea House", 250);  // 2.5%
    fund(payer_.wallet(), 500'00);
  }

  // The balances a refused action must leave alone.
  struct Balances {
    int64_t payer_posted, payer_available, merchant, fees;
    bool operator==(const Balances&) const = default;
  };
  Balances balances() {
    return {posted(payer_), available(payer_), balance(merchant_account(merchant_)),
            balance(fee_income())};
  }

  Payer payer_;
  MerchantId merchant_;
};

TEST_F(WalletRequestTest, AConfirmedRequestPaysTheMerchantLessTheFee) {
  Result<PaymentRequest> created = create(merchant_, payer_, "40.00");
  ASSERT_TRUE(created.ok()) << code_of(created);
  EXPECT_EQ(created->state.status, PaymentStatus::awaiting_confirmation);
  EXPECT_EQ(created->terms.amount_minor, 40'00);
  EXPECT_EQ(created->terms.payer_phone_masked, mask_phone(payer_.phone));
  // The payer is asked by SMS, naming the merchant and the amount.
  std::vector<nlohmann::json> sms = wait_for_sms(payer_.phone, "payment_request");
  ASSERT_FALSE(sms.empty());
  EXPECT_EQ(sms.back()["purpose"], "payment_request");
  std::string text = sms.back()["text"];
  EXPECT_NE(text.find("Jade Tea House"), std::string::npos) << text;
  EXPECT_NE(text.find("40.00"), std::string::npos) << text;
  // Asking moves nothing.
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);

  Result<PaymentRequest> paid = confirm(payer_, created->terms.id);
  ASSERT_TRUE(paid.ok()) << code_of(paid);
  EXPECT_EQ(paid->state.status, PaymentStatus::succeeded);
  EXPECT_EQ(paid->state.funding, FundingSource::wallet);
  EXPECT_EQ(paid->state.captured_minor, 40'00);
  EXPECT_EQ(paid->state.fee_minor, 1'00);
  EXPECT_EQ(posted(payer_), 460'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 39'00);
  EXPECT_EQ(balance(fee_income()), 1'00);
  expect_money_conserved({payer_.wallet()});
}

TEST_F(WalletRequestTest, AWrongPinChangesNothing) {
  Id128 request = create_ok(merchant_, payer_, "40.00");
  Balances before = balances();
  Result<PaymentRequest> refused = confirm(payer_, request, "wallet", kWrongPin);
  EXPECT_EQ(code_of(refused), "pin_incorrect");
  EXPECT_EQ(status(request), PaymentStatus::awaiting_confirmation);
  EXPECT_EQ(balances(), before);
  // The refusal let go of the request: the right PIN still pays it.
  EXPECT_EQ(code_of(confirm(payer_, request)), "ok");
}

// The HTTP layer runs create and confirm in place on an I/O thread only when these say nothing
// would wait on the store; everything else must be sent to the blocking pool.
TEST_F(WalletRequestTest, TheInMemoryChecksSendAnythingThatWouldTouchTheStoreToThePool) {
  const Id128 open = create_ok(merchant_, payer_, "1.00");
  auto can_confirm = [&](const std::string& pin, const std::string& funding = "wallet") {
    return can_confirm_in_memory(context(), payer_.id(), open,
                                 Confirmation{pin, funding, std::nullopt});
  };
  NewRequest asked;
  asked.payer_phone = payer_.phone;
  EXPECT_TRUE(can_create_in_memory(context(), asked));  // cached since sign-up
  NewRequest stranger;
  stranger.payer_phone = "+8613900000999";  // nobody's: only the database can say so
  EXPECT_FALSE(can_create_in_memory(context(), stranger));
  NewRequest garbled;
  garbled.payer_phone = "not a phone";  // refused without the store
  EXPECT_TRUE(can_create_in_memory(context(), garbled));

  EXPECT_EQ(code_of(confirm(payer_, create_ok(merchant_, payer_, "1.00"))), "ok");
  EXPECT_TRUE(can_confirm(kPin));
  EXPECT_TRUE(can_confirm(kPin, "phone_bill"));
  EXPECT_FALSE(can_confirm(kPin, "bank"));            // the pull is stored before the answer
  EXPECT_FALSE(can_confirm(kPin, "carrier pigeon"));  // the pool answers with the error
  EXPECT_FALSE(can_confirm(kWrongPin));               // the failure is counted in the store
  // A failure on record: even the right PIN writes (the reset), so it goes to the pool.
  EXPECT_EQ(code_of(confirm(payer_, create_ok(merchant_, payer_, "1.00"), "wallet", kWrongPin)),
            "pin_incorrect");
  EXPECT_FALSE(can_confirm(kPin));
  EXPECT_EQ(code_of(confirm(payer_, create_ok(merchant_, payer_, "1.00"))), "ok");
  EXPECT_TRUE(can_confirm(kPin));

  // After a restart nothing is cached: the first create and confirm of a payer read the store.
  reopen();
  EXPECT_FALSE(can_create_in_memory(context(), asked));
  EXPECT_FALSE(can_confirm(kPin));
}

// pending_per_payer_max holds also for creations that race: of many started at once, exactly as
// many as there are places are created, and an answered request frees its place.
class PendingLimitTest : public WalletRequestTest {
 protected:
  void SetUp() override {
    request_options_.pending_per_payer_max = 3;
    WalletRequestTest::SetUp();
  }
};

TEST_F(PendingLimitTest, ConcurrentCreationsCannotPassThePayersLimit) {
  Id128 first = create_ok(merchant_, payer_, "1.00");
  std::vector<NewRequest> asked(12);
  std::vector<std::future<Result<PaymentRequest>>> outcomes;
  for (size_t i = 0; i < asked.size(); ++i) {
    asked[i].payer_phone = payer_.phone;
    asked[i].amount = "1.00";
    asked[i].currency = "CNY";
    asked[i].merchant_reference = "race-" + std::to_string(i);
    outcomes.push_back(start_command<PaymentRequest>([&, i](RequestDone done) {
      create_payment_request(context(), merchant_, asked[i], done);
    }));
  }
  int created = 0, refused = 0;
  for (auto& outcome : outcomes) {
    std::string code = code_of(outcome.get());
    if (code == "ok") ++created;
    if (code == "payer_pending_limit") ++refused;
  }
  EXPECT_EQ(created, 2);
  EXPECT_EQ(refused, 10);
  EXPECT_EQ(context().book.awaiting_confirmation_of(payer_.id()), 3u);
  EXPECT_EQ(code_of(create(merchant_, payer_, "1.00")), "payer_pending_limit");
  ASSERT_EQ(code_of(decline(payer_, first)), "ok");
  EXPECT_EQ(code_of(create(merchant_, payer_, "1.00")), "ok");
}

TEST_F(WalletRequestTest, TooLittleMoneyRefusesAndLeavesTheRequestAwaiting) {
  Payer poor = sign_up_payer("+8613900000006");
  fund(poor.wallet(), 39'99);
  Id128 request = create_ok(merchant_, poor, "40.00");
  Balances before = balances();
  Result<PaymentRequest> refused = confirm(poor, request);
  EXPECT_EQ(code_of(refused), "insufficient_funds");
  EXPECT_EQ(status(request), PaymentStatus::awaiting_confirmation);
  EXPECT_EQ(posted(poor), 39'99);
  EXPECT_EQ(balances(), before);
  // Nothing was held back either: one more cent and the same request goes through.
  fund(poor.wallet(), 1);
  EXPECT_EQ(code_of(confirm(poor, request)), "ok");
  EXPECT_EQ(posted(poor), 0);
}

TEST_F(WalletRequestTest, AnAmountOverTheKycLimitIsRefusedAndMovesNothing) {
  Id128 request = create_ok(merchant_, payer_, "500.01");  // level 0 pays at most 500.00 at once
  Balances before = balances();
  EXPECT_EQ(code_of(confirm(payer_, request)), "limit_per_payment_exceeded");
  EXPECT_EQ(status(request), PaymentStatus::awaiting_confirmation);
  EXPECT_EQ(balances(), before);
}

TEST_F(WalletRequestTest, ASecondConfirmationIsRefusedAndPaysNothing) {
  Id128 request = create_ok(merchant_, payer_, "40.00");
  ASSERT_EQ(code_of(confirm(payer_, request)), "ok");
  Balances after_first = balances();
  EXPECT_EQ(code_of(confirm(payer_, request)), "payment_request_not_awaiting_confirmation");
  EXPECT_EQ(balances(), after_first);
}

TEST_F(WalletRequestTest, OnlyTheNamedPayerCanAnswer) {
  Payer other = sign_up_payer("+8613900000002");
  fund(other.wallet(), 100'00);
  Id128 request = create_ok(merchant_, payer_, "40.00");
  EXPECT_EQ(code_of(confirm(other, request)), "payment_request_not_found");
  EXPECT_EQ(code_of(decline(other, request)), "payment_request_not_found");
  EXPECT_EQ(posted(other), 100'00);
  EXPECT_EQ(status(request), PaymentStatus::awaiting_confirmation);
}

// --- manual capture ---

TEST_F(WalletRequestTest, AnAuthorizationHoldsTheAmountWithoutMovingIt) {
  Id128 request = create_ok(merchant_, payer_, "50.00", CaptureMode::manual);
  Result<PaymentRequest> held = confirm(payer_, request);
  ASSERT_TRUE(held.ok()) << code_of(held);
  EXPECT_EQ(held->state.status, PaymentStatus::authorized);
  EXPECT_EQ(held->state.authorized_minor, 50'00);
  EXPECT_EQ(held->state.captured_minor, 0);
  EXPECT_EQ(available(payer_), 450'00);
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
  EXPECT_EQ(balance(fee_income()), 0);
}

TEST_F(WalletRequestTest, APartialCaptureMovesOnlyThatAndReleasesTheRest) {
  Id128 request = create_ok(merchant_, payer_, "50.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, request)), "ok");
  Balances held = balances();
  EXPECT_EQ(code_of(capture(merchant_, request, 50'01)), "capture_amount_invalid");
  EXPECT_EQ(code_of(capture(merchant_, request, 0)), "capture_amount_invalid");
  EXPECT_EQ(status(request), PaymentStatus::authorized);
  EXPECT_EQ(balances(), held);

  Result<PaymentRequest> captured = capture(merchant_, request, 30'10);
  ASSERT_TRUE(captured.ok()) << code_of(captured);
  EXPECT_EQ(captured->state.status, PaymentStatus::captured);
  EXPECT_EQ(captured->state.captured_minor, 30'10);
  int64_t fee = fee_for(30'10, 250);  // 75.25 -> 75
  EXPECT_EQ(fee, 75);
  EXPECT_EQ(captured->state.fee_minor, fee);
  EXPECT_EQ(posted(payer_), 500'00 - 30'10);
  EXPECT_EQ(available(payer_), 500'00 - 30'10);  // the other 19.90 is free again
  EXPECT_EQ(balance(merchant_account(merchant_)), 30'10 - fee);
  EXPECT_EQ(balance(fee_income()), fee);
  EXPECT_EQ(code_of(capture(merchant_, request, 1'00)), "payment_request_not_authorized");
  expect_money_conserved({payer_.wallet()});
}

TEST_F(WalletRequestTest, AVoidReleasesTheWholeHold) {
  Id128 request = create_ok(merchant_, payer_, "50.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, request)), "ok");
  Result<PaymentRequest> voided = void_authorization(merchant_, request);
  ASSERT_TRUE(voided.ok()) << code_of(voided);
  EXPECT_EQ(voided->state.status, PaymentStatus::voided);
  EXPECT_EQ(available(payer_), 500'00);
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
  EXPECT_EQ(code_of(capture(merchant_, request, std::nullopt)), "payment_request_not_authorized");
  expect_money_conserved({payer_.wallet()});
}

TEST_F(WalletRequestTest, AnotherMerchantCannotCaptureOrVoid) {
  MerchantId other = add_merchant("Other Shop", 100);
  Id128 request = create_ok(merchant_, payer_, "50.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, request)), "ok");
  EXPECT_EQ(code_of(capture(other, request, std::nullopt)), "payment_request_not_found");
  EXPECT_EQ(code_of(void_authorization(other, request)), "payment_request_not_found");
  EXPECT_EQ(code_of(cancel(other, request)), "payment_request_not_found");
  EXPECT_EQ(status(request), PaymentStatus::authorized);
}

// --- refunds ---

TEST_F(WalletRequestTest, PartialRefundsReturnTheFeeInProportionUpToTheCaptured) {
  MerchantId shop = add_merchant("Fee Shop", 300);  // 3%: 300.03 on 100.01 -> 300
  Id128 request = create_ok(shop, payer_, "100.01");
  ASSERT_EQ(code_of(confirm(payer_, request)), "ok");
  ASSERT_EQ(get(request).state.fee_minor, 300);
  AccountId shop_account = merchant_account(shop);

  Result<RefundRecord> first = refund(shop, request, 33'34);
  ASSERT_TRUE(first.ok()) << code_of(first);
  EXPECT_EQ(first->status, RefundStatus::succeeded);
  EXPECT_EQ(first->fee_returned_minor, 100);  // floor(300 * 3334 / 10001)
  Result<RefundRecord> second = refund(shop, request, 33'33);
  ASSERT_TRUE(second.ok()) << code_of(second);
  EXPECT_EQ(second->fee_returned_minor, 99);  // floor(300 * 6667 / 10001) - 100

  // One more than is left: refused, and nothing moves.
  int64_t payer_before = posted(payer_), shop_before = balance(shop_account);
  int64_t fees_before = balance(fee_income());
  Result<RefundRecord> too_much = refund(shop, request, 33'35);
  EXPECT_EQ(code_of(too_much), "refund_amount_exceeds_captured");
  EXPECT_EQ(posted(payer_), payer_before);
  EXPECT_EQ(balance(shop_account), shop_before);
  EXPECT_EQ(balance(fee_income()), fees_before);
  EXPECT_EQ(context().book.refunds_of(request).size(), 2u);

  // The rest, exactly: the whole fee is back, the payer has everything back.
  Result<RefundRecord> last = refund(shop, request, 33'34);
  ASSERT_TRUE(last.ok()) << code_of(last);
  EXPECT_EQ(last->fee_returned_minor, 101);
  PaymentRequest after = get(request);
  EXPECT_EQ(after.state.refunded_minor, 100'01);
  EXPECT_EQ(after.state.fee_returned_minor, 300);
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(balance(shop_account), 0);
  EXPECT_EQ(balance(fee_income()), 0);
  EXPECT_EQ(code_of(refund(shop, request, 1)), "refund_amount_exceeds_captured");
  expect_money_conserved({payer_.wallet()});
}

// Regression: the refund chain debited the merchant before giving its fee back, so a merchant
// whose balance was only this payment's net could never refund it in full.
TEST_F(WalletRequestTest, AFullRefundSucceedsWhenTheMerchantHoldsOnlyThatPaymentsNet) {
  Id128 request = create_ok(merchant_, payer_, "40.00");
  ASSERT_EQ(code_of(confirm(payer_, request)), "ok");
  ASSERT_EQ(balance(merchant_account(merchant_)), 39'00);
  Result<RefundRecord> full = refund(merchant_, request, 40'00);
  ASSERT_TRUE(full.ok()) << code_of(full);
  EXPECT_EQ(full->fee_returned_minor, 1'00);
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
  EXPECT_EQ(balance(fee_income()), 0);
}

TEST_F(WalletRequestTest, ARefundTheMerchantCannotCoverIsRefusedAndRecordedFailed) {
  Id128 request = create_ok(merchant_, payer_, "40.00");
  ASSERT_EQ(code_of(confirm(payer_, request)), "ok");
  // The merchant's money leaves through another door (a payout, say).
  ledger::Transfer payout;
  payout.id = TransferId(ids_.next());
  payout.debit_account_id = merchant_account(merchant_);
  payout.credit_account_id = payer_.wallet();
  payout.amount = 39'00;
  payout.currency = currency();
  payout.code = kTestFundingCode;
  ASSERT_EQ(mpay::testing::create_transfers_sync(ledger(), {payout}).at(0).result, 0);
  int64_t payer_before = posted(payer_);
  Result<RefundRecord> refused = refund(merchant_, request, 10'00);
  EXPECT_EQ(code_of(refused), "merchant_balance_insufficient");
  EXPECT_EQ(posted(payer_), payer_before);
  EXPECT_EQ(get(request).state.refunded_minor, 0);
  // The refund that did not happen is recorded as failed, not left pending.
  ASSERT_TRUE(wait_until([&] {
    std::vector<RefundRecord> refunds = context().book.refunds_of(request);
    return refunds.size() == 1 && refunds[0].status == RefundStatus::failed;
  }));
}

TEST_F(WalletRequestTest, OnlyPaidRequestsCanBeRefunded) {
  Id128 awaiting = create_ok(merchant_, payer_, "10.00");
  EXPECT_EQ(code_of(refund(merchant_, awaiting, 1'00)), "payment_request_not_refundable");
  Id128 authorized = create_ok(merchant_, payer_, "10.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, authorized)), "ok");
  EXPECT_EQ(code_of(refund(merchant_, authorized, 1'00)), "payment_request_not_refundable");
  // A capture of part: refunds stop at what was captured, not at what was authorized.
  ASSERT_EQ(code_of(capture(merchant_, authorized, 6'00)), "ok");
  EXPECT_EQ(code_of(refund(merchant_, authorized, 6'01)), "refund_amount_exceeds_captured");
  EXPECT_EQ(code_of(refund(merchant_, authorized, 6'00)), "ok");
  expect_money_conserved({payer_.wallet()});
}

// --- decline, cancel, expiry ---

TEST_F(WalletRequestTest, ADeclinedRequestCannotBePaidLater) {
  Id128 request = create_ok(merchant_, payer_, "40.00");
  Result<PaymentRequest> declined = decline(payer_, request);
  ASSERT_TRUE(declined.ok()) << code_of(declined);
  EXPECT_EQ(declined->state.status, PaymentStatus::declined);
  EXPECT_EQ(code_of(confirm(payer_, request)), "payment_request_not_awaiting_confirmation");
  EXPECT_EQ(code_of(cancel(merchant_, request)), "payment_request_not_awaiting_confirmation");
  EXPECT_EQ(posted(payer_), 500'00);
}

TEST_F(WalletRequestTest, ACancelledRequestCannotBePaid) {
  Id128 request = create_ok(merchant_, payer_, "40.00");
  Result<PaymentRequest> cancelled = cancel(merchant_, request);
  ASSERT_TRUE(cancelled.ok()) << code_of(cancelled);
  EXPECT_EQ(cancelled->state.status, PaymentStatus::cancelled);
  EXPECT_EQ(code_of(confirm(payer_, request)), "payment_request_not_awaiting_confirmation");
  EXPECT_EQ(posted(payer_), 500'00);
}

TEST_F(WalletRequestTest, TheSweepExpiresARequestOnlyOnceItsDeadlinePasses) {
  Id128 request = create_ok(merchant_, payer_, "40.00");
  int64_t expires_at = get(request).terms.expires_at_ns;
  EXPECT_EQ(expires_at, kStartNs + request_options_.expires_in_s_default * kSecondNs);
  clock_.set_ns(expires_at - 1);
  EXPECT_EQ(sweep_due(context()), 0u);
  EXPECT_EQ(status(request), PaymentStatus::awaiting_confirmation);

  clock_.set_ns(expires_at);
  EXPECT_EQ(sweep_due(context()), 1u);
  ASSERT_TRUE(wait_for_status(request, PaymentStatus::expired));
  // Answering now gets the same word whether the sweep ran first or not.
  EXPECT_EQ(code_of(confirm(payer_, request)), "payment_request_expired");
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(sweep_due(context()), 0u);
}

TEST_F(WalletRequestTest, ConfirmingAfterTheDeadlineExpiresTheRequestWithoutASweep) {
  Id128 request = create_ok(merchant_, payer_, "40.00");
  clock_.set_ns(get(request).terms.expires_at_ns);
  EXPECT_EQ(code_of(confirm(payer_, request)), "payment_request_expired");
  EXPECT_EQ(status(request), PaymentStatus::expired);
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
}

TEST_F(WalletRequestTest, TheSweepVoidsAnAuthorizationPastItsDeadline) {
  Id128 request = create_ok(merchant_, payer_, "50.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, request)), "ok");
  int64_t deadline = get(request).state.authorization_expires_at_ns;
  EXPECT_EQ(deadline, kStartNs + request_options_.authorization_ttl_s * kSecondNs);
  clock_.set_ns(deadline - 1);
  EXPECT_EQ(sweep_due(context()), 0u);
  EXPECT_EQ(available(payer_), 450'00);

  clock_.set_ns(deadline);
  EXPECT_EQ(sweep_due(context()), 1u);
  ASSERT_TRUE(wait_for_status(request, PaymentStatus::voided));
  EXPECT_EQ(available(payer_), 500'00);
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
  EXPECT_EQ(code_of(capture(merchant_, request, std::nullopt)), "payment_request_not_authorized");
  expect_money_conserved({payer_.wallet()});
}

// The ledger's hold outlives the deadline by an hour (funding.cc), as a backstop: a capture in that
// hour must not move money, as the sweep would have voided the authorization had it run first.
TEST_F(WalletRequestTest, ACaptureAtOrPastTheDeadlineVoidsTheAuthorizationInstead) {
  Id128 on_time = create_ok(merchant_, payer_, "20.00", CaptureMode::manual);
  Id128 at_deadline = create_ok(merchant_, payer_, "30.00", CaptureMode::manual);
  Id128 half_an_hour_late = create_ok(merchant_, payer_, "50.00", CaptureMode::manual);
  for (const Id128& request : {on_time, at_deadline, half_an_hour_late}) {
    ASSERT_EQ(code_of(confirm(payer_, request)), "ok");
  }
  int64_t deadline = get(on_time).state.authorization_expires_at_ns;
  ASSERT_EQ(get(half_an_hour_late).state.authorization_expires_at_ns, deadline);
  clock_.set_ns(deadline - 1);
  ASSERT_EQ(code_of(capture(merchant_, on_time, std::nullopt)), "ok");
  Balances after_the_capture = balances();

  clock_.set_ns(deadline);
  EXPECT_EQ(code_of(capture(merchant_, at_deadline, 10'00)), "payment_request_not_authorized");
  clock_.set_ns(deadline + 30 * 60 * kSecondNs);
  Result<PaymentRequest> refused = capture(merchant_, half_an_hour_late, std::nullopt);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "payment_request_not_authorized");
  EXPECT_EQ(refused.error().message, "this payment request is voided");

  for (const Id128& request : {at_deadline, half_an_hour_late}) {
    EXPECT_EQ(status(request), PaymentStatus::voided);
    EXPECT_TRUE(published(request, PaymentStatus::voided));
    EXPECT_EQ(hold_status(request), ledger::PendingStatus::voided);
  }
  EXPECT_EQ(balance(merchant_account(merchant_)), after_the_capture.merchant);
  EXPECT_EQ(balance(fee_income()), after_the_capture.fees);
  EXPECT_EQ(posted(payer_), 500'00 - 20'00);
  EXPECT_EQ(available(payer_), 500'00 - 20'00);  // nothing held any more
  EXPECT_EQ(wallet_context().spending.spending(payer_.id(), clock_.now_ns()).this_month_minor,
            20'00);
  EXPECT_EQ(sweep_due(context()), 0u);
  expect_money_conserved({payer_.wallet()});
}

// The sweep runs after the ledger timed the hold out itself (it ran late, or mpayd was down for
// hours): the ledger refuses the void, but the money is back with the payer, so the request is
// voided all the same, and no longer counts as spent.
TEST_F(WalletRequestTest, TheSweepVoidsAnAuthorizationWhoseHoldTheLedgerTimedOut) {
  Id128 request = create_ok(merchant_, payer_, "50.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, request)), "ok");
  auto spent_this_month = [&] {
    return wallet_context().spending.spending(payer_.id(), clock_.now_ns()).this_month_minor;
  };
  EXPECT_EQ(spent_this_month(), 50'00);

  clock_.set_ns(hold_times_out_at_ns(request));
  EXPECT_EQ(sweep_due(context()), 1u);
  ASSERT_TRUE(wait_for_status(request, PaymentStatus::voided));
  EXPECT_TRUE(published(request, PaymentStatus::voided));
  EXPECT_EQ(hold_status(request), ledger::PendingStatus::expired);  // no void was made
  EXPECT_EQ(available(payer_), 500'00);
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
  EXPECT_EQ(spent_this_month(), 0);
  EXPECT_EQ(sweep_due(context()), 0u);
  expect_money_conserved({payer_.wallet()});
}

TEST_F(WalletRequestTest, AVoidOrCaptureOfAHoldTheLedgerTimedOutEndsTheRequestVoided) {
  Id128 voided = create_ok(merchant_, payer_, "50.00", CaptureMode::manual);
  Id128 captured = create_ok(merchant_, payer_, "30.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, voided)), "ok");
  ASSERT_EQ(code_of(confirm(payer_, captured)), "ok");
  clock_.set_ns(std::max(hold_times_out_at_ns(voided), hold_times_out_at_ns(captured)));

  Result<PaymentRequest> void_answer = void_authorization(merchant_, voided);
  ASSERT_TRUE(void_answer.ok()) << code_of(void_answer);
  EXPECT_EQ(void_answer->state.status, PaymentStatus::voided);
  EXPECT_EQ(code_of(capture(merchant_, captured, std::nullopt)), "payment_request_not_authorized");
  for (const Id128& request : {voided, captured}) {
    EXPECT_EQ(status(request), PaymentStatus::voided);
    EXPECT_TRUE(published(request, PaymentStatus::voided));
    EXPECT_EQ(hold_status(request), ledger::PendingStatus::expired);
  }
  EXPECT_EQ(available(payer_), 500'00);
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
  EXPECT_EQ(balance(fee_income()), 0);
  expect_money_conserved({payer_.wallet()});
}

// A decline or a cancel that comes after the request's expiry, before the sweep: the request
// expired, as the sweep would have recorded, and the answer says so, as a confirm's would.
TEST_F(WalletRequestTest, DecliningPastTheExpiryExpiresTheRequestWithoutASweep) {
  Id128 request = create_ok(merchant_, payer_, "40.00");
  clock_.set_ns(get(request).terms.expires_at_ns);
  EXPECT_EQ(code_of(decline(payer_, request)), "payment_request_expired");
  EXPECT_EQ(status(request), PaymentStatus::expired);
  EXPECT_TRUE(published(request, PaymentStatus::expired));
  EXPECT_FALSE(published(request, PaymentStatus::declined));
  // Once expired, every later answer gets the same word.
  EXPECT_EQ(code_of(decline(payer_, request)), "payment_request_expired");
  EXPECT_EQ(code_of(cancel(merchant_, request)), "payment_request_expired");
  EXPECT_EQ(code_of(confirm(payer_, request)), "payment_request_expired");
  EXPECT_EQ(sweep_due(context()), 0u);
  EXPECT_EQ(posted(payer_), 500'00);
}

TEST_F(WalletRequestTest, CancellingPastTheExpiryExpiresTheRequestWithoutASweep) {
  Id128 request = create_ok(merchant_, payer_, "40.00");
  clock_.set_ns(get(request).terms.expires_at_ns + kSecondNs);
  EXPECT_EQ(code_of(cancel(merchant_, request)), "payment_request_expired");
  EXPECT_EQ(status(request), PaymentStatus::expired);
  EXPECT_TRUE(published(request, PaymentStatus::expired));
  EXPECT_FALSE(published(request, PaymentStatus::cancelled));
  EXPECT_EQ(code_of(cancel(merchant_, request)), "payment_request_expired");
  EXPECT_EQ(code_of(decline(payer_, request)), "payment_request_expired");
  EXPECT_EQ(sweep_due(context()), 0u);
}

TEST_F(WalletRequestTest, AnswersJustBeforeTheExpiryStillCount) {
  Id128 declined = create_ok(merchant_, payer_, "40.00");
  Id128 cancelled = create_ok(merchant_, payer_, "40.00");
  clock_.set_ns(get(declined).terms.expires_at_ns - 1);
  EXPECT_EQ(code_of(decline(payer_, declined)), "ok");
  EXPECT_EQ(code_of(cancel(merchant_, cancelled)), "ok");
  EXPECT_EQ(status(declined), PaymentStatus::declined);
  EXPECT_EQ(status(cancelled), PaymentStatus::cancelled);
}

// --- races ---

TEST_F(WalletRequestTest, AConfirmRacingACancelHasExactlyOneWinner) {
  constexpr int kRequests = 40;
  std::vector<Id128> requests;
  for (int i = 0; i < kRequests; ++i) requests.push_back(create_ok(merchant_, payer_, "1.00"));

  std::vector<std::future<Result<PaymentRequest>>> confirms(kRequests), cancels(kRequests);
  std::thread payer_thread([&] {
    for (int i = 0; i < kRequests; ++i) {
      confirms[i] = start_command<PaymentRequest>([&](RequestDone done) {
        confirm_payment_request(context(), payer_.id(), requests[i], {kPin, "wallet", {}}, done);
      });
    }
  });
  std::thread merchant_thread([&] {
    for (int i = kRequests - 1; i >= 0; --i) {  // from the other end, so they meet in the middle
      cancels[i] = start_command<PaymentRequest>(
          [&](RequestDone done) { cancel_payment_request(context(), merchant_, requests[i], done); });
    }
  });
  payer_thread.join();
  merchant_thread.join();

  int paid = 0;
  for (int i = 0; i < kRequests; ++i) {
    Result<PaymentRequest> confirmed = confirms[i].get();
    Result<PaymentRequest> cancelled = cancels[i].get();
    ASSERT_NE(confirmed.ok(), cancelled.ok()) << "request " << i << ": confirm "
                                              << code_of(confirmed) << ", cancel "
                                              << code_of(cancelled);
    const Result<PaymentRequest>& loser = confirmed.ok() ? cancelled : confirmed;
    EXPECT_TRUE(loser.error().code == "payment_request_busy" ||
                loser.error().code == "payment_request_not_awaiting_confirmation")
        << loser.error().code;
    PaymentStatus expected = confirmed.ok() ? PaymentStatus::succeeded : PaymentStatus::cancelled;
    EXPECT_EQ(status(requests[i]), expected) << "request " << i;
    paid += confirmed.ok();
  }
  int64_t fee = fee_for(1'00, 250);
  EXPECT_EQ(posted(payer_), 500'00 - paid * 1'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), paid * (1'00 - fee));
  EXPECT_EQ(balance(fee_income()), paid * fee);
  expect_money_conserved({payer_.wallet()});
}

// --- mandates and consent ---

class MandateTest : public WalletRequestTest {
 protected:
  MandateRecord make_mandate(const MerchantId& merchant, const std::string& per_charge,
                             const std::string& monthly) {
    Result<MandateRecord> made =
        create_mandate(context(), payer_.id(), {merchant, "CNY", per_charge, monthly, kPin});
    EXPECT_TRUE(made.ok()) << code_of(made);
    return made.ok() ? *made : MandateRecord{};
  }
};

TEST_F(MandateTest, CreatingAMandateNeedsThePin) {
  Result<MandateRecord> refused =
      create_mandate(context(), payer_.id(), {merchant_, "CNY", "20.00", "50.00", kWrongPin});
  EXPECT_EQ(code_of(refused), "pin_incorrect");
  EXPECT_EQ(code_of(create_mandate(context(), payer_.id(),
                                   {merchant_, "CNY", "60.00", "50.00", kPin})),
            "mandate_caps_invalid");
}

TEST_F(MandateTest, AChargeWithinTheCapsIsPaidAtOnceWithoutAPin) {
  MandateRecord mandate = make_mandate(merchant_, "20.00", "50.00");
  size_t sms_before = sms_to(payer_.phone).size();
  Result<PaymentRequest> charged = create(merchant_, payer_, "15.00", CaptureMode::automatic,
                                          mandate.id);
  ASSERT_TRUE(charged.ok()) << code_of(charged);
  EXPECT_EQ(charged->state.status, PaymentStatus::succeeded);
  EXPECT_EQ(charged->terms.mandate_id, mandate.id);
  EXPECT_EQ(posted(payer_), 485'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 15'00 - fee_for(15'00, 250));
  // Nothing to confirm, nothing to ask. SMS reach the outbox in completion order, each round's
  // when it is done: an ordinary request made after the charge (for an amount of its own) marks
  // where the charge's SMS, had it sent one, would already be.
  ASSERT_TRUE(create(merchant_, payer_, "1.23").ok());
  std::vector<nlohmann::json> sms = wait_for_sms(payer_.phone, "payment_request", "1.23");
  ASSERT_EQ(sms.size(), sms_before + 1) << "the mandate charge sent the payer an SMS";
  EXPECT_NE(sms.back()["text"].get<std::string>().find("1.23"), std::string::npos);
}

TEST_F(MandateTest, TheCapsPerChargeAndPerMonthHold) {
  MandateRecord mandate = make_mandate(merchant_, "20.00", "50.00");
  EXPECT_EQ(code_of(create(merchant_, payer_, "20.01", CaptureMode::automatic, mandate.id)),
            "mandate_per_charge_exceeded");
  EXPECT_EQ(code_of(create(merchant_, payer_, "20.00", CaptureMode::automatic, mandate.id)), "ok");
  EXPECT_EQ(code_of(create(merchant_, payer_, "20.00", CaptureMode::automatic, mandate.id)), "ok");
  EXPECT_EQ(code_of(create(merchant_, payer_, "10.01", CaptureMode::automatic, mandate.id)),
            "mandate_monthly_exceeded");
  EXPECT_EQ(code_of(create(merchant_, payer_, "10.00", CaptureMode::automatic, mandate.id)), "ok");
  EXPECT_EQ(posted(payer_), 450'00);
  EXPECT_EQ(code_of(create(merchant_, payer_, "20.00", CaptureMode::manual, mandate.id)),
            "mandate_capture_must_be_automatic");
}

TEST_F(MandateTest, AMandateIsOnlyForItsMerchantAndItsPayer) {
  MandateRecord mandate = make_mandate(merchant_, "20.00", "50.00");
  MerchantId other = add_merchant("Other Shop", 100);
  EXPECT_EQ(code_of(create(other, payer_, "5.00", CaptureMode::automatic, mandate.id)),
            "mandate_mismatch");
  Payer someone_else = sign_up_payer("+8613900000003");
  fund(someone_else.wallet(), 100'00);
  EXPECT_EQ(code_of(create(merchant_, someone_else, "5.00", CaptureMode::automatic, mandate.id)),
            "mandate_mismatch");
  EXPECT_EQ(posted(payer_), 500'00);
  EXPECT_EQ(posted(someone_else), 100'00);
}

TEST_F(MandateTest, ARevokedMandateChargesNothing) {
  MandateRecord mandate = make_mandate(merchant_, "20.00", "50.00");
  Result<MandateRecord> revoked = revoke_mandate(context(), payer_.id(), mandate.id);
  ASSERT_TRUE(revoked.ok()) << code_of(revoked);
  EXPECT_NE(revoked->revoked_at_ns, 0);
  EXPECT_EQ(code_of(create(merchant_, payer_, "5.00", CaptureMode::automatic, mandate.id)),
            "mandate_revoked");
  EXPECT_EQ(code_of(revoke_mandate(context(), payer_.id(), mandate.id)), "mandate_revoked");
  EXPECT_EQ(posted(payer_), 500'00);
}

TEST_F(MandateTest, AMandateChargeTheWalletCannotCoverFails) {
  MandateRecord mandate = make_mandate(merchant_, "20.00", "50.00");
  Payer poor = sign_up_payer("+8613900000004");
  fund(poor.wallet(), 5'00);
  Result<MandateRecord> theirs =
      create_mandate(context(), poor.id(), {merchant_, "CNY", "20.00", "50.00", kPin});
  ASSERT_TRUE(theirs.ok()) << code_of(theirs);
  Result<PaymentRequest> charged = create(merchant_, poor, "6.00", CaptureMode::automatic,
                                          theirs->id);
  EXPECT_EQ(code_of(charged), "insufficient_funds");
  // Nobody will confirm it: the request ends failed, and no money moved.
  std::vector<PaymentRequest> listed = context().book.list_for_payer(poor.id(), {});
  ASSERT_EQ(listed.size(), 1u);
  ASSERT_TRUE(wait_for_status(listed[0].terms.id, PaymentStatus::failed));
  EXPECT_EQ(get(listed[0].terms.id).state.failure,
            static_cast<uint16_t>(FailureReason::insufficient_funds));
  EXPECT_EQ(posted(poor), 5'00);
  (void)mandate;
}

TEST_F(MandateTest, WithoutAConfirmationOrAMandateNoMoneyMoves) {
  // Consent: asking, however often and for however much, moves nothing; only the payer's confirm
  // (or the payer's own mandate) does.
  MandateRecord mandate = make_mandate(merchant_, "20.00", "50.00");
  Payer other = sign_up_payer("+8613900000005");
  fund(other.wallet(), 100'00);
  Balances before = balances();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(code_of(create(merchant_, payer_, "10.00")), "ok");
    EXPECT_EQ(code_of(create(merchant_, other, "10.00")), "ok");
  }
  // Someone else's mandate is no consent.
  EXPECT_EQ(code_of(create(merchant_, other, "10.00", CaptureMode::automatic, mandate.id)),
            "mandate_mismatch");
  EXPECT_EQ(balances(), before);
  EXPECT_EQ(posted(other), 100'00);
  for (const PaymentRequest& request : context().book.list_for_payer(payer_.id(), {})) {
    EXPECT_EQ(request.state.status, PaymentStatus::awaiting_confirmation);
  }
}

TEST_F(MandateTest, AChargeOverThePayersKycLimitsFailsAndSaysWhy) {
  // The mandate allows more than the payer's level may pay at once (500.00 per payment).
  MandateRecord mandate = make_mandate(merchant_, "600.00", "1000.00");
  Result<PaymentRequest> charged =
      create(merchant_, payer_, "500.01", CaptureMode::automatic, mandate.id);
  EXPECT_EQ(code_of(charged), "limit_per_payment_exceeded");
  std::vector<PaymentRequest> listed = context().book.list_for_payer(payer_.id(), {});
  ASSERT_EQ(listed.size(), 1u);
  ASSERT_TRUE(wait_for_status(listed[0].terms.id, PaymentStatus::failed));
  EXPECT_EQ(get(listed[0].terms.id).state.failure,
            static_cast<uint16_t>(FailureReason::spending_limit_exceeded));
  EXPECT_EQ(posted(payer_), 500'00);
  expect_money_conserved({payer_.wallet()});
}

TEST_F(MandateTest, ChargesAtOnceNeverPassTheMonthlyCapTogether) {
  // Many charges in flight at once: each counts what the others hold and what they already
  // charged, so exactly the cap's worth is paid whatever order they finish in.
  MandateRecord mandate = make_mandate(merchant_, "10.00", "50.00");
  constexpr int kThreads = 8;
  constexpr int kChargesEach = 4;
  std::vector<std::future<Result<PaymentRequest>>> charges(kThreads * kChargesEach);
  std::vector<std::thread> merchants;
  for (int t = 0; t < kThreads; ++t) {
    merchants.emplace_back([&, t] {
      for (int i = 0; i < kChargesEach; ++i) {
        NewRequest request;
        request.payer_phone = payer_.phone;
        request.amount = "10.00";
        request.currency = "CNY";
        request.description = "subscription";
        request.merchant_reference = "race-" + std::to_string(t) + "-" + std::to_string(i);
        request.capture = CaptureMode::automatic;
        request.mandate_id = mandate.id;
        charges[t * kChargesEach + i] =
            start_command<PaymentRequest>([&, request](RequestDone done) {
              create_payment_request(context(), merchant_, request, done);
            });
      }
    });
  }
  for (std::thread& merchant : merchants) merchant.join();
  int paid = 0;
  for (auto& charge : charges) {
    Result<PaymentRequest> outcome = charge.get();
    if (outcome.ok()) {
      ++paid;
    } else {
      EXPECT_EQ(code_of(outcome), "mandate_monthly_exceeded");
    }
  }
  EXPECT_EQ(paid, 5);
  EXPECT_EQ(posted(payer_), 450'00);
  EXPECT_EQ(context().book.mandate_usage(mandate.id, 0), 50'00);
  expect_money_conserved({payer_.wallet()});
}

}  // namespace
}  // namespace mpay::requests::testing
