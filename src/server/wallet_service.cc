#include "server/wallet_service.h"

#include <spdlog/spdlog.h>

#include "core/currency.h"
#include "payments/wallet/bank_orders.h"
#include "payments/wallet/wallet_ledger.h"

namespace mpay::server {
namespace {

Result<std::unique_ptr<security::KeyRing>> open_keys(const std::string& directory, std::string_view purpose,
                                                     RandomSource& random) {
  Result<security::KeyRing> ring = security::KeyRing::open(directory, purpose, random);
  if (!ring.ok()) return ring.error();
  return std::make_unique<security::KeyRing>(std::move(ring).value());
}

}  // namespace

Result<std::unique_ptr<WalletService>> WalletService::open(const WalletServiceOptions& options,
                                                           ledger::Ledger& ledger, Clock& clock,
                                                           RandomSource& random, UuidV7Generator& ids) {
  std::optional<Currency> currency = currency_by_code(options.wallet.currency);
  if (!currency) return Error("currency_unknown", "--currency is not an ISO 4217 code");
  std::unique_ptr<WalletService> service(new WalletService());
  service->options_ = options;

  for (auto [ring, purpose] : {std::pair{&service->pin_keys_, "pin"}, std::pair{&service->pii_keys_, "pii"},
                               std::pair{&service->lookup_keys_, "lookup"},
                               std::pair{&service->token_keys_, "token"}}) {
    auto opened = open_keys(options.keys_directory, purpose, random);
    if (!opened.ok()) return opened.error();
    *ring = std::move(opened).value();
  }
  service->pins_ = std::make_unique<security::PinHasher>(*service->pin_keys_);
  service->sealer_ = std::make_unique<security::Sealer>(*service->pii_keys_, random);

  auto repository = store::sqlite::SqliteWalletRepository::open(options.data_directory, clock);
  if (!repository.ok()) return repository.error();
  service->repository_ = std::move(repository).value();
  service->users_ = std::make_unique<wallet::UserDirectory>(*service->repository_);
  service->sessions_ = std::make_unique<wallet::SessionCache>(*service->repository_);
  service->phones_ = std::make_unique<PhoneNumbers>(options.wallet.default_region);
  service->phone_cache_ = std::make_unique<wallet::PhoneCache>();
  service->spending_ = std::make_unique<wallet::SpendingTracker>(options.wallet.utc_offset_minutes);
  service->balance_caps_ = std::make_unique<wallet::BalanceCapGuard>();
  service->locks_ = std::make_unique<wallet::UserLocks>();
  service->kyc_ = std::make_unique<identity::SandboxKycVerifier>();
  auto sms = notify::OutboxSmsSender::open(options.data_directory + "/sms-outbox.jsonl", clock);
  if (!sms.ok()) return sms.error();
  service->sms_ = std::move(sms).value();
  service->background_ = std::make_unique<wallet::BackgroundWorker>();
  service->notices_ = std::make_unique<wallet::TransferNotices>(*service->sms_, *service->background_, *currency);

  bank::SandboxBankOptions bank_options;
  bank_options.statement_directory = options.data_directory + "/sandbox-bank";
  bank_options.latency_ms = options.bank_latency_ms;
  bank_options.answer_timeout_ms = options.bank_answer_timeout_ms;
  bank_options.account_currency = std::string(currency->code);
  auto bank = bank::SandboxBank::open(bank_options, clock, random);
  if (!bank.ok()) return bank.error();
  service->bank_ = std::move(bank).value();

  Status system = wallet::ensure_system_accounts(ledger, currency->numeric);
  if (!system.ok()) return system.error();
  service->context_.reset(new wallet::WalletContext{
      *service->repository_, *service->users_, *service->sessions_, ledger, *service->lookup_keys_,
      *service->token_keys_, *service->pins_, *service->sealer_, *service->kyc_, *service->bank_,
      *service->sms_, *service->phones_, *service->phone_cache_, clock, random, ids, service->options_.wallet,
      *service->spending_, *service->balance_caps_, *service->locks_, *service->background_, *service->notices_, *currency,
      wallet::bank_clearing_account_id(currency->numeric)});

  Result<size_t> reconciled = wallet::reconcile_bank_orders(*service->context_);
  if (!reconciled.ok()) return reconciled.error();
  if (*reconciled > 0) spdlog::info("wallet: {} pending bank orders reconciled", *reconciled);
  spdlog::warn("wallet: bank connector is {}; KYC verifier is the sandbox (not for production)",
               service->bank_->connector_name());
  return service;
}

void WalletService::shutdown() {
  bank_.reset();  // answers or times out what is in flight; the answers go to the background worker
  if (background_) background_->drain();
}

WalletService::~WalletService() { shutdown(); }

}  // namespace mpay::server
