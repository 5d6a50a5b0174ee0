#include "server/request_service.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "payments/requests/request_events.h"
#include "payments/requests/request_expiry.h"

namespace mpay::server {

Result<std::unique_ptr<RequestService>> RequestService::open(
    const RequestServiceOptions& options, WalletService& wallet,
    const requests::MerchantLookup& merchants, requests::ChangeListener on_change) {
  Status fits = requests::check_terms_fit_the_journal(options.requests);
  if (!fits.ok()) return fits.error();
  std::unique_ptr<RequestService> service(new RequestService());
  service->options_ = options;
  service->repository_ = std::make_unique<store::sqlite::SqliteRequestRepository>(
      options.data_directory, wallet.repository().writer());
  auto archive = store::sqlite::SqliteRequestArchive::open(options.data_directory,
                                                           wallet.repository().writer());
  if (!archive.ok()) return archive.error();
  service->archive_ = std::move(*archive);
  service->book_ =
      std::make_unique<requests::RequestBook>(service->archive_.get(), options.archive_after_s > 0);
  service->mandates_ = std::make_unique<requests::MandateBook>();
  service->carriers_ = std::make_unique<requests::CarrierBook>();
  service->context_ = std::make_unique<requests::RequestContext>(requests::RequestContext{
      wallet.context(), *service->repository_, merchants, *service->book_, *service->mandates_,
      *service->carriers_, service->options_.requests, std::move(on_change)});
  Result<requests::RecoveryReport> recovered =
      requests::recover_requests(*service->context_, options.republish_window_ns);
  if (!recovered.ok()) return recovered.error();
  service->recovery_ = *recovered;
  if (options.sweep_interval_ms > 0) {
    service->sweeper_ = std::thread([raw = service.get()] {
      pthread_setname_np(pthread_self(), "request-sweep");
      raw->sweep_loop();
    });
  }
  return service;
}

RequestService::~RequestService() { shutdown(); }

void RequestService::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
}

bool RequestService::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void RequestService::sweep_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(options_.sweep_interval_ms));
    if (stopping_) break;
    lock.unlock();
    size_t changed = requests::sweep_due(*context_);
    if (changed > 0) spdlog::info("payment requests: {} expired or voided", changed);
    archive_quiet_requests();
    lock.lock();
  }
}

void RequestService::archive_quiet_requests() {
  // Batches of 10,000 (the book is locked once per batch to pick and once to forget; each batch's
  // rows are one synced write), for at most half a second a sweep: a backlog (the first start
  // after an upgrade) drains over several sweeps while expiries keep about their pace, a steady
  // 8,000 payments a second is kept up with, and a shutdown waits for one batch at most.
  constexpr size_t kBatchMax = 10'000;
  constexpr auto kSweepBudget = std::chrono::milliseconds(500);
  if (options_.archive_after_s <= 0) return;
  const int64_t now = context_->wallet.clock.now_ns();
  const auto deadline = std::chrono::steady_clock::now() + kSweepBudget;
  while (!stopping()) {
    Result<size_t> archived =
        book_->archive_quiet(now - options_.archive_after_s * 1'000'000'000, kBatchMax);
    if (!archived.ok()) {
      spdlog::error(
          "payment requests: archiving failed ({}); they stay in memory and are tried "
          "again",
          archived.error().message);
      return;
    }
    archived_since_report_ += *archived;
    if (*archived < kBatchMax || std::chrono::steady_clock::now() >= deadline) break;
  }
  if (archived_since_report_ == 0 || now - archive_reported_at_ns_ < 60'000'000'000) return;
  spdlog::info("payment requests: {} archived since the last report, {} in memory",
               archived_since_report_, book_->size());
  archived_since_report_ = 0;
  archive_reported_at_ns_ = now;
}

}  // namespace mpay::server
