// Everything the QR commands need, passed explicitly: the payment-request context (wallet,
// merchants, books, ledger), this channel's repository and book, the payment-code devices and
// their verifier, and the options. Built once by mpayd's wiring (src/server/qr_service.h); the
// referenced objects must outlive it. The commands are free functions over it, one file each.
#pragma once

#include "channels/qr/merchant_code_book.h"
#include "channels/qr/payment_code/payment_code_devices.h"
#include "channels/qr/payment_code/payment_code_verifier.h"
#include "channels/qr/qr_options.h"
#include "channels/qr/qr_repository.h"
#include "payments/requests/request_context.h"

namespace mpay::qr {

struct QrContext {
  requests::RequestContext& requests;
  QrRepository& repository;
  MerchantCodeBook& book;
  PaymentCodeDevices& devices;
  PaymentCodeVerifier& verifier;
  const QrOptions& options;
  const PublicBaseUrl& public_url;
};

}  // namespace mpay::qr
