// Where final, quiet payment requests go when they leave memory (request_book.h keeps the rest):
// one row per request with its terms, its state and its refunds, and the ledger transfers that
// name it. src/store/sqlite implements it on mpay.db.
//
// The book answers from here when it misses (gets, lists, usage sums, a merchant reference
// already used), and loads a request back when an action (a late refund) needs it. A request
// may be in both for a while (written here, then forgotten by the book; or loaded back): the
// book's copy is the newer one and wins.
//
// Start-up reads the journal's events from the replay mark on, not from the beginning: every
// event before the mark is reflected in a row here. An event of an archived request that is newer
// than its row's last_event_ts loads it back into the book (a refund the row missed).
//
// Thread-safe; calls block. Every write is durable when it returns ok. Errors: "store_error".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "payments/requests/request_list_query.h"
#include "payments/requests/request_records.h"

namespace mpay::requests {

struct ArchivedRequest {
  PaymentRequest request;
  std::vector<RefundRecord> refunds;    // every refund of it, settled, oldest first
  std::vector<TransferId> transfers;    // its payment, capture and refund transfers (carrier bills)
  int64_t last_event_ts = 0;            // ledger time of the newest event its state reflects
};

// One archived request's share of a usage sum (what it charged, less refunds).
struct ArchivedCharge {
  Id128 request_id;
  int64_t amount_minor = 0;
};

class RequestArchive {
 public:
  virtual ~RequestArchive() = default;

  // Writes these requests (replacing rows of the same ids, and their refunds and transfers) in
  // one transaction.
  virtual Status put(std::span<const ArchivedRequest> requests) = 0;
  // The replay mark: the ledger time from which start-up reads the journal's events. 0 (read
  // everything) until set.
  virtual Status set_replay_from(int64_t ledger_ts) = 0;
  virtual Result<int64_t> replay_from() = 0;

  virtual Result<std::optional<ArchivedRequest>> get(const Id128& id) = 0;
  // The row's last_event_ts, or std::nullopt when the request is not archived (a cheap probe).
  virtual Result<std::optional<int64_t>> last_event_ts(const Id128& id) = 0;
  virtual Result<std::optional<RefundRecord>> refund(const Id128& refund_id) = 0;
  virtual Result<std::optional<Id128>> request_of_transfer(const TransferId& transfer) = 0;
  // By id ascending, after query.after, at most query.limit rows that pass the filters.
  virtual Result<std::vector<PaymentRequest>> list_for_merchant(const Id128& merchant,
                                                                const RequestListQuery& query) = 0;
  virtual Result<std::vector<PaymentRequest>> list_for_payer(const Id128& payer,
                                                             const RequestListQuery& query) = 0;
  // The payer's requests funded by the phone bill and charged in [from_ns, to_ns) (by
  // RequestState::charged_at_ns), succeeded or captured: captured less refunded.
  virtual Result<std::vector<ArchivedCharge>> phone_bill_charges(const Id128& payer,
                                                                 int64_t from_ns,
                                                                 int64_t to_ns) = 0;
  // The mandate's succeeded requests charged from `from_ns` on: captured less refunded.
  virtual Result<std::vector<ArchivedCharge>> mandate_charges(const Id128& mandate,
                                                              int64_t from_ns) = 0;
  virtual Result<bool> has_reference(const Id128& merchant, std::string_view reference) = 0;
  virtual Result<uint64_t> count() = 0;
};

}  // namespace mpay::requests
