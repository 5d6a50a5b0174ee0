// The book's reads that combine the archive's rows with what it holds (usage sums, lists), when
// requests leave the book between the archive's read and the book's: the real SQLite archive,
// with a hook that archives right after a read (the interleaving a reader can meet under load).
#include <gtest/gtest.h>

#include <functional>

#include "core/clock.h"
#include "payments/requests/request_book.h"
#include "payments/requests/request_events.h"
#include "store/sqlite/sqlite_request_archive.h"
#include "store/sqlite/sqlite_wallet_repository.h"
#include "support/temp_directory.h"

namespace mpay::requests {
namespace {

constexpr int64_t kStartNs = 1'795'000'000LL * 1'000'000'000;

// The SQLite archive, with `after_read` called once after the next list or usage read.
class ArchiveWithAHook final : public RequestArchive {
 public:
  explicit ArchiveWithAHook(RequestArchive& archive) : archive_(archive) {}

  std::function<void()> after_read;

  Status put(std::span<const ArchivedRequest> requests) override { return archive_.put(requests); }
  Status set_replay_from(int64_t ts) override { return archive_.set_replay_from(ts); }
  Result<int64_t> replay_from() override { return archive_.replay_from(); }
  Result<std::optional<ArchivedRequest>> get(const Id128& id) override { return archive_.get(id); }
  Result<std::optional<int64_t>> last_event_ts(const Id128& id) override {
    return archive_.last_event_ts(id);
  }
  Result<std::optional<RefundRecord>> refund(const Id128& id) override {
    return archive_.refund(id);
  }
  Result<std::optional<Id128>> request_of_transfer(const TransferId& transfer) override {
    return archive_.request_of_transfer(transfer);
  }
  Result<std::vector<PaymentRequest>> list_for_merchant(const Id128& merchant,
                                                        const RequestListQuery& query) override {
    return hooked(archive_.list_for_merchant(merchant, query));
  }
  Result<std::vector<PaymentRequest>> list_for_payer(const Id128& payer,
                                                     const RequestListQuery& query) override {
    return hooked(archive_.list_for_payer(payer, query));
  }
  Result<std::vector<ArchivedCharge>> phone_bill_charges(const Id128& payer, int64_t from_ns,
                                                         int64_t to_ns) override {
    return hooked(archive_.phone_bill_charges(payer, from_ns, to_ns));
  }
  Result<std::vector<ArchivedCharge>> mandate_charges(const Id128& mandate,
                                                      int64_t from_ns) override {
    return hooked(archive_.mandate_charges(mandate, from_ns));
  }
  Result<bool> has_reference(const Id128& merchant, std::string_view reference) override {
    return archive_.has_reference(merchant, reference);
  }
  Result<uint64_t> count() override { return archive_.count(); }

 private:
  template <typename T>
  T hooked(T read) {
    if (after_read) std::exchange(after_read, nullptr)();
    return read;
  }

  RequestArchive& archive_;
};

class RequestBookArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto wallet = store::sqlite::SqliteWalletRepository::open(directory_.path(), clock_);
    ASSERT_TRUE(wallet.ok()) << wallet.error().message;
    wallet_ = std::move(*wallet);
    auto archive = store::sqlite::SqliteRequestArchive::open(directory_.path(), wallet_->writer());
    ASSERT_TRUE(archive.ok()) << archive.error().message;
    sqlite_ = std::move(*archive);
    hook_ = std::make_unique<ArchiveWithAHook>(*sqlite_);
    book_ = std::make_unique<RequestBook>(hook_.get());
  }

  // A request of `payer` paid from the phone bill at ledger time `ts`.
  void paid(uint64_t n, const Id128& payer, int64_t ts) {
    RequestTerms terms;
    terms.id = Id128{1, n};
    terms.merchant_id = kMerchant;
    terms.merchant_reference = "order-" + std::to_string(n);
    terms.payer_id = wallet::UserId(payer);
    terms.payer_phone_masked = "+86 139 **** 0001";
    terms.amount_minor = 100;
    terms.currency = 156;
    terms.metadata_json = "{}";
    terms.created_at_ns = ts - 10;
    terms.expires_at_ns = ts + 1'000'000;
    ASSERT_TRUE(book_->add(terms, ts - 10).ok());
    StatusChange change;
    change.status = PaymentStatus::succeeded;
    change.funding = FundingSource::phone_bill;
    change.transfer_id = TransferId(Id128{5, n});
    change.amount_minor = 100;
    ASSERT_EQ(book_->apply({encode_status(Id128{3, n}, terms, change), 0, ts}),
              ApplyOutcome::applied);
  }

  size_t archive_all() {
    Result<size_t> archived = book_->archive_quiet(INT64_MAX, 1000);
    EXPECT_TRUE(archived.ok());
    return archived.ok() ? *archived : 0;
  }

  static constexpr Id128 kMerchant{2, 1};
  const Id128 payer_{4, 1};
  testing::TempDirectory directory_;
  ManualClock clock_{kStartNs};
  std::unique_ptr<store::sqlite::SqliteWalletRepository> wallet_;
  std::unique_ptr<store::sqlite::SqliteRequestArchive> sqlite_;
  std::unique_ptr<ArchiveWithAHook> hook_;
  std::unique_ptr<RequestBook> book_;
};

TEST_F(RequestBookArchiveTest, AUsageSumCountsARequestThatLeavesTheBookWhileItReads) {
  paid(1, Id128{4, 9}, 1000);  // another payer's, archived first: the archive is in use
  ASSERT_EQ(archive_all(), 1u);
  for (uint64_t n = 2; n <= 4; ++n) paid(n, payer_, 1000 + static_cast<int64_t>(n));
  ASSERT_EQ(book_->phone_bill_usage(wallet::UserId(payer_), 0, INT64_MAX), 300);

  // The archive's rows are read before the payer's requests are in it, the book after they left.
  hook_->after_read = [&] { EXPECT_EQ(archive_all(), 3u); };
  EXPECT_EQ(book_->phone_bill_usage(wallet::UserId(payer_), 0, INT64_MAX), 300);
  EXPECT_FALSE(book_->holds(Id128{1, 2}));
  EXPECT_EQ(book_->phone_bill_usage(wallet::UserId(payer_), 0, INT64_MAX), 300);
}

TEST_F(RequestBookArchiveTest, AListPageShowsARequestThatLeavesTheBookWhileItReads) {
  paid(1, payer_, 1001);
  ASSERT_EQ(archive_all(), 1u);
  paid(2, payer_, 1002);
  paid(3, payer_, 1003);
  hook_->after_read = [&] { EXPECT_EQ(archive_all(), 2u); };
  std::vector<PaymentRequest> page = book_->list_for_merchant(kMerchant, RequestListQuery{});
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].terms.id, (Id128{1, 1}));
  EXPECT_EQ(page[2].terms.id, (Id128{1, 3}));
}

}  // namespace
}  // namespace mpay::requests
