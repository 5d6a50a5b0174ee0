// SqliteRequestArchive on a real mpay.db: every field of a request, its refunds and transfers
// comes back; put() replaces a request whole, in one transaction; lists page like the book's;
// usage sums count only what the book counts; the replay mark and the rows survive reopening;
// SqliteRequestRepository::load() leaves archived requests and refunds to the archive; a refund
// created after its request was archived is still found, pending.
#include "store/sqlite/sqlite_request_archive.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "store/sqlite/sqlite_request_repository.h"
#include "store/sqlite/sqlite_wallet_repository.h"
#include "support/temp_directory.h"

namespace mpay::store::sqlite {
namespace {

using requests::ArchivedCharge;
using requests::ArchivedRequest;
using requests::CaptureMode;
using requests::FundingSource;
using requests::PaymentRequest;
using requests::PaymentStatus;
using requests::RefundRecord;
using requests::RefundStatus;
using requests::RequestListQuery;
using requests::RequestTerms;

constexpr int64_t kStartNs = 1'760'000'000'000'000'000;
const Id128 kMerchant{0x0190f4c27a3e7000, 1};
const Id128 kOtherMerchant{0x0190f4c27a3e7000, 2};
const Id128 kPayer{0x0190f4c27a3e7100, 1};
const Id128 kOtherPayer{0x0190f4c27a3e7100, 2};
const Id128 kMandate{0x0190f4c27a3e7200, 1};

Id128 request_id(uint64_t n) {
  return Id128{0x0190f4c27a3e7c41, n};
}
Id128 refund_id(uint64_t n) {
  return Id128{0x0190f4c27a3e7d41, n};
}
TransferId transfer_id(uint64_t n) {
  return TransferId(Id128{0x0190f4c27a3e7e41, n});
}

// A final request with every field set to something of its own (n makes them differ).
ArchivedRequest archived(uint64_t n, const Id128& merchant = kMerchant,
                         const Id128& payer = kPayer) {
  ArchivedRequest a;
  RequestTerms& t = a.request.terms;
  t.id = request_id(n);
  t.merchant_id = merchant;
  t.merchant_reference = "order-" + std::to_string(n);
  t.payer_id = wallet::UserId(payer);
  t.payer_phone_masked = "138****" + std::to_string(1000 + n);
  t.amount_minor = 10'000 + static_cast<int64_t>(n);
  t.currency = 156;
  t.description = "Coffee " + std::to_string(n);
  t.metadata_json = R"({"n":)" + std::to_string(n) + "}";
  t.capture = CaptureMode::automatic;
  t.created_at_ns = kStartNs + static_cast<int64_t>(n) * 1000;
  t.expires_at_ns = t.created_at_ns + 900'000'000'000;
  requests::RequestState& s = a.request.state;
  s.status = PaymentStatus::succeeded;
  s.funding = FundingSource::wallet;
  s.authorized_minor = 0;
  s.captured_minor = t.amount_minor;
  s.fee_minor = 120 + static_cast<int64_t>(n);
  s.charge_id = transfer_id(100 + n);
  s.updated_at_ns = t.created_at_ns + 5;
  s.charged_at_ns = t.created_at_ns + 4;
  a.transfers = {transfer_id(100 + n)};
  a.last_event_ts = 7'000 + static_cast<int64_t>(n);
  return a;
}

RefundRecord refund_of(const Id128& request, uint64_t n, int64_t amount_minor) {
  RefundRecord r;
  r.id = refund_id(n);
  r.request_id = request;
  r.amount_minor = amount_minor;
  r.reason = "returned item " + std::to_string(n);
  r.created_at_ns = kStartNs + 1'000'000 + static_cast<int64_t>(n);
  r.status = RefundStatus::succeeded;
  r.fee_returned_minor = 3;
  r.settled_at_ns = r.created_at_ns + 77;
  r.fee_returned_with_hold = false;
  return r;
}

void expect_same(const PaymentRequest& read, const PaymentRequest& written) {
  const RequestTerms& a = read.terms;
  const RequestTerms& b = written.terms;
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.merchant_id, b.merchant_id);
  EXPECT_EQ(a.merchant_reference, b.merchant_reference);
  EXPECT_EQ(a.payer_id, b.payer_id);
  EXPECT_EQ(a.payer_phone_masked, b.payer_phone_masked);
  EXPECT_EQ(a.amount_minor, b.amount_minor);
  EXPECT_EQ(a.currency, b.currency);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.metadata_json, b.metadata_json);
  EXPECT_EQ(a.capture, b.capture);
  EXPECT_EQ(a.created_at_ns, b.created_at_ns);
  EXPECT_EQ(a.expires_at_ns, b.expires_at_ns);
  EXPECT_EQ(a.mandate_id, b.mandate_id);
  const requests::RequestState& x = read.state;
  const requests::RequestState& y = written.state;
  EXPECT_EQ(x.status, y.status);
  EXPECT_EQ(x.funding, y.funding);
  EXPECT_EQ(x.authorized_minor, y.authorized_minor);
  EXPECT_EQ(x.captured_minor, y.captured_minor);
  EXPECT_EQ(x.fee_minor, y.fee_minor);
  EXPECT_EQ(x.refunded_minor, y.refunded_minor);
  EXPECT_EQ(x.fee_returned_minor, y.fee_returned_minor);
  EXPECT_EQ(x.hold_id, y.hold_id);
  EXPECT_EQ(x.charge_id, y.charge_id);
  EXPECT_EQ(x.authorization_expires_at_ns, y.authorization_expires_at_ns);
  EXPECT_EQ(x.failure, y.failure);
  EXPECT_EQ(x.updated_at_ns, y.updated_at_ns);
  EXPECT_EQ(x.refund_count, y.refund_count);
  EXPECT_EQ(x.charged_at_ns, y.charged_at_ns);
}

void expect_same(const RefundRecord& a, const RefundRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.request_id, b.request_id);
  EXPECT_EQ(a.amount_minor, b.amount_minor);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.created_at_ns, b.created_at_ns);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.fee_returned_minor, b.fee_returned_minor);
  EXPECT_EQ(a.settled_at_ns, b.settled_at_ns);
  EXPECT_EQ(a.fee_returned_with_hold, b.fee_returned_with_hold);
}

void expect_same(const ArchivedRequest& read, const ArchivedRequest& written) {
  expect_same(read.request, written.request);
  ASSERT_EQ(read.refunds.size(), written.refunds.size());
  for (size_t i = 0; i < read.refunds.size(); ++i) expect_same(read.refunds[i], written.refunds[i]);
  std::vector<TransferId> transfers = written.transfers;
  std::sort(transfers.begin(), transfers.end());  // read back by id
  EXPECT_EQ(read.transfers, transfers);
  EXPECT_EQ(read.last_event_ts, written.last_event_ts);
}

std::vector<Id128> ids_of(const std::vector<PaymentRequest>& page) {
  std::vector<Id128> ids;
  for (const PaymentRequest& r : page) ids.push_back(r.terms.id);
  return ids;
}

class SqliteRequestArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen() {
    archive_.reset();
    repository_.reset();
    wallet_.reset();
    auto wallet = SqliteWalletRepository::open(directory_.path(), clock_);
    ASSERT_TRUE(wallet.ok()) << wallet.error().message;
    wallet_ = std::move(*wallet);
    auto archive = SqliteRequestArchive::open(directory_.path(), wallet_->writer());
    ASSERT_TRUE(archive.ok()) << archive.error().message;
    archive_ = std::move(*archive);
    repository_ = std::make_unique<SqliteRequestRepository>(directory_.path(), wallet_->writer());
  }

  void put(std::vector<ArchivedRequest> requests) {
    Status status = archive_->put(requests);
    ASSERT_TRUE(status.ok()) << status.error().message;
  }

  ArchivedRequest get(const Id128& id) {
    auto found = archive_->get(id);
    EXPECT_TRUE(found.ok() && found->has_value())
        << (found.ok() ? "absent" : found.error().message);
    return found.ok() && found->has_value() ? **found : ArchivedRequest{};
  }

  std::vector<PaymentRequest> merchant_page(const RequestListQuery& query) {
    auto page = archive_->list_for_merchant(kMerchant, query);
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page.ok() ? *page : std::vector<PaymentRequest>{};
  }

  testing::TempDirectory directory_;
  ManualClock clock_{kStartNs};
  std::unique_ptr<SqliteWalletRepository> wallet_;
  std::unique_ptr<SqliteRequestArchive> archive_;
  std::unique_ptr<SqliteRequestRepository> repository_;
};

TEST_F(SqliteRequestArchiveTest, EveryFieldComesBack) {
  ArchivedRequest manual = archived(1);
  RequestTerms& t = manual.request.terms;
  t.description = "咖啡 ☕ für Zoë";
  t.metadata_json = R"({"table":"7","note":"\u00e9"})";
  t.capture = CaptureMode::manual;
  t.mandate_id = kMandate;
  requests::RequestState& s = manual.request.state;
  s.status = PaymentStatus::captured;
  s.funding = FundingSource::bank;
  s.authorized_minor = 10'001;
  s.captured_minor = 9'000;
  s.fee_minor = 108;
  s.refunded_minor = 2'500;
  s.fee_returned_minor = 30;
  s.hold_id = transfer_id(201);
  s.charge_id = transfer_id(201);
  s.authorization_expires_at_ns = t.created_at_ns + 86'400'000'000'000;
  s.failure = 0;
  s.refund_count = 2;
  RefundRecord settled = refund_of(t.id, 1, 2'000);
  RefundRecord failed = refund_of(t.id, 2, 500);
  failed.status = RefundStatus::failed;
  failed.fee_returned_minor = 0;
  failed.fee_returned_with_hold = true;
  manual.refunds = {settled, failed};
  manual.transfers = {transfer_id(203), transfer_id(201), transfer_id(202)};

  ArchivedRequest failed_request = archived(2);
  failed_request.request.state.status = PaymentStatus::failed;
  failed_request.request.state.funding = FundingSource::phone_bill;
  failed_request.request.state.failure =
      static_cast<uint16_t>(requests::FailureReason::phone_bill_allowance_exceeded);
  failed_request.request.state.captured_minor = 0;
  failed_request.request.state.charge_id = TransferId();
  failed_request.transfers.clear();

  put({manual, failed_request});
  ArchivedRequest read = get(manual.request.terms.id);
  expect_same(read, manual);
  ASSERT_TRUE(read.request.terms.mandate_id.has_value());
  EXPECT_EQ(read.request.terms.description, "咖啡 ☕ für Zoë");
  ArchivedRequest read_failed = get(failed_request.request.terms.id);
  expect_same(read_failed, failed_request);
  EXPECT_FALSE(read_failed.request.terms.mandate_id.has_value());
  EXPECT_TRUE(read_failed.refunds.empty());
  EXPECT_TRUE(read_failed.transfers.empty());
}

TEST_F(SqliteRequestArchiveTest, UnknownIdsAreAbsent) {
  put({archived(1)});
  auto request = archive_->get(request_id(9));
  ASSERT_TRUE(request.ok());
  EXPECT_FALSE(request->has_value());
  auto probe = archive_->last_event_ts(request_id(9));
  ASSERT_TRUE(probe.ok());
  EXPECT_FALSE(probe->has_value());
  auto refund = archive_->refund(refund_id(9));
  ASSERT_TRUE(refund.ok());
  EXPECT_FALSE(refund->has_value());
  auto owner = archive_->request_of_transfer(transfer_id(9));
  ASSERT_TRUE(owner.ok());
  EXPECT_FALSE(owner->has_value());
}

TEST_F(SqliteRequestArchiveTest, ProbesFindTheirRow) {
  ArchivedRequest a = archived(1);
  a.refunds = {refund_of(a.request.terms.id, 1, 700)};
  a.transfers = {transfer_id(101), transfer_id(301)};
  put({a, archived(2)});

  auto probe = archive_->last_event_ts(request_id(1));
  ASSERT_TRUE(probe.ok() && probe->has_value());
  EXPECT_EQ(**probe, 7'001);
  auto refund = archive_->refund(refund_id(1));
  ASSERT_TRUE(refund.ok() && refund->has_value());
  expect_same(**refund, a.refunds[0]);
  auto owner = archive_->request_of_transfer(transfer_id(301));
  ASSERT_TRUE(owner.ok() && owner->has_value());
  EXPECT_EQ(**owner, request_id(1));
  owner = archive_->request_of_transfer(transfer_id(102));
  ASSERT_TRUE(owner.ok() && owner->has_value());
  EXPECT_EQ(**owner, request_id(2));
}

TEST_F(SqliteRequestArchiveTest, PutReplacesTheRowItsRefundsAndItsTransfers) {
  ArchivedRequest first = archived(1);
  first.refunds = {refund_of(first.request.terms.id, 1, 100)};
  first.transfers = {transfer_id(101), transfer_id(102)};
  put({first});

  // Loaded back, refunded again, archived again: the newer copy is the whole truth.
  ArchivedRequest second = archived(1);
  second.request.state.refunded_minor = 400;
  second.request.state.refund_count = 1;
  second.request.state.updated_at_ns += 1'000;
  second.refunds = {refund_of(second.request.terms.id, 2, 400)};
  second.transfers = {transfer_id(101), transfer_id(103)};
  second.last_event_ts = 9'999;
  put({second});

  expect_same(get(request_id(1)), second);
  EXPECT_FALSE(archive_->refund(refund_id(1))->has_value());
  EXPECT_FALSE(archive_->request_of_transfer(transfer_id(102))->has_value());
  EXPECT_EQ(**archive_->request_of_transfer(transfer_id(103)), request_id(1));
  EXPECT_EQ(**archive_->last_event_ts(request_id(1)), 9'999);
  EXPECT_EQ(*archive_->count(), 1u);
}

TEST_F(SqliteRequestArchiveTest, PutIsOneTransaction) {
  put({archived(1)});
  ArchivedRequest fresh = archived(2);
  ArchivedRequest clash = archived(3);
  clash.request.terms.merchant_reference = "order-1";  // request 1's
  Status status = archive_->put(std::vector<ArchivedRequest>{fresh, clash});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "store_error");
  EXPECT_FALSE(archive_->get(request_id(2))->has_value());  // rolled back with the clash
  expect_same(get(request_id(1)), archived(1));             // the holder is untouched
  EXPECT_EQ(*archive_->count(), 1u);
}

TEST_F(SqliteRequestArchiveTest, ListsPageByIdWithFilters) {
  // Written out of order; ids 1..6 are the merchant's, 7 another merchant's, to another payer
  // are 2 and 5.
  std::vector<ArchivedRequest> requests;
  for (uint64_t n : {4, 1, 6, 3, 2, 5}) {
    requests.push_back(archived(n, kMerchant, n == 2 || n == 5 ? kOtherPayer : kPayer));
  }
  requests[0].request.state.status = PaymentStatus::expired;  // 4
  requests[2].request.state.status = PaymentStatus::expired;  // 6
  requests.push_back(archived(7, kOtherMerchant));
  put(requests);

  RequestListQuery all;
  EXPECT_EQ(ids_of(merchant_page(all)),
            (std::vector<Id128>{request_id(1), request_id(2), request_id(3), request_id(4),
                                request_id(5), request_id(6)}));
  RequestListQuery page;
  page.limit = 2;
  EXPECT_EQ(ids_of(merchant_page(page)), (std::vector<Id128>{request_id(1), request_id(2)}));
  page.after = request_id(2);
  EXPECT_EQ(ids_of(merchant_page(page)), (std::vector<Id128>{request_id(3), request_id(4)}));
  page.after = request_id(6);
  EXPECT_TRUE(merchant_page(page).empty());

  RequestListQuery expired;
  expired.status = PaymentStatus::expired;
  EXPECT_EQ(ids_of(merchant_page(expired)), (std::vector<Id128>{request_id(4), request_id(6)}));
  expired.limit = 1;  // the limit counts rows that pass the filters
  expired.after = request_id(1);
  EXPECT_EQ(ids_of(merchant_page(expired)), (std::vector<Id128>{request_id(4)}));

  RequestListQuery recent;
  recent.created_after_ns = archived(4).request.terms.created_at_ns;  // strictly after
  EXPECT_EQ(ids_of(merchant_page(recent)), (std::vector<Id128>{request_id(5), request_id(6)}));
  recent.status = PaymentStatus::succeeded;
  EXPECT_EQ(ids_of(merchant_page(recent)), (std::vector<Id128>{request_id(5)}));

  auto payer = archive_->list_for_payer(kOtherPayer, RequestListQuery{});
  ASSERT_TRUE(payer.ok());
  EXPECT_EQ(ids_of(*payer), (std::vector<Id128>{request_id(2), request_id(5)}));
  RequestListQuery after_two;
  after_two.after = request_id(2);
  payer = archive_->list_for_payer(kOtherPayer, after_two);
  ASSERT_TRUE(payer.ok());
  EXPECT_EQ(ids_of(*payer), (std::vector<Id128>{request_id(5)}));
  payer = archive_->list_for_payer(kPayer, RequestListQuery{});
  ASSERT_TRUE(payer.ok());
  EXPECT_EQ(ids_of(*payer), (std::vector<Id128>{request_id(1), request_id(3), request_id(4),
                                                request_id(6), request_id(7)}));
  ASSERT_EQ(payer->size(), 5u);
  expect_same((*payer)[4], archived(7, kOtherMerchant).request);  // whole rows, not just ids

  auto none = archive_->list_for_merchant(Id128{5, 5}, RequestListQuery{});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(SqliteRequestArchiveTest, PhoneBillChargesCountWhatWasChargedInTheWindow) {
  const int64_t from_ns = kStartNs + 1'000'000;
  const int64_t to_ns = kStartNs + 2'000'000;
  auto phone_bill = [&](uint64_t n, PaymentStatus status, int64_t charged_at_ns) {
    ArchivedRequest a = archived(n);
    a.request.state.funding = FundingSource::phone_bill;
    a.request.state.status = status;
    a.request.state.charged_at_ns = charged_at_ns;
    return a;
  };
  ArchivedRequest refunded = phone_bill(1, PaymentStatus::succeeded, from_ns);  // from: inside
  refunded.request.state.refunded_minor = 1'001;
  ArchivedRequest captured = phone_bill(2, PaymentStatus::captured, to_ns - 1);
  captured.request.state.captured_minor = 6'000;
  captured.request.state.refunded_minor = 500;
  ArchivedRequest wallet_paid = archived(6);
  wallet_paid.request.state.charged_at_ns = from_ns + 10;
  ArchivedRequest other_payer = phone_bill(8, PaymentStatus::succeeded, from_ns + 10);
  other_payer.request.terms.payer_id = wallet::UserId(kOtherPayer);
  put({refunded, captured, phone_bill(3, PaymentStatus::succeeded, to_ns),  // to: outside
       phone_bill(4, PaymentStatus::succeeded, from_ns - 1),
       phone_bill(5, PaymentStatus::voided, from_ns + 10), wallet_paid,
       phone_bill(7, PaymentStatus::failed, from_ns + 10), other_payer});

  auto charges = archive_->phone_bill_charges(kPayer, from_ns, to_ns);
  ASSERT_TRUE(charges.ok()) << charges.error().message;
  ASSERT_EQ(charges->size(), 2u);
  EXPECT_EQ((*charges)[0].request_id, request_id(1));
  EXPECT_EQ((*charges)[0].amount_minor, 10'001 - 1'001);
  EXPECT_EQ((*charges)[1].request_id, request_id(2));
  EXPECT_EQ((*charges)[1].amount_minor, 6'000 - 500);
  charges = archive_->phone_bill_charges(kOtherPayer, from_ns, to_ns);
  ASSERT_TRUE(charges.ok());
  ASSERT_EQ(charges->size(), 1u);
  EXPECT_EQ((*charges)[0].request_id, request_id(8));
}

TEST_F(SqliteRequestArchiveTest, MandateChargesCountSucceededChargesFromTheStart) {
  const int64_t from_ns = kStartNs + 1'000'000;
  auto under_mandate = [&](uint64_t n, const Id128& mandate, PaymentStatus status,
                           int64_t charged_at_ns) {
    ArchivedRequest a = archived(n);
    a.request.terms.mandate_id = mandate;
    a.request.state.status = status;
    a.request.state.charged_at_ns = charged_at_ns;
    return a;
  };
  ArchivedRequest partly_refunded = under_mandate(1, kMandate, PaymentStatus::succeeded, from_ns);
  partly_refunded.request.state.refunded_minor = 1;
  ArchivedRequest no_mandate = archived(5);
  no_mandate.request.state.charged_at_ns = from_ns + 1;
  put({partly_refunded, under_mandate(2, kMandate, PaymentStatus::succeeded, from_ns + 50),
       under_mandate(3, kMandate, PaymentStatus::succeeded, from_ns - 1),
       under_mandate(4, kMandate, PaymentStatus::failed, from_ns + 1), no_mandate,
       under_mandate(6, Id128{9, 9}, PaymentStatus::succeeded, from_ns + 1)});

  auto charges = archive_->mandate_charges(kMandate, from_ns);
  ASSERT_TRUE(charges.ok()) << charges.error().message;
  ASSERT_EQ(charges->size(), 2u);
  EXPECT_EQ((*charges)[0].request_id, request_id(1));
  EXPECT_EQ((*charges)[0].amount_minor, 10'000);
  EXPECT_EQ((*charges)[1].request_id, request_id(2));
  EXPECT_EQ((*charges)[1].amount_minor, 10'002);
}

TEST_F(SqliteRequestArchiveTest, ReferencesAndCount) {
  EXPECT_EQ(*archive_->count(), 0u);
  put({archived(1), archived(2, kOtherMerchant)});
  EXPECT_TRUE(*archive_->has_reference(kMerchant, "order-1"));
  EXPECT_FALSE(*archive_->has_reference(kMerchant, "order-2"));  // another merchant's
  EXPECT_TRUE(*archive_->has_reference(kOtherMerchant, "order-2"));
  EXPECT_FALSE(*archive_->has_reference(kMerchant, "ORDER-1"));
  EXPECT_EQ(*archive_->count(), 2u);
}

TEST_F(SqliteRequestArchiveTest, ReplayMarkStartsAtZero) {
  EXPECT_EQ(*archive_->replay_from(), 0);
  ASSERT_TRUE(archive_->set_replay_from(1'234'567).ok());
  EXPECT_EQ(*archive_->replay_from(), 1'234'567);
  ASSERT_TRUE(archive_->set_replay_from(2'000'000).ok());
  EXPECT_EQ(*archive_->replay_from(), 2'000'000);
}

TEST_F(SqliteRequestArchiveTest, SurvivesReopening) {
  ArchivedRequest a = archived(1);
  a.refunds = {refund_of(a.request.terms.id, 1, 300)};
  a.request.terms.mandate_id = kMandate;
  put({a});
  ASSERT_TRUE(archive_->set_replay_from(42).ok());
  reopen();
  expect_same(get(request_id(1)), a);
  EXPECT_EQ(*archive_->replay_from(), 42);
  EXPECT_EQ(*archive_->count(), 1u);
  EXPECT_TRUE(*archive_->has_reference(kMerchant, "order-1"));
}

struct Loaded {
  std::set<Id128> requests;
  std::set<Id128> refunds;
};

Loaded load(SqliteRequestRepository& repository) {
  Loaded loaded;
  Status status = repository.load([&](RequestTerms t) { loaded.requests.insert(t.id); },
                                  [&](RefundRecord r) { loaded.refunds.insert(r.id); },
                                  [](requests::MandateRecord) {},
                                  [](wallet::UserId, std::string) {}, [](requests::BankPull) {});
  EXPECT_TRUE(status.ok()) << status.error().message;
  return loaded;
}

TEST_F(SqliteRequestArchiveTest, RepositoryLoadLeavesArchivedRequestsToTheArchive) {
  ArchivedRequest a = archived(1);
  ArchivedRequest b = archived(2);
  ASSERT_TRUE(repository_->insert_request(a.request.terms).ok());
  ASSERT_TRUE(repository_->insert_request(b.request.terms).ok());
  ASSERT_TRUE(repository_->insert_refund(refund_of(a.request.terms.id, 1, 100)).ok());
  ASSERT_TRUE(repository_->insert_refund(refund_of(b.request.terms.id, 2, 100)).ok());
  Loaded before = load(*repository_);
  EXPECT_EQ(before.requests, (std::set<Id128>{request_id(1), request_id(2)}));
  EXPECT_EQ(before.refunds, (std::set<Id128>{refund_id(1), refund_id(2)}));

  a.refunds = {refund_of(a.request.terms.id, 1, 100)};
  put({a});
  Loaded after = load(*repository_);
  EXPECT_EQ(after.requests, (std::set<Id128>{request_id(2)}));
  EXPECT_EQ(after.refunds, (std::set<Id128>{refund_id(2)}));
}

TEST_F(SqliteRequestArchiveTest, RefundCreatedAfterArchivingIsFoundPending) {
  ArchivedRequest a = archived(1);
  ASSERT_TRUE(repository_->insert_request(a.request.terms).ok());
  RefundRecord settled = refund_of(a.request.terms.id, 1, 100);
  ASSERT_TRUE(repository_->insert_refund(settled).ok());
  a.refunds = {settled};
  put({a});

  // The book loaded it back for a late refund, which the repository wrote; the book then forgot
  // it again before archiving it anew.
  RefundRecord late = refund_of(a.request.terms.id, 2, 250);
  ASSERT_TRUE(repository_->insert_refund(late).ok());
  ArchivedRequest read = get(request_id(1));
  ASSERT_EQ(read.refunds.size(), 2u);
  expect_same(read.refunds[0], settled);
  RefundRecord pending = late;
  pending.status = RefundStatus::pending;
  pending.fee_returned_minor = 0;
  pending.settled_at_ns = 0;
  expect_same(read.refunds[1], pending);
  auto by_id = archive_->refund(late.id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  expect_same(**by_id, pending);
  // The repository hands the late one to start-up (it may have no outcome in the journal).
  EXPECT_EQ(load(*repository_).refunds, (std::set<Id128>{late.id}));

  // A refund of a request the archive does not hold is the book's.
  ArchivedRequest b = archived(2);
  ASSERT_TRUE(repository_->insert_request(b.request.terms).ok());
  ASSERT_TRUE(repository_->insert_refund(refund_of(b.request.terms.id, 3, 100)).ok());
  EXPECT_FALSE(archive_->refund(refund_id(3))->has_value());

  // Archived again with the late refund settled: one copy of it, the settled one.
  a.refunds = {settled, late};
  put({a});
  read = get(request_id(1));
  ASSERT_EQ(read.refunds.size(), 2u);
  expect_same(read.refunds[1], late);
  // The late one is the archive's now; only the unarchived request's refund is loaded.
  EXPECT_EQ(load(*repository_).refunds, (std::set<Id128>{refund_id(3)}));
}

}  // namespace
}  // namespace mpay::store::sqlite
