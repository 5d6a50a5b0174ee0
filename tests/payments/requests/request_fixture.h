// A test fixture for payment requests on their real parts: the wallet stack (ledger, SQLite, key
// files, sandbox bank, SMS outbox; support/wallet_stack.h) and server::RequestService with no
// sweeper thread, so the test calls sweep_due itself while it turns a ManualClock. Merchants come
// from a map; their accounts, the payers and the money are made through the real ledger and wallet.
//
// The commands answer through a `done` callback, usually on the ledger's completer thread; the
// helpers here wait for it with a future. Changes that finish later (bank answers, sweeps) are
// waited for through the service's change listener (wait_until), never with a sleep.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <thread>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "payments/requests/confirm_request.h"
#include "payments/requests/create_request.h"
#include "payments/requests/merchant_actions.h"
#include "payments/requests/merchant_lookup.h"
#include "payments/requests/refunds.h"
#include "payments/requests/request_ledger.h"
#include "payments/wallet/access.h"
#include "payments/wallet/otp.h"
#include "payments/wallet/wallet_ledger.h"
#include "server/request_service.h"
#include "support/ledger_sync.h"
#include "support/temp_directory.h"
#include "support/wallet_stack.h"

namespace mpay::requests {
// gtest prints statuses by name.
inline void PrintTo(PaymentStatus status, std::ostream* out) { *out << status_name(status); }
}  // namespace mpay::requests

namespace mpay::requests::testing {

inline constexpr const char* kPin = "135790";
inline constexpr const char* kWrongPin = "975318";
inline constexpr int64_t kSecondNs = 1'000'000'000;
// 2026-11-18 11:06:40 UTC: mid-month, so a week's turn of the clock stays in November.
inline constexpr int64_t kStartNs = 1'795'000'000LL * kSecondNs;
inline constexpr uint16_t kTestFundingCode = 99;

// Runs a command that answers through a callback and waits for the answer.
template <typename T, typename Start>
std::future<Result<T>> start_command(Start&& start) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  std::future<Result<T>> future = promise->get_future();
  start([promise](Result<T> outcome) { promise->set_value(std::move(outcome)); });
  return future;
}

template <typename T, typename Start>
Result<T> run_command(Start&& start) {
  return start_command<T>(std::forward<Start>(start)).get();
}

// The error code of a result, or "ok": reads well in EXPECT_EQ.
template <typename T>
std::string code_of(const Result<T>& result) {
  return result.ok() ? "ok" : result.error().code;
}

class MapMerchants final : public MerchantLookup {
 public:
  void add(MerchantProfile profile) {
    std::lock_guard lock(mutex_);
    profiles_[profile.id] = std::move(profile);
  }
  std::optional<MerchantProfile> find(const MerchantId& id, uint16_t currency) const override {
    std::lock_guard lock(mutex_);
    auto found = profiles_.find(id);
    if (found == profiles_.end() || currency != currency_) return std::nullopt;
    return found->second;
  }
  void set_currency(uint16_t currency) { currency_ = currency; }

 private:
  mutable std::mutex mutex_;
  uint16_t currency_ = 0;
  std::map<MerchantId, MerchantProfile> profiles_;
};

struct Payer {
  wallet::UserRecord record;
  std::string phone;
  wallet::UserId id() const { return record.id; }
  AccountId wallet() const { return record.wallet_account_id; }
};

class RequestFixture : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void TearDown() override { close(); }

  // Opens the stack and the service on the test's directory (again, after close()).
  void open() {
    stack_ = std::make_unique<mpay::testing::WalletStack>(directory_.path(), clock_, random_, ids_);
    ASSERT_TRUE(stack_->ok()) << stack_->error();
    merchants_.set_currency(currency());
    server::RequestServiceOptions options;
    options.data_directory = directory_.path();
    options.requests = request_options_;
    options.sweep_interval_ms = 0;
    auto service = server::RequestService::open(
        options, stack_->service(), merchants_,
        [this](const PublishedChange& change) { on_change(change); });
    ASSERT_TRUE(service.ok()) << service.error().code << ": " << service.error().message;
    service_ = std::move(*service);
  }

  // Stops the service, then the wallet and the ledger (the order mpayd uses). Completions still
  // queued on the ledger, and the bank's answers to orders still in flight (a pending refund),
  // refer to the service's books, so they run before the service is destroyed.
  void close() {
    if (stack_ && stack_->ok()) {
      settle();
      if (service_) service_->shutdown();
      stack_->service().shutdown();  // the bank answers what is in flight
      settle();                      // and the ledger completes what the answers submitted
    }
    service_.reset();
    stack_.reset();
  }

  void reopen() {
    close();
    open();
  }

  RequestContext& context() { return service_->context(); }
  wallet::WalletContext& wallet_context() { return stack_->wallet(); }
  ledger::Ledger& ledger() { return stack_->ledger(); }
  uint16_t currency() { return stack_->wallet().currency.numeric; }

  // --- people and money ---

  Payer sign_up_payer(const std::string& phone) {
    std::string address = "10.0.0." + std::to_string(++users_signed_up_);
    Status sent = wallet::request_otp(wallet_context(), phone, address);
    EXPECT_TRUE(sent.ok()) << sent.error().message;
    std::string code;
    for (const nlohmann::json& line : sms_to(phone)) {
      std::smatch match;
      std::string text = line["text"];
      if (std::regex_search(text, match, std::regex("code (\\d{6})"))) code = match[1];
    }
    Result<wallet::UserRecord> user =
        wallet::sign_up(wallet_context(), {phone, code, kPin, "phone-" + phone});
    EXPECT_TRUE(user.ok()) << user.error().code;
    if (!user.ok()) return {};
    return Payer{*user, phone};
  }

  // SMS written by the ledger's completer reach the outbox when its round of completions is done,
  // which may be just after a completion answered: waits up to 5 s for one with `purpose` (and
  // `text_part` in its text), then returns every SMS to `phone` (empty if none came).
  std::vector<nlohmann::json> wait_for_sms(const std::string& phone, const std::string& purpose,
                                           const std::string& text_part = "") {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (true) {
      std::vector<nlohmann::json> lines = sms_to(phone);
      for (const nlohmann::json& line : lines) {
        if (line["purpose"] == purpose &&
            line["text"].get<std::string>().find(text_part) != std::string::npos) {
          return lines;
        }
      }
      if (std::chrono::steady_clock::now() >= deadline) return {};
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  // Every SMS sent to `phone`, oldest first (the outbox is DATA/sms-outbox.jsonl).
  std::vector<nlohmann::json> sms_to(const std::string& phone) {
    std::vector<nlohmann::json> lines;
    std::ifstream in(directory_.path() + "/sms-outbox.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json parsed = nlohmann::json::parse(line);
      if (parsed["to"] == phone) lines.push_back(parsed);
    }
    return lines;
  }

  MerchantId add_merchant(const std::string& name, uint32_t fee_bps) {
    MerchantProfile profile;
    profile.id = ids_.next();
    profile.display_name = name;
    profile.fee_bps = fee_bps;
    profile.account = AccountId(ids_.next());
    ledger::Account account;
    account.id = profile.account;
    account.currency = currency();
    account.kind = ledger::AccountKind::merchant;
    account.flags = ledger::account_flags::debits_must_not_exceed_credits;
    auto outcomes = mpay::testing::create_accounts_sync(ledger(), {account});
    EXPECT_EQ(outcomes.size(), 1u);
    EXPECT_TRUE(!outcomes.empty() && outcomes[0].result == 0);
    merchants_.add(profile);
    accounts_.push_back(profile.account);
    return profile.id;
  }

  AccountId merchant_account(const MerchantId& merchant) {
    return merchants_.find(merchant, currency())->account;
  }

  // Pays `amount_minor` into `account` from a system account made for the test (a plain transfer).
  void fund(const AccountId& account, int64_t amount_minor) {
    if (funding_account_.value() == Id128{}) {
      funding_account_ = AccountId(ids_.next());
      ledger::Account system;
      system.id = funding_account_;
      system.currency = currency();
      system.kind = ledger::AccountKind::system;
      auto created = mpay::testing::create_accounts_sync(ledger(), {system});
      ASSERT_EQ(created.size(), 1u);
      ASSERT_EQ(created[0].result, 0);
    }
    ledger::Transfer transfer;
    transfer.id = TransferId(ids_.next());
    transfer.debit_account_id = funding_account_;
    transfer.credit_account_id = account;
    transfer.amount = amount_minor;
    transfer.currency = currency();
    transfer.code = kTestFundingCode;
    auto outcomes = mpay::testing::create_transfers_sync(ledger(), {transfer});
    ASSERT_EQ(outcomes.size(), 1u);
    ASSERT_EQ(outcomes[0].result, 0);
  }

  // Posted balance: credits less debits.
  int64_t balance(const AccountId& account) {
    std::optional<ledger::AccountState> state = ledger().lookup_account(account);
    if (!state) return 0;
    return state->balances.credits_posted - state->balances.debits_posted;
  }

  int64_t available(const Payer& payer) {
    Result<wallet::WalletBalance> found = wallet::wallet_balance(ledger(), payer.wallet());
    EXPECT_TRUE(found.ok());
    return found.ok() ? found->available_minor : -1;
  }

  int64_t posted(const Payer& payer) {
    Result<wallet::WalletBalance> found = wallet::wallet_balance(ledger(), payer.wallet());
    EXPECT_TRUE(found.ok());
    return found.ok() ? found->posted_minor : -1;
  }

  AccountId fee_income() { return fee_income_account_id(currency()); }
  AccountId bank_clearing() { return wallet_context().bank_clearing_account; }

  // Posted and pending balances over every account the test knows add up to zero: money is only
  // ever moved, never made. `extra` names accounts made by the code under test.
  void expect_money_conserved(const std::vector<AccountId>& payers_and_extra = {}) {
    std::vector<AccountId> all = accounts_;
    all.insert(all.end(), payers_and_extra.begin(), payers_and_extra.end());
    all.push_back(funding_account_);
    all.push_back(fee_income());
    all.push_back(bank_clearing());
    int64_t posted_sum = 0, pending_sum = 0;
    for (const AccountId& id : all) {
      std::optional<ledger::AccountState> state = ledger().lookup_account(id);
      if (!state) continue;
      posted_sum += state->balances.credits_posted - state->balances.debits_posted;
      pending_sum += state->balances.credits_pending - state->balances.debits_pending;
    }
    EXPECT_EQ(posted_sum, 0);
    EXPECT_EQ(pending_sum, 0);
  }

  // --- the commands, waited for ---

  Result<PaymentRequest> create(const MerchantId& merchant, const Payer& payer,
                                const std::string& amount,
                                CaptureMode capture = CaptureMode::automatic,
                                std::optional<Id128> mandate = std::nullopt) {
    NewRequest request;
    request.payer_phone = payer.phone;
    request.amount = amount;
    request.currency = "CNY";
    request.description = "order";
    request.merchant_reference = "ref-" + std::to_string(++references_);
    request.capture = capture;
    request.mandate_id = mandate;
    return run_command<PaymentRequest>(
        [&](RequestDone done) { create_payment_request(context(), merchant, request, done); });
  }

  // A request created and known good: the id, for tests about what follows.
  Id128 create_ok(const MerchantId& merchant, const Payer& payer, const std::string& amount,
                  CaptureMode capture = CaptureMode::automatic) {
    Result<PaymentRequest> created = create(merchant, payer, amount, capture);
    EXPECT_TRUE(created.ok()) << code_of(created);
    return created.ok() ? created->terms.id : Id128{};
  }

  Result<PaymentRequest> confirm(const Payer& payer, const Id128& request,
                                 const std::string& funding = "wallet",
                                 const std::string& pin = kPin,
                                 std::optional<Id128> bank_account = std::nullopt) {
    Confirmation confirmation{pin, funding, bank_account};
    return run_command<PaymentRequest>([&](RequestDone done) {
      confirm_payment_request(context(), payer.id(), request, confirmation, done);
    });
  }

  Result<PaymentRequest> decline(const Payer& payer, const Id128& request) {
    return run_command<PaymentRequest>(
        [&](RequestDone done) { decline_payment_request(context(), payer.id(), request, done); });
  }

  Result<PaymentRequest> cancel(const MerchantId& merchant, const Id128& request) {
    return run_command<PaymentRequest>(
        [&](RequestDone done) { cancel_payment_request(context(), merchant, request, done); });
  }

  Result<PaymentRequest> capture(const MerchantId& merchant, const Id128& request,
                                 std::optional<int64_t> amount_minor) {
    return run_command<PaymentRequest>([&](RequestDone done) {
      capture_payment_request(context(), merchant, request, amount_minor, done);
    });
  }

  Result<PaymentRequest> void_authorization(const MerchantId& merchant, const Id128& request) {
    return run_command<PaymentRequest>(
        [&](RequestDone done) { void_payment_request(context(), merchant, request, done); });
  }

  Result<RefundRecord> refund(const MerchantId& merchant, const Id128& request,
                              int64_t amount_minor) {
    RefundRequest refund_request{amount_minor, "returned goods"};
    return run_command<RefundRecord>([&](RefundDone done) {
      refund_payment_request(context(), merchant, request, refund_request, done);
    });
  }

  PaymentRequest get(const Id128& request) {
    std::optional<PaymentRequest> found = context().book.get(request);
    EXPECT_TRUE(found.has_value());
    return found.value_or(PaymentRequest{});
  }

  PaymentStatus status(const Id128& request) { return get(request).state.status; }

  // When the ledger itself times out an authorization's hold (its pending transfer's timeout,
  // an hour past the authorization's deadline): from then on a void of it is refused.
  int64_t hold_times_out_at_ns(const Id128& request) {
    Result<std::optional<ledger::TransferRecord>> hold =
        ledger().lookup_transfer(get(request).state.hold_id);
    EXPECT_TRUE(hold.ok() && hold->has_value());
    if (!hold.ok() || !hold->has_value()) return 0;
    const ledger::JournalEntry& entry = (*hold)->entry;
    EXPECT_NE(entry.timeout_s, 0u);
    return entry.timestamp + int64_t{entry.timeout_s} * kSecondNs;
  }

  // How the ledger resolved an authorization's hold (expired: by its own timeout).
  ledger::PendingStatus hold_status(const Id128& request) {
    Result<std::optional<ledger::TransferRecord>> hold =
        ledger().lookup_transfer(get(request).state.hold_id);
    EXPECT_TRUE(hold.ok() && hold->has_value());
    return hold.ok() && hold->has_value() ? (*hold)->status : ledger::PendingStatus::none;
  }

  // Whether a change of `request` to `status` was published (what its webhook is made from).
  bool published(const Id128& request, PaymentStatus status) {
    for (const PublishedChange& change : changes()) {
      const ledger::AppEvent& event = change.event.event;
      if (change.request.terms.id == request && event.kind == event_kinds::payment_status &&
          static_cast<PaymentStatus>(event.status) == status) {
        return true;
      }
    }
    return false;
  }

  // Waits until `done()` holds, re-checking after each published change; false after a generous
  // bound (so a broken test fails instead of hanging; the bound is not a timing assertion).
  template <typename Predicate>
  bool wait_until(Predicate done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::unique_lock lock(changes_mutex_);
    while (true) {
      size_t seen = changes_.size();
      lock.unlock();
      if (done()) return true;  // the book is updated before its change is published
      lock.lock();
      if (!changes_cv_.wait_until(lock, deadline, [&] { return changes_.size() != seen; })) {
        return false;
      }
    }
  }

  // Waits until the completions already queued on the ledger's completer thread have run (they run
  // in order), so that a request whose change was just published is no longer claimed.
  void settle() {
    ledger::Account marker;
    marker.id = AccountId(ids_.next());
    marker.currency = currency();
    marker.kind = ledger::AccountKind::system;
    mpay::testing::create_accounts_sync(ledger(), {marker});
  }

  bool wait_for_status(const Id128& request, PaymentStatus wanted) {
    bool reached = wait_until([&] {
      std::optional<PaymentRequest> found = context().book.get(request);
      return found && found->state.status == wanted;
    });
    settle();
    return reached;
  }

  size_t changes_seen() {
    std::lock_guard lock(changes_mutex_);
    return changes_.size();
  }
  // Every change the listener got, across reopen(), in order.
  std::vector<PublishedChange> changes() {
    std::lock_guard lock(changes_mutex_);
    return changes_;
  }

  mpay::testing::TempDirectory directory_;
  ManualClock clock_{kStartNs};
  SeededRandom random_{42};
  UuidV7Generator ids_{clock_, random_};
  RequestOptions request_options_;
  MapMerchants merchants_;
  std::vector<AccountId> accounts_;  // merchants (payers are passed to expect_money_conserved)
  std::unique_ptr<mpay::testing::WalletStack> stack_;
  std::unique_ptr<server::RequestService> service_;

 private:
  void on_change(const PublishedChange& change) {
    {
      std::lock_guard lock(changes_mutex_);
      changes_.push_back(change);
    }
    changes_cv_.notify_all();
  }

  AccountId funding_account_;
  int users_signed_up_ = 0;
  int references_ = 0;
  std::mutex changes_mutex_;
  std::condition_variable changes_cv_;
  std::vector<PublishedChange> changes_;
};

}  // namespace mpay::requests::testing
