// Where payment requests keep what is not in the journal (src/store/sqlite implements it on
// mpay.db): the terms of each refund as created, mandates, the carrier of each subscriber, and the
// bank pulls that were started (so that a restart can finish them). Statuses are never stored
// here, and the terms of new requests neither: both live in the ledger journal
// (request_events.h). Requests created before the terms moved there still have theirs here.
//
// Every write is durable when it returns ok. Everything is loaded once at start-up and then kept
// in memory (request_book.h), so there are no per-request reads. Thread-safe; calls block.
// Errors: "store_error", "already_exists" (field names the rule: "merchant_reference").
#pragma once

#include <functional>
#include <string>

#include "core/error.h"
#include "payments/requests/request_records.h"

namespace mpay::requests {

// A confirmation paid from the bank that was handed to the bank connector.
struct BankPull {
  Id128 request_id;
  Id128 bank_account_id;
  std::string reference;  // the bank order reference (idempotency key at the bank)
  int64_t started_at_ns = 0;
};

class RequestRepository {
 public:
  virtual ~RequestRepository() = default;

  // The way requests were stored before their terms moved into the journal; mpayd no longer
  // calls it (kept so that tests can stand for the data of an older mpayd, which load() reads).
  virtual Status insert_request(const RequestTerms& terms) = 0;
  virtual Status insert_refund(const RefundRecord& refund) = 0;  // id, request, amount, reason, time
  virtual Status insert_mandate(const MandateRecord& mandate) = 0;
  virtual Status revoke_mandate(const Id128& id, int64_t revoked_at_ns) = 0;
  virtual Status set_carrier(const wallet::UserId& user, const std::string& carrier,
                             int64_t at_ns) = 0;
  // Records the pull about to be sent for a request, replacing an earlier one of the same request
  // (only one pull of a request is ever in flight: its claim is held until the bank answers).
  virtual Status insert_bank_pull(const BankPull& pull) = 0;
  // Forgets the pull of a request that the bank refused at once (never sent: nothing to resume).
  virtual Status delete_bank_pull(const Id128& request_id) = 0;
  // The pull that paid a request (std::nullopt when none was recorded); refunds go back to its
  // account.
  virtual Result<std::optional<BankPull>> bank_pull_of(const Id128& request_id) = 0;

  // Start-up: everything, oldest first.
  virtual Status load(const std::function<void(RequestTerms)>& request,
                      const std::function<void(RefundRecord)>& refund,
                      const std::function<void(MandateRecord)>& mandate,
                      const std::function<void(wallet::UserId, std::string)>& carrier,
                      const std::function<void(BankPull)>& bank_pull) = 0;
};

}  // namespace mpay::requests
