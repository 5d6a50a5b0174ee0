// The payment-request gauges on /metrics read the request book at every scrape: requests and
// refunds held in memory, and the requests still open (awaiting confirmation or authorized).
#include "api/request_metrics.h"

#include <gtest/gtest.h>

#include <string>

#include "payments/requests/request_book.h"
#include "payments/requests/request_events.h"

namespace mpay::api {
namespace {

using requests::PaymentStatus;

requests::RequestTerms terms_for(uint64_t id) {
  requests::RequestTerms terms;
  terms.id = Id128{1, id};
  terms.merchant_id = Id128{2, 1};
  terms.payer_id = wallet::UserId(Id128{4, 1});
  terms.amount_minor = 100;
  terms.currency = 156;
  terms.created_at_ns = static_cast<int64_t>(id);
  terms.expires_at_ns = 1'000'000;
  return terms;
}

void set_status(requests::RequestBook& book, uint64_t event, const requests::RequestTerms& terms,
                PaymentStatus status) {
  requests::StatusChange change;
  change.status = status;
  change.amount_minor = terms.amount_minor;
  change.funding = requests::FundingSource::wallet;
  ASSERT_EQ(
      book.apply(ledger::AppEventRecord{requests::encode_status(Id128{3, event}, terms, change), 0,
                                        static_cast<int64_t>(1000 + event)}),
      requests::ApplyOutcome::applied);
}

bool shows(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(PaymentRequestMetrics, GaugesFollowTheBookAtEveryScrape) {
  requests::RequestBook book;
  MetricsRegistry metrics;
  add_payment_request_metrics(metrics, book);
  std::string empty = metrics.render();
  EXPECT_TRUE(shows(empty, "mpay_payment_requests_in_memory 0")) << empty;
  EXPECT_TRUE(shows(empty, "mpay_payment_requests_open 0")) << empty;
  EXPECT_TRUE(shows(empty, "mpay_payment_refunds_in_memory 0")) << empty;

  requests::RequestTerms paid = terms_for(1);
  requests::RequestTerms declined = terms_for(2);
  requests::RequestTerms waiting = terms_for(3);
  for (const auto& terms : {paid, declined, waiting}) ASSERT_TRUE(book.add(terms).ok());
  std::string added = metrics.render();
  EXPECT_TRUE(shows(added, "mpay_payment_requests_in_memory 3")) << added;
  EXPECT_TRUE(shows(added, "mpay_payment_requests_open 3")) << added;

  set_status(book, 1, paid, PaymentStatus::succeeded);
  set_status(book, 2, declined, PaymentStatus::declined);
  requests::RefundRecord refund;
  refund.id = Id128{6, 1};
  refund.request_id = paid.id;
  refund.amount_minor = 40;
  book.add_refund(refund);
  std::string later = metrics.render();
  EXPECT_TRUE(shows(later, "mpay_payment_requests_in_memory 3")) << later;  // final ones stay
  EXPECT_TRUE(shows(later, "mpay_payment_requests_open 1")) << later;
  EXPECT_TRUE(shows(later, "mpay_payment_refunds_in_memory 1")) << later;
  EXPECT_NE(later.find("# TYPE mpay_payment_requests_open gauge"), std::string::npos) << later;
}

}  // namespace
}  // namespace mpay::api
