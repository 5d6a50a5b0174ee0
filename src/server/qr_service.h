// The QR channel's parts, built and owned in one place for mpayd: the code repository and the
// payment-code device repository on mpay.db (sharing the wallet repository's writer), the
// in-memory book of codes, the payment-code devices and their verifier, the options and the
// public base URL, and the context the routes use. Wiring only; the behaviour lives in
// src/channels/qr.
#pragma once

#include <memory>

#include "channels/qr/qr_context.h"
#include "server/request_service.h"
#include "server/wallet_service.h"
#include "store/sqlite/sqlite_payment_code_repository.h"
#include "store/sqlite/sqlite_qr_repository.h"

namespace mpay::server {

struct QrServiceOptions {
  std::string data_directory;
  qr::QrOptions qr;
  qr::PaymentCodeOptions payment_codes;
};

class QrService {
 public:
  // Loads every code, limit and device.
  static Result<std::unique_ptr<QrService>> open(const QrServiceOptions& options,
                                                 WalletService& wallet, RequestService& requests);

  qr::QrContext& context() { return *context_; }
  // Where phones reach mpayd (the URL form of codes); set once the port is known.
  void set_public_base_url(std::string url) { public_url_.set(std::move(url)); }

 private:
  QrService() = default;

  QrServiceOptions options_;
  qr::PublicBaseUrl public_url_;
  std::unique_ptr<store::sqlite::SqliteQrRepository> repository_;
  std::unique_ptr<store::sqlite::SqlitePaymentCodeRepository> device_repository_;
  std::unique_ptr<qr::MerchantCodeBook> book_;
  std::unique_ptr<qr::PaymentCodeDevices> devices_;
  std::unique_ptr<qr::PaymentCodeVerifier> verifier_;
  std::unique_ptr<qr::QrContext> context_;
};

}  // namespace mpay::server
