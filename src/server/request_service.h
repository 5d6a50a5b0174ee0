// Payment requests' parts, built and owned in one place for mpayd: the repository on mpay.db
// (sharing the wallet repository's writer), the in-memory books, the context, start-up recovery
// from the journal, and the sweeper thread that expires requests and lapsed authorizations and
// moves final, quiet requests to the archive.
// Wiring only; the behaviour lives in src/payments/requests.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "payments/requests/request_context.h"
#include "payments/requests/request_recovery.h"
#include "server/wallet_service.h"
#include "store/sqlite/sqlite_request_archive.h"
#include "store/sqlite/sqlite_request_repository.h"

namespace mpay::server {

struct RequestServiceOptions {
  std::string data_directory;
  requests::RequestOptions requests;
  uint32_t sweep_interval_ms = 1000;  // 0: no sweeper thread (tests call sweep_due themselves)
  // A request final (and without a pending refund) for this long leaves memory for the archive
  // in mpay.db at the next sweep; 0: never. A day by default: the start's republish of webhook
  // changes (at least a day back) then finds every recent request in memory.
  int64_t archive_after_s = 86400;
  int64_t republish_window_ns = 24LL * 3600 * 1'000'000'000;
};

class RequestService {
 public:
  // Loads and recovers (the ledger must be open), then starts the sweeper.
  static Result<std::unique_ptr<RequestService>> open(const RequestServiceOptions& options,
                                                      WalletService& wallet,
                                                      const requests::MerchantLookup& merchants,
                                                      requests::ChangeListener on_change);
  ~RequestService();

  requests::RequestContext& context() { return *context_; }
  const requests::RecoveryReport& recovery() const { return recovery_; }
  // Stops the sweeper; call before the wallet and the ledger stop.
  void shutdown();

 private:
  RequestService() = default;
  void sweep_loop();
  void archive_quiet_requests();
  bool stopping();

  RequestServiceOptions options_;
  std::unique_ptr<store::sqlite::SqliteRequestRepository> repository_;
  std::unique_ptr<store::sqlite::SqliteRequestArchive> archive_;
  std::unique_ptr<requests::RequestBook> book_;
  std::unique_ptr<requests::MandateBook> mandates_;
  std::unique_ptr<requests::CarrierBook> carriers_;
  std::unique_ptr<requests::RequestContext> context_;
  requests::RecoveryReport recovery_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread sweeper_;
  size_t archived_since_report_ = 0;  // the sweeper's: archiving is logged once a minute
  int64_t archive_reported_at_ns_ = 0;
};

}  // namespace mpay::server
