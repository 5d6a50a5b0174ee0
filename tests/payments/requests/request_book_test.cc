// RequestBook: the count of a payer's requests awaiting confirmation (what a creation checks
// against pending_per_payer_max) against the list it replaced, the order of its lists, and claims
// by a request's payer or merchant.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "payments/requests/request_book.h"
#include "payments/requests/request_events.h"

namespace mpay::requests {
namespace {

RequestTerms terms_for(uint64_t id, const wallet::UserId& payer) {
  RequestTerms terms;
  terms.id = Id128{1, id};
  terms.merchant_id = Id128{2, 1};
  terms.payer_id = payer;
  terms.amount_minor = 100;
  terms.currency = 156;
  terms.created_at_ns = static_cast<int64_t>(id);
  terms.expires_at_ns = 1'000'000;
  return terms;
}

ledger::AppEventRecord status_record(uint64_t event, const RequestTerms& terms, PaymentStatus status) {
  StatusChange change;
  change.status = status;
  return ledger::AppEventRecord{encode_status(Id128{3, event}, terms, change), 0,
                                static_cast<int64_t>(1000 + event)};
}

size_t listed_awaiting(const RequestBook& book, const wallet::UserId& payer) {
  RequestListQuery query;
  query.status = PaymentStatus::awaiting_confirmation;
  query.limit = UINT32_MAX;
  return book.list_for_payer(payer, query).size();
}

TEST(RequestBookTest, TheAwaitingCountFollowsAddsAndStatusChanges) {
  RequestBook book;
  const wallet::UserId payer(Id128{4, 1});
  const wallet::UserId other(Id128{4, 2});
  EXPECT_EQ(book.awaiting_confirmation_of(payer), 0u);

  std::vector<RequestTerms> terms;
  for (uint64_t i = 1; i <= 4; ++i) {
    terms.push_back(terms_for(i, payer));
    ASSERT_TRUE(book.add(terms.back()).ok());
  }
  ASSERT_TRUE(book.add(terms_for(9, other)).ok());
  EXPECT_EQ(book.awaiting_confirmation_of(payer), 4u);
  EXPECT_EQ(book.awaiting_confirmation_of(other), 1u);

  EXPECT_EQ(book.apply(status_record(1, terms[0], PaymentStatus::declined)), ApplyOutcome::applied);
  EXPECT_EQ(book.apply(status_record(2, terms[1], PaymentStatus::authorized)),
            ApplyOutcome::applied);
  EXPECT_EQ(book.apply(status_record(3, terms[1], PaymentStatus::captured)), ApplyOutcome::applied);
  EXPECT_EQ(book.awaiting_confirmation_of(payer), 2u);
  EXPECT_EQ(book.awaiting_confirmation_of(payer), listed_awaiting(book, payer));

  EXPECT_EQ(book.apply(status_record(4, terms[2], PaymentStatus::expired)), ApplyOutcome::applied);
  EXPECT_EQ(book.apply(status_record(5, terms[3], PaymentStatus::failed)), ApplyOutcome::applied);
  EXPECT_EQ(book.awaiting_confirmation_of(payer), 0u);
  EXPECT_EQ(listed_awaiting(book, payer), 0u);
  EXPECT_EQ(book.awaiting_confirmation_of(other), 1u);
}

TEST(RequestBookTest, AClaimAsAPartyFindsOnlyThatPartysRequestsAndNamesAWrongStatus) {
  RequestBook book;
  const wallet::UserId payer(Id128{4, 1});
  const wallet::UserId stranger(Id128{4, 2});
  RequestTerms terms = terms_for(1, payer);
  ASSERT_TRUE(book.add(terms).ok());
  const std::initializer_list<PaymentStatus> awaiting = {PaymentStatus::awaiting_confirmation};

  Result<PaymentRequest> by_stranger =
      book.claim_as(RequestParty::payer(stranger), terms.id, awaiting, "not_awaiting");
  ASSERT_FALSE(by_stranger.ok());
  EXPECT_EQ(by_stranger.error().code, "payment_request_not_found");
  EXPECT_EQ(by_stranger.error().message, "no payment request has this id");
  Result<PaymentRequest> by_other_merchant =
      book.claim_as(RequestParty::merchant(Id128{2, 9}), terms.id, awaiting, "not_awaiting");
  ASSERT_FALSE(by_other_merchant.ok());
  EXPECT_EQ(by_other_merchant.error().code, "payment_request_not_found");
  EXPECT_EQ(by_other_merchant.error().message, "no payment request of yours has this id");
  Result<PaymentRequest> unknown =
      book.claim_as(RequestParty::payer(payer), Id128{1, 77}, awaiting, "not_awaiting");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "payment_request_not_found");

  // The payer's claim succeeds once; while it is held, the merchant's is busy.
  Result<PaymentRequest> claimed =
      book.claim_as(RequestParty::payer(payer), terms.id, awaiting, "not_awaiting");
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(claimed->terms.id, terms.id);
  Result<PaymentRequest> while_held =
      book.claim_as(RequestParty::merchant(terms.merchant_id), terms.id, awaiting, "not_awaiting");
  ASSERT_FALSE(while_held.ok());
  EXPECT_EQ(while_held.error().code, "payment_request_busy");

  EXPECT_EQ(book.apply(status_record(1, terms, PaymentStatus::declined)), ApplyOutcome::applied);
  book.release(terms.id);
  Result<PaymentRequest> too_late =
      book.claim_as(RequestParty::merchant(terms.merchant_id), terms.id, awaiting, "not_awaiting");
  ASSERT_FALSE(too_late.ok());
  EXPECT_EQ(too_late.error().code, "not_awaiting");
  EXPECT_EQ(too_late.error().message, "this payment request is declined");
  // A failed claim holds nothing: a claim for a status the request has still succeeds.
  EXPECT_TRUE(book.claim_as(RequestParty::merchant(terms.merchant_id), terms.id,
                            {PaymentStatus::declined}, "x")
                  .ok());
}

TEST(RequestBookTest, AnEventForAnUnknownRequestChangesNoCount) {
  RequestBook book;
  const wallet::UserId payer(Id128{4, 1});
  RequestTerms unknown = terms_for(7, payer);
  EXPECT_EQ(book.apply(status_record(1, unknown, PaymentStatus::declined)),
            ApplyOutcome::unknown_request);
  EXPECT_EQ(book.awaiting_confirmation_of(payer), 0u);
}

// Lists are in id order (creation order) with `after` as the cursor, also when ids arrive out of
// order (the per-merchant and per-payer lists are sorted vectors, appended in the usual case).
TEST(RequestBookTest, ListsAreInIdOrderAndPageByCursorWhateverTheOrderOfAdds) {
  RequestBook book;
  const wallet::UserId payer(Id128{4, 1});
  for (uint64_t id : {5, 1, 9, 3, 7, 2}) ASSERT_TRUE(book.add(terms_for(id, payer)).ok());
  EXPECT_FALSE(book.add(terms_for(3, payer)).ok());  // the same id twice
  auto ids_of = [](const std::vector<PaymentRequest>& page) {
    std::vector<uint64_t> ids;
    for (const PaymentRequest& r : page) ids.push_back(r.terms.id.low);
    return ids;
  };
  RequestListQuery query;
  query.limit = 4;
  std::vector<PaymentRequest> first = book.list_for_merchant(Id128{2, 1}, query);
  EXPECT_EQ(ids_of(first), (std::vector<uint64_t>{1, 2, 3, 5}));
  query.after = first.back().terms.id;
  EXPECT_EQ(ids_of(book.list_for_merchant(Id128{2, 1}, query)), (std::vector<uint64_t>{7, 9}));
  query.after = Id128{1, 6};  // a cursor between ids
  EXPECT_EQ(ids_of(book.list_for_payer(payer, query)), (std::vector<uint64_t>{7, 9}));
  EXPECT_TRUE(book.list_for_payer(wallet::UserId(Id128{4, 2}), query).empty());
}

// The phone-bill usage counts the payer's phone-bill payments only, and a mandate's usage that
// mandate's succeeded charges made after the given time (both kept as their own lists, so
// neither walks the payer's whole history).
TEST(RequestBookTest, PhoneBillAndMandateUsageCountOnlyTheirOwnPayments) {
  RequestBook book;
  const wallet::UserId payer(Id128{4, 1});
  const Id128 mandate{5, 1};
  auto pay = [&](uint64_t id, FundingSource funding, std::optional<Id128> under, int64_t amount) {
    RequestTerms terms = terms_for(id, payer);
    terms.amount_minor = amount;
    terms.mandate_id = under;
    EXPECT_TRUE(book.add(terms).ok());
    StatusChange change;
    change.status = PaymentStatus::succeeded;
    change.funding = funding;
    change.amount_minor = amount;
    EXPECT_EQ(book.apply(ledger::AppEventRecord{encode_status(Id128{3, id}, terms, change), 0,
                                                static_cast<int64_t>(1000 + id)}),
              ApplyOutcome::applied);
  };
  pay(10, FundingSource::wallet, std::nullopt, 100);
  pay(20, FundingSource::phone_bill, std::nullopt, 200);
  pay(30, FundingSource::wallet, mandate, 300);
  pay(40, FundingSource::phone_bill, std::nullopt, 400);
  pay(50, FundingSource::wallet, mandate, 500);
  // Phone-bill usage goes by when the money moved (paid at 1000 + id), not by creation.
  EXPECT_EQ(book.phone_bill_usage(payer, 0, 2'000), 600);
  EXPECT_EQ(book.phone_bill_usage(payer, 0, 1'000), 0);        // created in it, paid after it
  EXPECT_EQ(book.phone_bill_usage(payer, 1'025, 2'000), 400);  // paid at 1020: before the window
  EXPECT_EQ(book.phone_bill_usage(wallet::UserId(Id128{4, 2}), 0, 2'000), 0);
  EXPECT_EQ(book.mandate_usage(mandate, 0), 800);
  EXPECT_EQ(book.mandate_usage(mandate, 1'031), 500);  // only what was charged from 1031 on
  EXPECT_EQ(book.mandate_usage(mandate, 31), 800);     // created before 31, charged after it
  EXPECT_EQ(book.mandate_usage(Id128{5, 2}, 0), 0);
}

// A merchant's reference is taken before the creation is durable: of creations racing with the
// same reference exactly one gets it; a failed one gives it back; a recovered request holds its
// own.
TEST(RequestBookTest, AMerchantReferenceIsTakenOnceEvenByConcurrentCreations) {
  RequestBook book;
  const MerchantId merchant{2, 1};
  std::atomic<int> taken{0};
  std::vector<std::thread> creators;
  for (int i = 0; i < 8; ++i) {
    creators.emplace_back([&] {
      if (*book.take_reference(merchant, "order-1")) ++taken;
    });
  }
  for (std::thread& creator : creators) creator.join();
  EXPECT_EQ(taken.load(), 1);
  EXPECT_TRUE(*book.take_reference(Id128{2, 2}, "order-1"));  // another merchant's own
  book.release_reference(merchant, "order-1");
  EXPECT_TRUE(*book.take_reference(merchant, "order-1"));

  RequestTerms recovered = terms_for(7, wallet::UserId(Id128{4, 1}));
  recovered.merchant_reference = "order-2";
  ASSERT_TRUE(book.add(recovered).ok());
  EXPECT_FALSE(*book.take_reference(recovered.merchant_id, "order-2"));
}

// A creation in flight holds a place under the payer's limit until it is in the book, so racing
// creations cannot pass the limit together; a place given back can be taken again.
TEST(RequestBookTest, CreationsInFlightCountAgainstThePayersLimit) {
  RequestBook book;
  const wallet::UserId payer(Id128{4, 1});
  ASSERT_TRUE(book.add(terms_for(1, payer)).ok());  // one awaiting already
  std::atomic<int> begun{0};
  std::vector<std::thread> creators;
  for (int i = 0; i < 8; ++i) {
    creators.emplace_back([&] {
      if (book.begin_creation(payer, 3)) ++begun;
    });
  }
  for (std::thread& creator : creators) creator.join();
  EXPECT_EQ(begun.load(), 2);
  EXPECT_EQ(book.awaiting_confirmation_of(payer), 1u);  // places in flight are not requests
  EXPECT_TRUE(book.begin_creation(wallet::UserId(Id128{4, 2}), 3));  // another payer's own

  book.end_creation(payer);  // one failed
  EXPECT_TRUE(book.begin_creation(payer, 3));
  ASSERT_TRUE(book.add(terms_for(2, payer)).ok());  // one succeeded: in the book, then given back
  book.end_creation(payer);
  EXPECT_FALSE(book.begin_creation(payer, 3));  // two awaiting and one in flight
  ASSERT_EQ(book.apply(status_record(5, terms_for(1, payer), PaymentStatus::declined)),
            ApplyOutcome::applied);
  EXPECT_TRUE(book.begin_creation(payer, 3));
}

}  // namespace
}  // namespace mpay::requests
