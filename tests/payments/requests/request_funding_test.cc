// Payment requests paid from the phone bill (allowance, refunds, the carrier's monthly CSV) and
// from a linked bank account (the sandbox bank answers later; its rules go by the account number's
// last four digits: ....0004 declines every order, ....0006 every credit).
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "core/phone.h"
#include "payments/requests/carrier_billing.h"
#include "payments/requests/fees.h"
#include "payments/requests/request_expiry.h"
#include "payments/wallet/bank_orders.h"
#include "payments/wallet/kyc.h"
#include "request_fixture.h"

namespace mpay::requests::testing {
namespace {

constexpr const char* kCarrier = "CMCC";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

class PhoneBillTest : public RequestFixture {
 protected:
  void SetUp() override {
    request_options_.phone_bill_monthly_allowance_minor = 30'00;
    request_options_.expires_in_s_default = 7 * 86400;  // a request may wait into the next month
    RequestFixture::SetUp();
    payer_ = sign_up_payer("+8613900000011");
    merchant_ = add_merchant("Game Store", 500);  // 5%
  }

  AccountId receivable() { return carrier_receivable_account_id(kCarrier, currency()); }

  // What the carrier is owed: its receivable's debits less credits.
  int64_t receivable_owed() { return -balance(receivable()); }

  Payer payer_;
  MerchantId merchant_;
};

TEST_F(PhoneBillTest, WithoutACarrierThePhoneBillIsRefused) {
  Id128 request = create_ok(merchant_, payer_, "10.00");
  EXPECT_EQ(code_of(confirm(payer_, request, "phone_bill")), "carrier_not_set");
  EXPECT_EQ(status(request), PaymentStatus::awaiting_confirmation);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
  Status invalid = set_subscriber_carrier(context(), payer_.id(), "cm");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, "carrier_invalid");
}

TEST_F(PhoneBillTest, ChargesStopAtTheMonthlyAllowance) {
  ASSERT_TRUE(set_subscriber_carrier(context(), payer_.id(), kCarrier).ok());
  for (int i = 0; i < 3; ++i) {
    Id128 request = create_ok(merchant_, payer_, "10.00");
    Result<PaymentRequest> paid = confirm(payer_, request, "phone_bill");
    ASSERT_TRUE(paid.ok()) << code_of(paid);
    EXPECT_EQ(paid->state.status, PaymentStatus::succeeded);
    EXPECT_EQ(paid->state.funding, FundingSource::phone_bill);
  }
  Id128 fourth = create_ok(merchant_, payer_, "0.01");
  EXPECT_EQ(code_of(confirm(payer_, fourth, "phone_bill")), "phone_bill_allowance_exceeded");
  EXPECT_EQ(status(fourth), PaymentStatus::awaiting_confirmation);
  EXPECT_EQ(receivable_owed(), 30'00);
  EXPECT_EQ(balance(merchant_account(merchant_)), 3 * (10'00 - fee_for(10'00, 500)));
  EXPECT_EQ(posted(payer_), 0);  // the wallet is not touched
  expect_money_conserved({payer_.wallet(), receivable()});
}

// The allowance is the bill's: a charge counts in the UTC month it is made (the month the carrier
// bill lists it under), whenever its request was created.
TEST_F(PhoneBillTest, AChargeCountsInTheMonthItIsMadeNotTheMonthItWasAskedFor) {
  ASSERT_TRUE(set_subscriber_carrier(context(), payer_.id(), kCarrier).ok());
  clock_.set_ns(1'795'867'200LL * kSecondNs);  // 2026-11-28T12:00Z
  Id128 november = create_ok(merchant_, payer_, "30.00");
  Id128 asked_in_november = create_ok(merchant_, payer_, "30.00");
  ASSERT_EQ(code_of(confirm(payer_, november, "phone_bill")), "ok");

  clock_.set_ns(1'796'299'200LL * kSecondNs);  // 2026-12-03T12:00Z: a new month, a new allowance
  ASSERT_EQ(code_of(confirm(payer_, asked_in_november, "phone_bill")), "ok");
  Id128 december = create_ok(merchant_, payer_, "0.01");
  EXPECT_EQ(code_of(confirm(payer_, december, "phone_bill")), "phone_bill_allowance_exceeded");
  EXPECT_EQ(receivable_owed(), 60'00);
}

TEST_F(PhoneBillTest, TheAllowancesMonthIsTheUtcMonthOfTheBill) {
  ASSERT_TRUE(set_subscriber_carrier(context(), payer_.id(), kCarrier).ok());
  clock_.set_ns(1'796'050'800LL * kSecondNs);  // 2026-11-30T15:00Z
  ASSERT_EQ(code_of(confirm(payer_, create_ok(merchant_, payer_, "30.00"), "phone_bill")), "ok");
  // 2026-11-30T17:00Z: already December at UTC+8, still November on the bill.
  clock_.set_ns(1'796'058'000LL * kSecondNs);
  Id128 late = create_ok(merchant_, payer_, "0.01");
  EXPECT_EQ(code_of(confirm(payer_, late, "phone_bill")), "phone_bill_allowance_exceeded");
  Result<std::string> bill = carrier_bill_csv(context(), kCarrier, "2026-11");
  ASSERT_TRUE(bill.ok()) << code_of(bill);
  EXPECT_NE(bill->find("30.00"), std::string::npos);
  EXPECT_EQ(receivable_owed(), 30'00);
}

TEST_F(PhoneBillTest, ARefundComesOffTheBill) {
  ASSERT_TRUE(set_subscriber_carrier(context(), payer_.id(), kCarrier).ok());
  Id128 request = create_ok(merchant_, payer_, "20.00");
  ASSERT_EQ(code_of(confirm(payer_, request, "phone_bill")), "ok");
  Result<RefundRecord> refunded = refund(merchant_, request, 5'00);
  ASSERT_TRUE(refunded.ok()) << code_of(refunded);
  EXPECT_EQ(refunded->status, RefundStatus::succeeded);
  EXPECT_EQ(receivable_owed(), 15'00);
  EXPECT_EQ(posted(payer_), 0);
  // What was refunded counts no more against the allowance: 15 used, 15 left.
  Id128 next = create_ok(merchant_, payer_, "15.00");
  EXPECT_EQ(code_of(confirm(payer_, next, "phone_bill")), "ok");
  expect_money_conserved({payer_.wallet(), receivable()});
}

// A hold the ledger timed out before the sweep came (mpayd was down): the request is voided all
// the same, and what it held no longer counts against the month's allowance.
TEST_F(PhoneBillTest, AnAuthorizationWhoseHoldTheLedgerTimedOutFreesTheAllowance) {
  ASSERT_TRUE(set_subscriber_carrier(context(), payer_.id(), kCarrier).ok());
  Id128 held = create_ok(merchant_, payer_, "30.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, held, "phone_bill")), "ok");
  clock_.set_ns(hold_times_out_at_ns(held));  // still November
  EXPECT_EQ(sweep_due(context()), 1u);
  ASSERT_TRUE(wait_for_status(held, PaymentStatus::voided));
  EXPECT_EQ(hold_status(held), ledger::PendingStatus::expired);
  EXPECT_EQ(receivable_owed(), 0);

  Id128 next = create_ok(merchant_, payer_, "30.00");
  EXPECT_EQ(code_of(confirm(payer_, next, "phone_bill")), "ok");
  EXPECT_EQ(receivable_owed(), 30'00);
  expect_money_conserved({payer_.wallet(), receivable()});
}

// The payer moves to another carrier between the charge and the refund: the refund comes off the
// bill that carried the charge, and the new carrier's bill never sees it.
TEST_F(PhoneBillTest, ARefundGoesBackToTheCarrierThatWasCharged) {
  const std::string other = "CUCC";
  ASSERT_NE(other, kCarrier);
  ASSERT_TRUE(set_subscriber_carrier(context(), payer_.id(), kCarrier).ok());
  Id128 request = create_ok(merchant_, payer_, "20.00");
  ASSERT_EQ(code_of(confirm(payer_, request, "phone_bill")), "ok");
  ASSERT_TRUE(set_subscriber_carrier(context(), payer_.id(), other).ok());
  Result<RefundRecord> refunded = refund(merchant_, request, 20'00);
  ASSERT_TRUE(refunded.ok()) << code_of(refunded);
  EXPECT_EQ(refunded->status, RefundStatus::succeeded);
  EXPECT_EQ(receivable_owed(), 0);
  EXPECT_EQ(balance(carrier_receivable_account_id(other, currency())), 0);
  Result<std::string> new_carriers_bill = carrier_bill_csv(context(), other, "2026-11");
  ASSERT_TRUE(new_carriers_bill.ok()) << code_of(new_carriers_bill);
  EXPECT_EQ(new_carriers_bill->find(to_uuid_text(request)), std::string::npos);
}

TEST_F(PhoneBillTest, TheCarrierBillListsEachChargeAndRefundAndTotalsTheReceivable) {
  ASSERT_TRUE(set_subscriber_carrier(context(), payer_.id(), kCarrier).ok());
  Id128 first = create_ok(merchant_, payer_, "10.00");
  ASSERT_EQ(code_of(confirm(payer_, first, "phone_bill")), "ok");
  Id128 second = create_ok(merchant_, payer_, "12.34", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, second, "phone_bill")), "ok");
  ASSERT_EQ(code_of(capture(merchant_, second, 7'00)), "ok");  // only the capture is billed
  ASSERT_EQ(code_of(refund(merchant_, first, 2'50)), "ok");

  Result<std::string> csv = carrier_bill_csv(context(), kCarrier, "2026-11");
  ASSERT_TRUE(csv.ok()) << code_of(csv);
  std::vector<std::string> lines = lines_of(*csv);
  ASSERT_EQ(lines.size(), 1u + 3u + 3u) << *csv;  // header, 2 charges + 1 refund, 3 totals
  EXPECT_EQ(lines[0].rfind("line,occurred_at,type,payment_request_id", 0), 0u);
  std::string masked = mask_phone(payer_.phone);
  struct Expected {
    const char* type;
    Id128 request;
    const char* amount;
  };
  std::vector<Expected> expected = {
      {"charge", first, "10.00"}, {"charge", second, "7.00"}, {"refund", first, "-2.50"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    std::vector<std::string> fields = fields_of(lines[1 + i]);
    ASSERT_EQ(fields.size(), 10u) << lines[1 + i];
    EXPECT_EQ(fields[2], expected[i].type);
    EXPECT_EQ(fields[3], to_uuid_text(expected[i].request));
    EXPECT_EQ(fields[7], masked);
    EXPECT_EQ(fields[8], expected[i].amount);
    EXPECT_EQ(fields[9], "CNY");
  }
  EXPECT_EQ(csv->find(payer_.phone), std::string::npos) << "the full number leaked";
  EXPECT_EQ(csv->find(payer_.phone.substr(1)), std::string::npos) << "the full number leaked";
  EXPECT_EQ(lines[4], "total_charges,,,,,,,,17.00,CNY");
  EXPECT_EQ(lines[5], "total_refunds,,,,,,,,2.50,CNY");
  EXPECT_EQ(lines[6], "total,,,,,,,,14.50,CNY");
  // The total is what the ledger says the carrier owes.
  EXPECT_EQ(receivable_owed(), 14'50);

  Result<std::string> other_month = carrier_bill_csv(context(), kCarrier, "2026-10");
  ASSERT_TRUE(other_month.ok());
  EXPECT_EQ(lines_of(*other_month).size(), 4u) << *other_month;
  EXPECT_EQ(code_of(carrier_bill_csv(context(), kCarrier, "2026-13")), "month_invalid");
}

// --- bank ---

class BankRequestTest : public RequestFixture {
 protected:
  void SetUp() override {
    RequestFixture::SetUp();
    payer_ = sign_up_payer("+8613900000021");
    merchant_ = add_merchant("Furniture Hall", 100);  // 1%
    Result<wallet::UserRecord> verified = wallet::submit_kyc(
        wallet_context(), payer_.id(), {"ZHANG SAN", "mainland_id_card", "11010519491231002X"});
    ASSERT_TRUE(verified.ok()) << code_of(verified);
  }

  Id128 link(const std::string& number) {
    Result<wallet::BankAccountRecord> linked =
        wallet::link_bank_account(wallet_context(), payer_.id(), "ICBC", number);
    EXPECT_TRUE(linked.ok()) << code_of(linked);
    return linked.ok() ? linked->id : Id128{};
  }

  // A request of 80.00 paid from a newly linked account (Id128{} when it did not succeed).
  Id128 paid_from_bank(const std::string& number) {
    Id128 account = link(number);
    Id128 request = create_ok(merchant_, payer_, "80.00");
    EXPECT_EQ(code_of(confirm(payer_, request, "bank", kPin, account)), "ok");
    return wait_for_status(request, PaymentStatus::succeeded) ? request : Id128{};
  }

  bool wait_for_refund(const Id128& refund, RefundStatus wanted) {
    bool reached = wait_until([&] {
      std::optional<RefundRecord> now = context().book.refund(refund);
      return now && now->status == wanted;
    });
    settle();
    return reached;
  }

  Payer payer_;
  MerchantId merchant_;
};

TEST_F(BankRequestTest, ADeclinedBankPullFailsTheRequestAndMovesNothing) {
  Id128 closed = link("6222020000000004");  // every order declined account_closed
  Id128 request = create_ok(merchant_, payer_, "80.00");
  Result<PaymentRequest> answered = confirm(payer_, request, "bank", kPin, closed);
  ASSERT_TRUE(answered.ok()) << code_of(answered);
  EXPECT_EQ(answered->state.status, PaymentStatus::awaiting_confirmation);  // the bank answers later
  ASSERT_TRUE(wait_for_status(request, PaymentStatus::failed));
  PaymentRequest failed = get(request);
  EXPECT_EQ(failed.state.failure, static_cast<uint16_t>(FailureReason::bank_declined));
  EXPECT_EQ(failed.state.funding, FundingSource::bank);
  EXPECT_EQ(failed.state.captured_minor, 0);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
  EXPECT_EQ(balance(bank_clearing()), 0);
  EXPECT_EQ(balance(fee_income()), 0);
}

TEST_F(BankRequestTest, AnOrdinaryAccountPaysTheMerchantFromBankClearing) {
  Id128 account = link("6222020000001022");
  Id128 request = create_ok(merchant_, payer_, "80.00");
  Result<PaymentRequest> answered = confirm(payer_, request, "bank", kPin, account);
  ASSERT_TRUE(answered.ok()) << code_of(answered);
  EXPECT_EQ(answered->state.status, PaymentStatus::awaiting_confirmation);
  ASSERT_TRUE(wait_for_status(request, PaymentStatus::succeeded));
  EXPECT_EQ(get(request).state.funding, FundingSource::bank);
  EXPECT_EQ(balance(merchant_account(merchant_)), 80'00 - 80);
  EXPECT_EQ(balance(fee_income()), 80);
  EXPECT_EQ(balance(bank_clearing()), -80'00);  // what the bank owes us
  EXPECT_EQ(posted(payer_), 0);
  expect_money_conserved({payer_.wallet()});
}

TEST_F(BankRequestTest, ABankRefundIsPushedToThePayersBankAndSettles) {
  Id128 account = link("6222020000001022");
  fund(merchant_account(merchant_), 1'00);  // a balance beyond this payment's net stays
  Id128 request = create_ok(merchant_, payer_, "80.00");
  ASSERT_EQ(code_of(confirm(payer_, request, "bank", kPin, account)), "ok");
  ASSERT_TRUE(wait_for_status(request, PaymentStatus::succeeded));
  Result<RefundRecord> started = refund(merchant_, request, 80'00);
  ASSERT_TRUE(started.ok()) << code_of(started);
  EXPECT_EQ(started->status, RefundStatus::pending);  // held until the bank answers
  ASSERT_TRUE(wait_for_refund(started->id, RefundStatus::succeeded));
  EXPECT_EQ(get(request).state.refunded_minor, 80'00);
  EXPECT_EQ(get(request).state.fee_returned_minor, 80);
  EXPECT_EQ(balance(merchant_account(merchant_)), 1'00);
  EXPECT_EQ(balance(bank_clearing()), 0);
  EXPECT_EQ(balance(fee_income()), 0);
}

// The fee comes back with the hold, so a merchant holding just this payment's net (80.00 less the
// 0.80 fee) can refund it in full.
TEST_F(BankRequestTest, AFullBankRefundNeedsOnlyThePaymentsNet) {
  Id128 request = paid_from_bank("6222020000001022");
  ASSERT_NE(request, Id128{});
  ASSERT_EQ(balance(merchant_account(merchant_)), 80'00 - 80);
  Result<RefundRecord> started = refund(merchant_, request, 80'00);
  ASSERT_TRUE(started.ok()) << code_of(started);
  EXPECT_EQ(started->status, RefundStatus::pending);
  EXPECT_EQ(started->fee_returned_minor, 80);  // back with the hold
  ASSERT_TRUE(wait_for_refund(started->id, RefundStatus::succeeded));
  EXPECT_EQ(context().book.refund(started->id)->fee_returned_minor, 80);
  EXPECT_EQ(get(request).state.refunded_minor, 80'00);
  EXPECT_EQ(get(request).state.fee_returned_minor, 80);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
  EXPECT_EQ(balance(bank_clearing()), 0);
  EXPECT_EQ(balance(fee_income()), 0);
  expect_money_conserved({payer_.wallet()});
}

// A refund the bank refuses: the hold is released and the fee that came back with it is charged
// again, so every balance is what it was before the refund.
TEST_F(BankRequestTest, ADeclinedBankRefundPutsTheMerchantAndTheFeeBack) {
  Id128 request = paid_from_bank("6222020000000006");  // pays out, refuses every credit
  ASSERT_NE(request, Id128{});
  Result<RefundRecord> started = refund(merchant_, request, 30'00);
  ASSERT_TRUE(started.ok()) << code_of(started);
  EXPECT_EQ(started->status, RefundStatus::pending);
  EXPECT_EQ(started->fee_returned_minor, 30);
  ASSERT_TRUE(wait_for_refund(started->id, RefundStatus::failed));
  EXPECT_EQ(context().book.refund(started->id)->fee_returned_minor, 0);
  EXPECT_EQ(get(request).state.refunded_minor, 0);
  EXPECT_EQ(get(request).state.fee_returned_minor, 0);
  EXPECT_EQ(balance(merchant_account(merchant_)), 80'00 - 80);
  EXPECT_EQ(balance(fee_income()), 80);
  EXPECT_EQ(balance(bank_clearing()), -80'00);
  // Nothing is held any more: the whole amount can be refunded again (to the same account).
  Result<RefundRecord> again = refund(merchant_, request, 80'00);
  ASSERT_TRUE(again.ok()) << code_of(again);
  EXPECT_EQ(again->fee_returned_minor, 80);
  ASSERT_TRUE(wait_for_refund(again->id, RefundStatus::failed));
  EXPECT_EQ(balance(merchant_account(merchant_)), 80'00 - 80);
  expect_money_conserved({payer_.wallet()});
}

// Two partial bank refunds pending together: the second's fee share counts the first's, so the
// two return exactly the fee, and the merchant ends with nothing.
TEST_F(BankRequestTest, PendingBankRefundsShareTheFeeWithoutReturningTooMuch) {
  Id128 request = paid_from_bank("6222020000001022");
  ASSERT_NE(request, Id128{});
  Result<RefundRecord> first = refund(merchant_, request, 50'00);
  ASSERT_TRUE(first.ok()) << code_of(first);
  Result<RefundRecord> second = refund(merchant_, request, 30'00);
  ASSERT_TRUE(second.ok()) << code_of(second);
  EXPECT_EQ(first->fee_returned_minor + second->fee_returned_minor, 80);
  EXPECT_EQ(code_of(refund(merchant_, request, 1)), "refund_amount_exceeds_captured");
  ASSERT_TRUE(wait_until([&] {
    std::optional<RefundRecord> a = context().book.refund(first->id);
    std::optional<RefundRecord> b = context().book.refund(second->id);
    return a && b && a->status == RefundStatus::succeeded && b->status == RefundStatus::succeeded;
  }));
  settle();
  EXPECT_EQ(get(request).state.refunded_minor, 80'00);
  EXPECT_EQ(get(request).state.fee_returned_minor, 80);
  EXPECT_EQ(balance(merchant_account(merchant_)), 0);
  EXPECT_EQ(balance(fee_income()), 0);
  EXPECT_EQ(balance(bank_clearing()), 0);
}

// The bank answers while another action holds the request (here the test, standing for a second
// refund being made): the answer waits and is recorded once the request is free, not at the next
// start.
TEST_F(BankRequestTest, ABankAnswerWaitsForABusyRequest) {
  Id128 request = paid_from_bank("6222020000001022");
  ASSERT_NE(request, Id128{});
  Result<RefundRecord> started = refund(merchant_, request, 20'00);
  ASSERT_TRUE(started.ok()) << code_of(started);
  // The sandbox answers 20 ms after the order; the claim is taken well before.
  ASSERT_TRUE(context().book.claim(request, {PaymentStatus::succeeded}, Error("x", "")).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(context().book.refund(started->id)->status, RefundStatus::pending);
  context().book.release(request);
  ASSERT_TRUE(wait_for_refund(started->id, RefundStatus::succeeded));
  EXPECT_EQ(get(request).state.refunded_minor, 20'00);
  EXPECT_EQ(balance(bank_clearing()), -60'00);
}

// The refund goes back to the account the payer paid from, not to an account linked later.
TEST_F(BankRequestTest, ABankRefundGoesBackToTheAccountThatPaid) {
  Id128 request = paid_from_bank("6222020000001022");
  ASSERT_NE(request, Id128{});
  link("6222020000000004");  // newer, and closed: a refund sent there would be declined
  Result<RefundRecord> started = refund(merchant_, request, 80'00);
  ASSERT_TRUE(started.ok()) << code_of(started);
  ASSERT_TRUE(wait_until([&] {
    std::optional<RefundRecord> now = context().book.refund(started->id);
    return now && now->status != RefundStatus::pending;
  }));
  EXPECT_EQ(context().book.refund(started->id)->status, RefundStatus::succeeded);
}

// A pull the bank refuses at once was never sent: nothing of it is kept for the next start to
// send again (the payer was told it failed), and the payer's next confirmation pays from the
// account it names, where a refund then goes too.
TEST_F(BankRequestTest, APullTheBankRefusesAtOnceIsForgotten) {
  wallet::BankAccountRecord unknown_to_the_bank{
      ids_.next(),           payer_.id(),    "ICBC", "sandbox-acct-000000000000000000000000",
      "6222 **** **** 9999", clock_.now_ns()};
  ASSERT_TRUE(wallet_context().repository.insert_bank_account(unknown_to_the_bank).ok());
  Id128 request = create_ok(merchant_, payer_, "80.00");
  EXPECT_EQ(code_of(confirm(payer_, request, "bank", kPin, unknown_to_the_bank.id)),
            "bank_account_token_unknown");
  EXPECT_EQ(status(request), PaymentStatus::awaiting_confirmation);
  Result<std::optional<BankPull>> kept = context().repository.bank_pull_of(request);
  ASSERT_TRUE(kept.ok());
  EXPECT_FALSE(kept->has_value());

  reopen();
  EXPECT_EQ(status(request), PaymentStatus::awaiting_confirmation);
  Id128 account = link("6222020000001022");
  ASSERT_EQ(code_of(confirm(payer_, request, "bank", kPin, account)), "ok");
  ASSERT_TRUE(wait_for_status(request, PaymentStatus::succeeded));
  Result<std::optional<BankPull>> paid = context().repository.bank_pull_of(request);
  ASSERT_TRUE(paid.ok());
  ASSERT_TRUE(paid->has_value());
  EXPECT_EQ((*paid)->bank_account_id, account);
}

TEST_F(BankRequestTest, ABankCannotFundAManualCapture) {
  Id128 account = link("6222020000001022");
  Id128 request = create_ok(merchant_, payer_, "80.00", CaptureMode::manual);
  EXPECT_EQ(code_of(confirm(payer_, request, "bank", kPin, account)), "funding_not_supported");
  EXPECT_EQ(status(request), PaymentStatus::awaiting_confirmation);
  EXPECT_EQ(code_of(confirm(payer_, request, "bank", kPin, std::nullopt)),
            "bank_account_id_required");
  EXPECT_EQ(code_of(confirm(payer_, request, "bank", kPin, ids_.next())), "bank_account_not_found");
}

}  // namespace
}  // namespace mpay::requests::testing
