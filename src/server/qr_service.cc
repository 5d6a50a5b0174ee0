#include "server/qr_service.h"

#include <spdlog/spdlog.h>

namespace mpay::server {

Result<std::unique_ptr<QrService>> QrService::open(const QrServiceOptions& options,
                                                   WalletService& wallet,
                                                   RequestService& requests) {
  std::unique_ptr<QrService> service(new QrService());
  service->options_ = options;
  wallet::WalletContext& wallet_context = wallet.context();
  service->repository_ = std::make_unique<store::sqlite::SqliteQrRepository>(
      options.data_directory, wallet.repository().writer());
  service->device_repository_ = std::make_unique<store::sqlite::SqlitePaymentCodeRepository>(
      options.data_directory, wallet.repository().writer());
  service->book_ = std::make_unique<qr::MerchantCodeBook>();
  size_t codes = 0;
  Status loaded = service->repository_->load(
      [&](qr::MerchantCode code) {
        service->book_->put(code);
        ++codes;
      },
      [&](wallet::UserId user, int64_t limit_minor) {
        service->book_->set_payment_code_limit(user, limit_minor);
      });
  if (!loaded.ok()) return loaded.error();
  Result<std::unique_ptr<qr::PaymentCodeDevices>> devices = qr::PaymentCodeDevices::open(
      *service->device_repository_, wallet_context.sealer, wallet_context.random,
      wallet_context.ids, options.payment_codes);
  if (!devices.ok()) return devices.error();
  service->devices_ = std::move(*devices);
  service->verifier_ = std::make_unique<qr::PaymentCodeVerifier>(*service->devices_);
  service->context_ = std::make_unique<qr::QrContext>(
      qr::QrContext{requests.context(), *service->repository_, *service->book_, *service->devices_,
                    *service->verifier_, service->options_.qr, service->public_url_});
  spdlog::info("qr: {} merchant codes loaded", codes);
  return service;
}

}  // namespace mpay::server
