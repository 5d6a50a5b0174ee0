// Everything the payment-request commands need, passed explicitly: the wallet context (users,
// PINs, ledger, bank, SMS, clock, ids), this module's stores and books, the merchants, the
// options, and who to tell about status changes (webhooks). Built once by mpayd's wiring; the
// referenced objects must outlive it. The commands are free functions over it, one file each.
#pragma once

#include <functional>
#include <optional>

#include "ledger/storage.h"
#include "payments/requests/carrier_book.h"
#include "payments/requests/mandate_book.h"
#include "payments/requests/merchant_lookup.h"
#include "payments/requests/request_book.h"
#include "payments/requests/request_options.h"
#include "payments/requests/request_repository.h"
#include "payments/wallet/wallet_context.h"

namespace mpay::requests {

// A durable change, as listeners see it: the request after the event, the refund it concerns
// (refund events), and the event with its ledger time. `republished`: published again at start
// (a recent change that listeners may have seen before the restart), not new.
struct PublishedChange {
  PaymentRequest request;
  std::optional<RefundRecord> refund;
  ledger::AppEventRecord event;
  bool republished = false;
};
using ChangeListener = std::function<void(const PublishedChange&)>;

struct RequestContext {
  wallet::WalletContext& wallet;
  RequestRepository& repository;
  const MerchantLookup& merchants;
  RequestBook& book;
  MandateBook& mandates;
  CarrierBook& carriers;
  const RequestOptions& options;
  // Called after each applied change, on the ledger's completer thread (or at start-up for
  // recent ones): must be quick. May be empty.
  ChangeListener on_change;
};

}  // namespace mpay::requests
