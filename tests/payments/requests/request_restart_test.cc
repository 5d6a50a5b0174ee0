// Statuses live only in the ledger journal (request_events.h): a restart must rebuild every
// request and refund exactly from the journal's application events, and each status event must sit
// in the same journal record as the transfers that moved its money.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/phone.h"
#include "payments/requests/carrier_billing.h"
#include "payments/requests/mandates.h"
#include "payments/requests/request_expiry.h"
#include "payments/wallet/bank_orders.h"
#include "payments/wallet/kyc.h"
#include "request_fixture.h"

namespace mpay::requests::testing {
namespace {

void expect_same_state(const RequestState& before, const RequestState& after, const Id128& id) {
  SCOPED_TRACE(to_uuid_text(id));
  EXPECT_EQ(after.status, before.status);
  EXPECT_EQ(after.funding, before.funding);
  EXPECT_EQ(after.authorized_minor, before.authorized_minor);
  EXPECT_EQ(after.captured_minor, before.captured_minor);
  EXPECT_EQ(after.fee_minor, before.fee_minor);
  EXPECT_EQ(after.refunded_minor, before.refunded_minor);
  EXPECT_EQ(after.fee_returned_minor, before.fee_returned_minor);
  EXPECT_EQ(after.hold_id, before.hold_id);
  EXPECT_EQ(after.authorization_expires_at_ns, before.authorization_expires_at_ns);
  EXPECT_EQ(after.failure, before.failure);
  EXPECT_EQ(after.updated_at_ns, before.updated_at_ns);
}

void expect_same_refunds(const std::vector<RefundRecord>& before,
                         const std::vector<RefundRecord>& after) {
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    SCOPED_TRACE(to_uuid_text(before[i].id));
    EXPECT_EQ(after[i].id, before[i].id);
    EXPECT_EQ(after[i].amount_minor, before[i].amount_minor);
    EXPECT_EQ(after[i].reason, before[i].reason);
    EXPECT_EQ(after[i].created_at_ns, before[i].created_at_ns);
    EXPECT_EQ(after[i].status, before[i].status);
    EXPECT_EQ(after[i].fee_returned_minor, before[i].fee_returned_minor);
    EXPECT_EQ(after[i].settled_at_ns, before[i].settled_at_ns);
  }
}

class RestartTest : public RequestFixture {
 protected:
  void SetUp() override {
    RequestFixture::SetUp();
    payer_ = sign_up_payer("+8613900000031");
    merchant_ = add_merchant("Corner Bakery", 250);
    fund(payer_.wallet(), 500'00);
  }

  Payer payer_;
  MerchantId merchant_;
};

TEST_F(RestartTest, EveryRequestAndRefundComesBackFromTheJournal) {
  std::vector<Id128> requests;
  auto keep = [&](Id128 id) {
    requests.push_back(id);
    return id;
  };
  // Paid and partly refunded twice.
  Id128 paid = keep(create_ok(merchant_, payer_, "40.00"));
  ASSERT_EQ(code_of(confirm(payer_, paid)), "ok");
  ASSERT_EQ(code_of(refund(merchant_, paid, 10'00)), "ok");
  ASSERT_EQ(code_of(refund(merchant_, paid, 3'33)), "ok");
  // Declined, cancelled.
  ASSERT_EQ(code_of(decline(payer_, keep(create_ok(merchant_, payer_, "5.00")))), "ok");
  ASSERT_EQ(code_of(cancel(merchant_, keep(create_ok(merchant_, payer_, "6.00")))), "ok");
  // Authorized (left so), captured in part and refunded, voided.
  Id128 authorized = keep(create_ok(merchant_, payer_, "20.00", CaptureMode::manual));
  ASSERT_EQ(code_of(confirm(payer_, authorized)), "ok");
  Id128 captured = keep(create_ok(merchant_, payer_, "30.00", CaptureMode::manual));
  ASSERT_EQ(code_of(confirm(payer_, captured)), "ok");
  ASSERT_EQ(code_of(capture(merchant_, captured, 25'00)), "ok");
  ASSERT_EQ(code_of(refund(merchant_, captured, 5'00)), "ok");
  Id128 voided = keep(create_ok(merchant_, payer_, "7.00", CaptureMode::manual));
  ASSERT_EQ(code_of(confirm(payer_, voided)), "ok");
  ASSERT_EQ(code_of(void_authorization(merchant_, voided)), "ok");
  // Phone bill, refunded in part.
  ASSERT_TRUE(set_subscriber_carrier(context(), payer_.id(), "CMCC").ok());
  Id128 billed = keep(create_ok(merchant_, payer_, "9.00"));
  ASSERT_EQ(code_of(confirm(payer_, billed, "phone_bill")), "ok");
  ASSERT_EQ(code_of(refund(merchant_, billed, 4'00)), "ok");
  // A bank that declines.
  ASSERT_TRUE(wallet::submit_kyc(wallet_context(), payer_.id(),
                                 {"LI SI", "mainland_id_card", "11010519491231002X"})
                  .ok());
  Result<wallet::BankAccountRecord> closed =
      wallet::link_bank_account(wallet_context(), payer_.id(), "ICBC", "6222020000000004");
  ASSERT_TRUE(closed.ok()) << code_of(closed);
  Id128 bank_failed = keep(create_ok(merchant_, payer_, "8.00"));
  ASSERT_EQ(code_of(confirm(payer_, bank_failed, "bank", kPin, closed->id)), "ok");
  ASSERT_TRUE(wait_for_status(bank_failed, PaymentStatus::failed));
  // Charged under a mandate; a second mandate revoked.
  Result<MandateRecord> mandate =
      create_mandate(context(), payer_.id(), {merchant_, "CNY", "10.00", "30.00", kPin});
  ASSERT_TRUE(mandate.ok());
  Result<PaymentRequest> charged =
      create(merchant_, payer_, "10.00", CaptureMode::automatic, mandate->id);
  ASSERT_TRUE(charged.ok()) << code_of(charged);
  keep(charged->terms.id);
  Result<MandateRecord> revoked =
      create_mandate(context(), payer_.id(), {merchant_, "CNY", "10.00", "30.00", kPin});
  ASSERT_TRUE(revoked.ok());
  ASSERT_TRUE(revoke_mandate(context(), payer_.id(), revoked->id).ok());
  // Expired by the sweep; then one left awaiting.
  Id128 expired = keep(create_ok(merchant_, payer_, "11.00"));
  clock_.advance_ns(request_options_.expires_in_s_default * kSecondNs);
  ASSERT_EQ(sweep_due(context()), 1u);
  ASSERT_TRUE(wait_for_status(expired, PaymentStatus::expired));
  Id128 awaiting = keep(create_ok(merchant_, payer_, "12.00"));

  std::map<Id128, PaymentRequest> before;
  std::map<Id128, std::vector<RefundRecord>> refunds_before;
  for (const Id128& id : requests) {
    before[id] = get(id);
    refunds_before[id] = context().book.refunds_of(id);
  }
  int64_t payer_before = posted(payer_), merchant_before = balance(merchant_account(merchant_));
  size_t events_before = changes_seen();

  reopen();

  const RecoveryReport& report = service_->recovery();
  EXPECT_EQ(report.requests, requests.size());
  EXPECT_EQ(report.events, events_before);
  EXPECT_EQ(report.orphan_events, 0u);
  EXPECT_EQ(report.bank_pulls_resumed, 0u);
  EXPECT_EQ(report.republished, events_before);  // all within the last day
  EXPECT_EQ(context().book.size(), requests.size());
  for (const Id128& id : requests) {
    PaymentRequest after = get(id);
    EXPECT_EQ(after.terms.amount_minor, before[id].terms.amount_minor);
    EXPECT_EQ(after.terms.merchant_reference, before[id].terms.merchant_reference);
    EXPECT_EQ(after.terms.mandate_id, before[id].terms.mandate_id);
    expect_same_state(before[id].state, after.state, id);
    expect_same_refunds(refunds_before[id], context().book.refunds_of(id));
  }
  EXPECT_EQ(posted(payer_), payer_before);
  EXPECT_EQ(balance(merchant_account(merchant_)), merchant_before);

  // And it carries on from there: the hold is still known, the answers still hold.
  EXPECT_EQ(status(awaiting), PaymentStatus::awaiting_confirmation);
  EXPECT_EQ(code_of(capture(merchant_, authorized, std::nullopt)), "ok");
  EXPECT_EQ(code_of(refund(merchant_, paid, 26'68)), "refund_amount_exceeds_captured");
  EXPECT_EQ(code_of(refund(merchant_, paid, 26'67)), "ok");
  EXPECT_EQ(code_of(create(merchant_, payer_, "5.00", CaptureMode::automatic, revoked->id)),
            "mandate_revoked");
  EXPECT_EQ(code_of(create(merchant_, payer_, "10.01", CaptureMode::automatic, mandate->id)),
            "mandate_per_charge_exceeded");
  Id128 billed_again = create_ok(merchant_, payer_, "1.00");
  EXPECT_EQ(code_of(confirm(payer_, billed_again, "phone_bill")), "ok");  // the carrier is kept
  expect_money_conserved({payer_.wallet(), carrier_receivable_account_id("CMCC", currency())});
}

// Requests created before the terms moved into the journal have their terms in mpay.db and only
// their statuses in the journal: they still come back, can still be paid and refunded, and keep
// their merchant_reference.
TEST_F(RestartTest, RequestsWhoseTermsAreInMpayDbStillComeBack) {
  RequestTerms terms;
  terms.id = ids_.next();
  terms.merchant_id = merchant_;
  terms.merchant_reference = "older-1";
  terms.payer_id = payer_.id();
  terms.payer_phone_masked = mask_phone(payer_.phone);
  terms.amount_minor = 7'00;
  terms.currency = currency();
  terms.description = "from an older mpayd";
  terms.created_at_ns = clock_.now_ns();
  terms.expires_at_ns = terms.created_at_ns + 600 * kSecondNs;
  ASSERT_TRUE(context().repository.insert_request(terms).ok());

  reopen();
  PaymentRequest loaded = get(terms.id);
  EXPECT_EQ(loaded.state.status, PaymentStatus::awaiting_confirmation);
  EXPECT_EQ(loaded.terms.amount_minor, 7'00);
  EXPECT_EQ(loaded.terms.description, "from an older mpayd");
  ASSERT_EQ(code_of(confirm(payer_, terms.id)), "ok");
  ASSERT_EQ(code_of(refund(merchant_, terms.id, 2'00)), "ok");

  reopen();
  EXPECT_EQ(service_->recovery().orphan_events, 0u);
  EXPECT_EQ(status(terms.id), PaymentStatus::succeeded);
  ASSERT_EQ(context().book.refunds_of(terms.id).size(), 1u);
  EXPECT_EQ(context().book.refunds_of(terms.id)[0].amount_minor, 2'00);
  NewRequest again;
  again.payer_phone = payer_.phone;
  again.amount = "1.00";
  again.currency = "CNY";
  again.merchant_reference = "older-1";
  Result<PaymentRequest> taken = run_command<PaymentRequest>(
      [&](RequestDone done) { create_payment_request(context(), merchant_, again, done); });
  EXPECT_EQ(code_of(taken), "merchant_reference_taken");
}

// The merchant's transfers of one journal record (seq), by transfer code.
std::multiset<uint16_t> codes_at(const std::vector<ledger::TransferRecord>& history, uint64_t seq) {
  std::multiset<uint16_t> codes;
  for (const ledger::TransferRecord& record : history) {
    if (record.seq == seq) codes.insert(record.entry.code);
  }
  return codes;
}

TEST_F(RestartTest, AStatusEventSharesItsJournalRecordWithItsTransfers) {
  Id128 paid = create_ok(merchant_, payer_, "40.00");
  ASSERT_EQ(code_of(confirm(payer_, paid)), "ok");
  Result<RefundRecord> refunded = refund(merchant_, paid, 10'00);
  ASSERT_TRUE(refunded.ok());
  Id128 refunded_id = refunded->id;
  Id128 held = create_ok(merchant_, payer_, "30.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, held)), "ok");
  ASSERT_EQ(code_of(capture(merchant_, held, 20'00)), "ok");
  Id128 refused = create_ok(merchant_, payer_, "499.00");  // 450.00 left
  ASSERT_EQ(code_of(confirm(payer_, refused)), "insufficient_funds");

  // Closing the ledger brings the projections up to the journal; after start-up the scan is
  // complete.
  reopen();
  std::vector<ledger::AppEventRecord> events;
  ASSERT_TRUE(ledger()
                  .scan_app_events([&](const ledger::AppEventRecord& record) {
                    events.push_back(record);
                    return ok_status();
                  })
                  .ok());
  ledger::HistoryQuery query;
  query.limit = 1000;
  Result<std::vector<ledger::TransferRecord>> history =
      ledger().account_transfers(merchant_account(merchant_), query);
  ASSERT_TRUE(history.ok());

  using transfer_codes::fee_return;
  using transfer_codes::merchant_fee;
  using transfer_codes::merchant_payment;
  using transfer_codes::merchant_refund;
  int checked = 0, created = 0;
  for (const ledger::AppEventRecord& record : events) {
    if (record.event.kind == event_kinds::created) {
      // The terms travel alone: no money moves when a request is made.
      EXPECT_TRUE(codes_at(*history, record.seq).empty());
      ++created;
      continue;
    }
    ASSERT_NE(record.event.subject_id, refused) << "a refused payment left a status event";
    auto status = static_cast<PaymentStatus>(record.event.status);
    if (record.event.kind == event_kinds::refund) {
      EXPECT_EQ(record.event.ref_id, refunded_id);
      EXPECT_EQ(codes_at(*history, record.seq),
                (std::multiset<uint16_t>{merchant_refund, fee_return}));
      ++checked;
      continue;
    }
    if (status == PaymentStatus::awaiting_confirmation) continue;
    // The event's own transfer (payment, hold or capture) is in its record.
    Result<std::optional<ledger::TransferRecord>> main =
        ledger().lookup_transfer(TransferId(record.event.ref_id));
    ASSERT_TRUE(main.ok());
    ASSERT_TRUE(main->has_value()) << status_name(status);
    EXPECT_EQ((*main)->seq, record.seq) << status_name(status);
    if (status == PaymentStatus::succeeded || status == PaymentStatus::captured) {
      EXPECT_EQ(codes_at(*history, record.seq),
                (std::multiset<uint16_t>{merchant_payment, merchant_fee}))
          << status_name(status);
    }
    if (status == PaymentStatus::authorized) {
      EXPECT_EQ((*main)->status, ledger::PendingStatus::posted);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 4);  // succeeded, refund, authorized, captured
  EXPECT_EQ(created, 3);  // paid, held, refused
}

}  // namespace
}  // namespace mpay::requests::testing

namespace mpay::requests::testing {
namespace {

// What a payer spent today must come back the same after a restart: the KYC limits are rebuilt
// from the ledger (wallet/spending_history.cc), where a captured authorization is two entries
// with the merchant-payment code (the hold, then its post).
// (It failed before spending_history.cc counted a hold only while it is still pending.)
TEST_F(RestartTest, ACapturedAuthorizationCountsOnceAgainstTheLimitsAfterARestart) {
  fund(payer_.wallet(), 400'00);  // 900.00; level 0 may spend 1,000.00 a day
  Id128 held = create_ok(merchant_, payer_, "400.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, held)), "ok");
  ASSERT_EQ(code_of(capture(merchant_, held, std::nullopt)), "ok");
  int64_t now = clock_.now_ns();
  int64_t spent_today = wallet_context().spending.spending(payer_.id(), now).today_minor;
  EXPECT_EQ(spent_today, 400'00);

  reopen();
  Id128 next = create_ok(merchant_, payer_, "500.00");
  EXPECT_EQ(code_of(confirm(payer_, next)), "ok");  // 900.00 in all today
  EXPECT_EQ(wallet_context().spending.spending(payer_.id(), now).today_minor, 900'00);
}

// A void gives the payer's limits back at once, and a partial capture what it did not take: the
// live totals equal what a restart rebuilds from the ledger (only captured money counts).
// (Before, the whole authorization stayed counted until the next restart.)
TEST_F(RestartTest, AVoidOrAPartialCaptureGivesTheLimitsBackAsARestartWould) {
  fund(payer_.wallet(), 500'00);  // 1,000.00; level 0 may spend 500.00 a payment, 1,000.00 a day
  int64_t now = clock_.now_ns();
  auto spent_today = [&] { return wallet_context().spending.spending(payer_.id(), now).today_minor; };
  Id128 voided = create_ok(merchant_, payer_, "500.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, voided)), "ok");
  EXPECT_EQ(spent_today(), 500'00);
  ASSERT_EQ(code_of(void_authorization(merchant_, voided)), "ok");
  EXPECT_EQ(spent_today(), 0);

  Id128 partly = create_ok(merchant_, payer_, "500.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, partly)), "ok");
  ASSERT_EQ(code_of(capture(merchant_, partly, 200'00)), "ok");
  EXPECT_EQ(spent_today(), 200'00);
  // What is left of today's 1,000.00 can be spent now, as after a restart.
  for (const char* amount : {"500.00", "300.00"}) {
    Id128 rest = create_ok(merchant_, payer_, amount);
    EXPECT_EQ(code_of(confirm(payer_, rest)), "ok") << amount;
  }
  EXPECT_EQ(spent_today(), 1'000'00);

  reopen();
  Id128 over = create_ok(merchant_, payer_, "0.01");
  EXPECT_EQ(code_of(confirm(payer_, over)), "limit_daily_exceeded");
  EXPECT_EQ(spent_today(), 1'000'00);
}

// Limits under which a request's terms could outgrow the journal's per-event payload stop the
// service at start, instead of refusing creations one by one later.
TEST_F(RestartTest, LimitsWhoseTermsCouldNotBeJournaledStopTheServiceAtStart) {
  close();
  mpay::testing::WalletStack stack(directory_.path(), clock_, random_, ids_);
  ASSERT_TRUE(stack.ok()) << stack.error();
  server::RequestServiceOptions options;
  options.data_directory = directory_.path();
  options.sweep_interval_ms = 0;
  options.requests.description_chars_max = 5000;
  auto service = server::RequestService::open(options, stack.service(), merchants_, {});
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.error().code, "config_invalid");
  options.requests.description_chars_max = 140;
  service = server::RequestService::open(options, stack.service(), merchants_, {});
  ASSERT_TRUE(service.ok()) << service.error().message;
  (*service)->shutdown();
}

}  // namespace
}  // namespace mpay::requests::testing
