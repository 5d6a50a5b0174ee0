// The archive of final payment requests (request_archive.h): a request that leaves memory is still
// got, listed, counted against caps and refunded exactly as before, across restarts, and start-up
// reads the journal from the archive's replay mark rather than from the beginning.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "payments/requests/carrier_billing.h"
#include "payments/requests/mandates.h"
#include "request_fixture.h"

namespace mpay::requests::testing {
namespace {

constexpr const char* kCarrier = "CMCC";
constexpr int64_t kDayNs = 86400 * kSecondNs;

class RequestArchiveTest : public RequestFixture {
 protected:
  void SetUp() override {
    RequestFixture::SetUp();
    payer_ = sign_up_payer("+8613900000071");
    merchant_ = add_merchant("Corner Bakery", 250);
    fund(payer_.wallet(), 900'00);
    ASSERT_TRUE(set_subscriber_carrier(context(), payer_.id(), kCarrier).ok());
  }

  // Archives every request final for more than a day (the clock moves on two days first).
  size_t archive_all_quiet() {
    settle();
    clock_.set_ns(clock_.now_ns() + 2 * kDayNs);
    Result<size_t> archived = context().book.archive_quiet(clock_.now_ns() - kDayNs, 100'000);
    EXPECT_TRUE(archived.ok()) << archived.error().message;
    return archived.ok() ? *archived : 0;
  }

  std::vector<PaymentRequest> list_all(size_t page_size) {
    std::vector<PaymentRequest> all;
    RequestListQuery query;
    query.limit = static_cast<uint32_t>(page_size);
    while (true) {
      std::vector<PaymentRequest> page = context().book.list_for_merchant(merchant_, query);
      all.insert(all.end(), page.begin(), page.end());
      if (page.size() < page_size) return all;
      query.after = page.back().terms.id;
    }
  }

  Result<PaymentRequest> create_with_reference(const std::string& reference) {
    NewRequest request;
    request.payer_phone = payer_.phone;
    request.amount = "1.00";
    request.currency = "CNY";
    request.description = "order";
    request.merchant_reference = reference;
    return run_command<PaymentRequest>(
        [&](RequestDone done) { create_payment_request(context(), merchant_, request, done); });
  }

  Payer payer_;
  MerchantId merchant_;
};

void expect_same(const PaymentRequest& before, const PaymentRequest& after) {
  SCOPED_TRACE(to_uuid_text(before.terms.id));
  EXPECT_EQ(after.terms.id, before.terms.id);
  EXPECT_EQ(after.terms.merchant_reference, before.terms.merchant_reference);
  EXPECT_EQ(after.terms.amount_minor, before.terms.amount_minor);
  EXPECT_EQ(after.terms.description, before.terms.description);
  EXPECT_EQ(after.terms.created_at_ns, before.terms.created_at_ns);
  EXPECT_EQ(after.state.status, before.state.status);
  EXPECT_EQ(after.state.funding, before.state.funding);
  EXPECT_EQ(after.state.captured_minor, before.state.captured_minor);
  EXPECT_EQ(after.state.fee_minor, before.state.fee_minor);
  EXPECT_EQ(after.state.refunded_minor, before.state.refunded_minor);
  EXPECT_EQ(after.state.charged_at_ns, before.state.charged_at_ns);
  EXPECT_EQ(after.state.updated_at_ns, before.state.updated_at_ns);
}

TEST_F(RequestArchiveTest, AnArchivedRequestIsGotListedAndCountedAsBefore) {
  Id128 paid = create_ok(merchant_, payer_, "40.00");
  ASSERT_EQ(code_of(confirm(payer_, paid)), "ok");
  ASSERT_EQ(code_of(refund(merchant_, paid, 5'00)), "ok");
  Id128 on_bill = create_ok(merchant_, payer_, "12.00");
  ASSERT_EQ(code_of(confirm(payer_, on_bill, "phone_bill")), "ok");
  Id128 declined = create_ok(merchant_, payer_, "3.00");
  ASSERT_EQ(code_of(decline(payer_, declined)), "ok");
  Id128 waiting = create_ok(merchant_, payer_, "7.00");
  Id128 held = create_ok(merchant_, payer_, "9.00", CaptureMode::manual);
  ASSERT_EQ(code_of(confirm(payer_, held)), "ok");
  settle();
  const std::vector<PaymentRequest> listed_before = list_all(2);
  ASSERT_EQ(listed_before.size(), 5u);
  const int64_t bill_before = context().book.phone_bill_usage(payer_.id(), 0, INT64_MAX);
  Result<std::string> csv_before = carrier_bill_csv(context(), kCarrier, "2026-11");
  ASSERT_TRUE(csv_before.ok());
  const PaymentRequest paid_before = get(paid);

  EXPECT_EQ(archive_all_quiet(), 3u);  // paid, on the bill, declined
  EXPECT_FALSE(context().book.holds(paid));
  EXPECT_FALSE(context().book.holds(on_bill));
  EXPECT_TRUE(context().book.holds(waiting));  // awaiting confirmation
  EXPECT_TRUE(context().book.holds(held));     // authorized
  EXPECT_EQ(context().book.size(), 2u);
  EXPECT_EQ(context().book.archived_total(), 3u);

  expect_same(paid_before, get(paid));
  std::vector<RefundRecord> refunds = context().book.refunds_of(paid);
  ASSERT_EQ(refunds.size(), 1u);
  EXPECT_EQ(refunds[0].amount_minor, 5'00);
  EXPECT_EQ(refunds[0].status, RefundStatus::succeeded);
  ASSERT_TRUE(context().book.refund(refunds[0].id).has_value());
  for (size_t page_size : {1u, 2u, 3u, 50u}) {
    SCOPED_TRACE(page_size);
    std::vector<PaymentRequest> listed = list_all(page_size);
    ASSERT_EQ(listed.size(), listed_before.size());
    for (size_t i = 0; i < listed.size(); ++i) expect_same(listed_before[i], listed[i]);
  }
  RequestListQuery declined_only;
  declined_only.status = PaymentStatus::declined;
  std::vector<PaymentRequest> filtered = context().book.list_for_payer(payer_.id(), declined_only);
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0].terms.id, declined);
  EXPECT_EQ(context().book.phone_bill_usage(payer_.id(), 0, INT64_MAX), bill_before);
  EXPECT_EQ(bill_before, 12'00);
  Result<std::string> csv_after = carrier_bill_csv(context(), kCarrier, "2026-11");
  ASSERT_TRUE(csv_after.ok());
  EXPECT_EQ(*csv_after, *csv_before);
  // The merchant's reference stays used.
  EXPECT_EQ(code_of(create_with_reference(paid_before.terms.merchant_reference)),
            "merchant_reference_taken");
  EXPECT_EQ(code_of(create_with_reference("a-new-one")), "ok");
}

TEST_F(RequestArchiveTest, ALateRefundLoadsTheRequestBackAndSurvivesRestarts) {
  Id128 paid = create_ok(merchant_, payer_, "40.00");
  ASSERT_EQ(code_of(confirm(payer_, paid)), "ok");
  ASSERT_EQ(archive_all_quiet(), 1u);
  ASSERT_FALSE(context().book.holds(paid));

  // Never more than was captured, counting what was refunded before it left memory.
  ASSERT_EQ(code_of(refund(merchant_, paid, 30'00)), "ok");
  EXPECT_TRUE(context().book.holds(paid));
  EXPECT_EQ(code_of(refund(merchant_, paid, 10'01)), "refund_amount_exceeds_captured");
  EXPECT_EQ(get(paid).state.refunded_minor, 30'00);

  // A crash before it leaves again: start-up applies the refund over the stale archived row.
  reopen();
  EXPECT_TRUE(context().book.holds(paid));
  EXPECT_EQ(get(paid).state.refunded_minor, 30'00);
  EXPECT_EQ(context().book.refunds_of(paid).size(), 1u);
  EXPECT_EQ(code_of(refund(merchant_, paid, 10'01)), "refund_amount_exceeds_captured");

  // It leaves again, with its refund, and a restart finds it in the archive only.
  ASSERT_EQ(archive_all_quiet(), 1u);
  reopen();
  EXPECT_FALSE(context().book.holds(paid));
  PaymentRequest after = get(paid);
  EXPECT_EQ(after.state.refunded_minor, 30'00);
  EXPECT_EQ(context().book.refunds_of(paid).size(), 1u);
  ASSERT_EQ(code_of(refund(merchant_, paid, 10'00)), "ok");
  EXPECT_EQ(get(paid).state.refunded_minor, 40'00);
  expect_money_conserved({payer_.wallet()});
}

TEST_F(RequestArchiveTest, StartUpReadsTheJournalFromTheReplayMark) {
  std::vector<Id128> paid;
  for (int i = 0; i < 6; ++i) {
    paid.push_back(create_ok(merchant_, payer_, "2.00"));
    ASSERT_EQ(code_of(confirm(payer_, paid.back())), "ok");
  }
  ASSERT_EQ(archive_all_quiet(), 6u);
  Id128 waiting = create_ok(merchant_, payer_, "7.00");

  reopen();
  const RecoveryReport& report = service_->recovery();
  EXPECT_GT(report.replayed_from_ts, 0);
  EXPECT_EQ(report.requests, 1u);  // the one awaiting confirmation; the rest stayed archived
  EXPECT_EQ(report.orphan_events, 0u);
  EXPECT_EQ(context().book.size(), 1u);
  EXPECT_TRUE(context().book.holds(waiting));
  for (const Id128& id : paid) EXPECT_EQ(get(id).state.status, PaymentStatus::succeeded);
  EXPECT_EQ(list_all(4).size(), 7u);
  ASSERT_EQ(code_of(confirm(payer_, waiting)), "ok");
}

TEST_F(RequestArchiveTest, AMandatesMonthlyCapCountsArchivedCharges) {
  Result<MandateRecord> mandate =
      create_mandate(context(), payer_.id(), {merchant_, "CNY", "20.00", "50.00", kPin});
  ASSERT_TRUE(mandate.ok()) << code_of(mandate);
  for (int i = 0; i < 2; ++i) {
    Result<PaymentRequest> charged =
        create(merchant_, payer_, "20.00", CaptureMode::automatic, mandate->id);
    ASSERT_EQ(code_of(charged), "ok");
  }
  settle();
  const int64_t month_start = context().wallet.spending.month_start_ns(clock_.now_ns());
  EXPECT_EQ(context().book.mandate_usage(mandate->id, month_start), 40'00);
  ASSERT_EQ(archive_all_quiet(), 2u);
  EXPECT_EQ(context().book.mandate_usage(mandate->id, month_start), 40'00);
  EXPECT_EQ(code_of(create(merchant_, payer_, "20.00", CaptureMode::automatic, mandate->id)),
            "mandate_monthly_exceeded");
  EXPECT_EQ(code_of(create(merchant_, payer_, "10.00", CaptureMode::automatic, mandate->id)), "ok");
}

TEST_F(RequestArchiveTest, RefundsOfAnArchivedPaymentAtOnceHaveOneWinnerEach) {
  Id128 paid = create_ok(merchant_, payer_, "40.00");
  ASSERT_EQ(code_of(confirm(payer_, paid)), "ok");
  ASSERT_EQ(archive_all_quiet(), 1u);
  // Each asks for the whole amount: at most one can be paid.
  std::vector<std::string> codes(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < codes.size(); ++i) {
    threads.emplace_back([&, i] { codes[i] = code_of(refund(merchant_, paid, 40'00)); });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "ok"), 1);
  for (const std::string& code : codes) {
    EXPECT_TRUE(code == "ok" || code == "payment_request_busy" ||
                code == "refund_amount_exceeds_captured")
        << code;
  }
  settle();
  EXPECT_EQ(get(paid).state.refunded_minor, 40'00);
  expect_money_conserved({payer_.wallet()});
}

// Reads that need the book and the archive together (usage sums, lists) while requests leave the
// book one at a time, on another thread: each is counted once by every read. (A stress of the
// locking; the one interleaving that used to lose a request is forced in
// request_book_archive_test.cc.)
TEST_F(RequestArchiveTest, ReadsDuringArchivingSeeEveryRequestOnce) {
  constexpr int kPayments = 24;
  for (int i = 0; i < kPayments; ++i) {
    Id128 id = create_ok(merchant_, payer_, "1.00");
    ASSERT_EQ(code_of(confirm(payer_, id, "phone_bill")), "ok");
  }
  settle();
  clock_.set_ns(clock_.now_ns() + 2 * kDayNs);
  std::atomic<bool> done{false};
  std::thread archiver([&] {
    while (true) {
      Result<size_t> archived = context().book.archive_quiet(clock_.now_ns() - kDayNs, 1);
      if (!archived.ok() || *archived == 0) break;
    }
    done = true;
  });
  int reads = 0;
  while (!done || reads < 3) {
    ++reads;
    ASSERT_EQ(context().book.phone_bill_usage(payer_.id(), 0, INT64_MAX), kPayments * 1'00);
    ASSERT_EQ(list_all(5).size(), static_cast<size_t>(kPayments));
  }
  archiver.join();
  EXPECT_EQ(context().book.size(), 0u);
  EXPECT_EQ(context().book.archived_total(), static_cast<uint64_t>(kPayments));
}

// Only the request's own party, asking for an action its status allows, brings it back.
TEST_F(RequestArchiveTest, AnActionThatCannotApplyLeavesTheRequestArchived) {
  Id128 paid = create_ok(merchant_, payer_, "4.00");
  ASSERT_EQ(code_of(confirm(payer_, paid)), "ok");
  Payer stranger = sign_up_payer("+8613900000072");
  ASSERT_EQ(archive_all_quiet(), 1u);
  EXPECT_EQ(code_of(confirm(stranger, paid)), "payment_request_not_found");
  EXPECT_EQ(code_of(confirm(payer_, paid)), "payment_request_not_awaiting_confirmation");
  EXPECT_EQ(code_of(cancel(merchant_, paid)), "payment_request_not_awaiting_confirmation");
  EXPECT_FALSE(context().book.holds(paid));
  // A refund does: the request comes back for it, and leaves again without a write of its row
  // when nothing changed (a refused refund).
  EXPECT_EQ(code_of(refund(merchant_, paid, 5'00)), "refund_amount_exceeds_captured");
  EXPECT_TRUE(context().book.holds(paid));
  EXPECT_EQ(archive_all_quiet(), 1u);
  EXPECT_FALSE(context().book.holds(paid));
  EXPECT_EQ(get(paid).state.status, PaymentStatus::succeeded);
}

// The HTTP layer runs create and confirm in place on an I/O thread only when nothing would wait
// on storage: once the archive holds rows, a creation (its merchant-reference check), a
// phone-bill payment (its monthly sum) and an action on a request not in memory read mpay.db.
TEST_F(RequestArchiveTest, OnceTheArchiveHoldsRowsWhatReadsItLeavesTheIoThread) {
  NewRequest asked;
  asked.payer_phone = payer_.phone;
  Id128 paid = create_ok(merchant_, payer_, "2.00");
  ASSERT_EQ(code_of(confirm(payer_, paid)), "ok");
  auto can_confirm = [&](const Id128& id, const std::string& funding) {
    return can_confirm_in_memory(context(), payer_.id(), id,
                                 Confirmation{kPin, funding, std::nullopt});
  };
  EXPECT_TRUE(can_create_in_memory(context(), asked));
  ASSERT_EQ(archive_all_quiet(), 1u);
  Id128 open = create_ok(merchant_, payer_, "3.00");
  EXPECT_FALSE(can_create_in_memory(context(), asked));
  EXPECT_TRUE(can_confirm(open, "wallet"));
  EXPECT_FALSE(can_confirm(open, "phone_bill"));
  EXPECT_FALSE(can_confirm(paid, "wallet"));  // archived: its answer comes from mpay.db
  EXPECT_EQ(code_of(confirm(payer_, open, "phone_bill")), "ok");
}

TEST_F(RequestArchiveTest, RequestsWithARefundInFlightOrOpenStayInMemory) {
  Id128 waiting = create_ok(merchant_, payer_, "7.00");
  Id128 paid = create_ok(merchant_, payer_, "4.00");
  ASSERT_EQ(code_of(confirm(payer_, paid)), "ok");
  // Claimed by an action at the time of the archiving: it stays, and leaves at the next one.
  ASSERT_TRUE(context().book.claim(paid, {PaymentStatus::succeeded}, Error("x", "")).ok());
  EXPECT_EQ(archive_all_quiet(), 0u);
  EXPECT_TRUE(context().book.holds(paid));
  context().book.release(paid);
  EXPECT_EQ(archive_all_quiet(), 1u);
  EXPECT_TRUE(context().book.holds(waiting));
  EXPECT_EQ(get(waiting).state.status, PaymentStatus::awaiting_confirmation);
}

}  // namespace
}  // namespace mpay::requests::testing
