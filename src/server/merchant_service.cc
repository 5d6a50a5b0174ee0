#include "server/merchant_service.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

namespace mpay::server {
namespace {

// Operator actions on merchants go to the same hash-chained log as those on users.
class WalletAuditLog final : public merchant::OperatorAuditLog {
 public:
  explicit WalletAuditLog(wallet::WalletRepository& repository) : repository_(repository) {}
  Status append(const merchant::AuditEvent& event) override {
    wallet::AuditEntry entry;
    entry.at_ns = event.at_ns;
    entry.actor = event.call.actor;
    entry.action = event.action;
    entry.target = event.target;
    entry.remote_address = event.call.remote_address;
    entry.request_id = event.call.request_id;
    entry.details = event.details;
    return repository_.append_audit(entry);
  }

 private:
  wallet::WalletRepository& repository_;
};

// Sleeps until `clock` has left second `second_s`, so that requests a merchant signs with an
// accurate clock once mpayd serves are never in the refused start second. At most 1 s, once.
void wait_out_second(Clock& clock, int64_t second_s) {
  int64_t left_ns = (second_s + 1) * 1'000'000'000 - clock.now_ns();
  if (left_ns > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(left_ns));
}

}  // namespace

Result<std::unique_ptr<MerchantService>> MerchantService::open(const MerchantServiceOptions& options,
                                                               ledger::Ledger& ledger, wallet::WalletContext& wallet,
                                                               Clock& clock, RandomSource& random,
                                                               UuidV7Generator& ids) {
  std::unique_ptr<MerchantService> service(new MerchantService());
  // Read before anything is served: requests signed in this second or before are refused, since
  // the process before may have accepted them (restarts, request_verifier.h).
  int64_t started_at_s = clock.now_ns() / 1'000'000'000;
  auto repository = store::sqlite::SqliteMerchantRepository::open(options.data_directory, clock);
  if (!repository.ok()) return repository.error();
  service->repository_ = std::move(repository).value();
  auto directory = merchant::MerchantDirectory::load(*service->repository_, wallet.sealer);
  if (!directory.ok()) return directory.error();
  service->directory_ = std::move(directory).value();
  service->nonces_ = std::make_unique<merchant::NonceMemory>(options.nonces, random);
  service->verifier_ = std::make_unique<merchant::RequestVerifier>(*service->directory_, *service->nonces_,
                                                                   *service->repository_, clock, started_at_s);
  service->audit_ = std::make_unique<WalletAuditLog>(wallet.repository);
  service->context_.reset(new merchant::MerchantContext{*service->repository_, *service->directory_,
                                                        *service->verifier_, ledger, wallet.sealer, *service->audit_,
                                                        clock, random, ids, wallet.currency, {},
                                                        options.webhook_url_policy});
  wait_out_second(clock, started_at_s);
  return service;
}

MerchantService::~MerchantService() = default;

}  // namespace mpay::server
