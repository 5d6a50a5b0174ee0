// Payment requests and refunds in memory: terms and states from the journal's events (terms
// of older requests from mpay.db). The book is the read side (gets and lists answer from it,
// read-your-writes) and the referee of concurrent actions: an action first claims the request
// (claim()), which fails while another action on it is in flight, so a confirm racing a cancel has
// exactly one winner; the claim is released with the outcome once the ledger has made it durable
// (release()).
//
// Memory: about half a kilobyte per request. With an archive (request_archive.h), requests that
// are final and quiet leave memory (archive_quiet()); reads that miss the book fall through to the
// archive, and an action or a journal event on an archived request loads it back first. Without
// one, the book keeps everything. Thread-safe. The archive is read without the book's lock, and
// read again when requests left the book meanwhile; only a read that had to start over eight
// times is made under the lock, so that it ends.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/container/node_hash_map.h"
#include "core/error.h"
#include "ledger/storage.h"
#include "payments/requests/request_archive.h"
#include "payments/requests/request_list_query.h"
#include "payments/requests/request_records.h"

namespace mpay::requests {

// Who acts on a request: its payer, or its merchant.
struct RequestParty {
  static RequestParty payer(const wallet::UserId& id) { return {id, MerchantId{}}; }
  static RequestParty merchant(const MerchantId& id) { return {wallet::UserId{}, id}; }
  bool is_party_to(const RequestTerms& terms) const {
    return payer_id.is_zero() ? terms.merchant_id == merchant_id : terms.payer_id == payer_id;
  }

  wallet::UserId payer_id;  // zero for a merchant
  MerchantId merchant_id;   // zero for a payer
};

// What became of a journal event given to the book.
enum class ApplyOutcome {
  applied,             // to the request in memory, or already held by its archived row
  unknown_request,     // no request has the event's subject (or the refund it names)
  archive_unreadable,  // its request may be archived, and the archive could not be read (logged)
};

class RequestBook {
 public:
  // `archive` may be null (everything stays in memory); it must outlive the book. `archiving`:
  // whether archive_quiet() will be called (without it, reads still fall through to the archive).
  explicit RequestBook(RequestArchive* archive = nullptr, bool archiving = true);

  // Errors: already_exists (id). Also takes the merchant's reference (see take_reference).
  // `created_ts`: the ledger time of the request's created event (0 for terms from mpay.db).
  Status add(RequestTerms terms, int64_t created_ts = 0);
  // Takes a merchant's reference for a request about to be created (before its creation is
  // durable, so that two concurrent creations cannot both have it): false when the merchant has
  // already used it (also by an archived request). A creation that then fails gives it back with
  // release_reference(). Errors: store_error (the archive could not be asked).
  Result<bool> take_reference(const MerchantId& merchant, std::string_view reference);
  void release_reference(const MerchantId& merchant, std::string_view reference);
  void add_refund(RefundRecord refund);
  // A journal event (start-up replay and live). An event of an archived request newer than its
  // archived state loads it back first; one its archived state already reflects changes nothing.
  // Live events are of claimed requests, which are in memory: the archive is not read for them.
  ApplyOutcome apply(const ledger::AppEventRecord& record);
  // Whether the request is in memory now (not only archived).
  bool holds(const Id128& id) const;
  // Whether reads that miss the book, the merchant-reference check and the usage sums may read
  // the archive (it holds rows): callers that must not wait on storage (an I/O thread) check it.
  bool reads_archive() const { return archive_in_use(); }
  // Loads an archived request back into memory; false when it is neither there nor archived.
  bool restore(const Id128& id);

  std::optional<PaymentRequest> get(const Id128& id) const;
  std::vector<RefundRecord> refunds_of(const Id128& request_id) const;
  std::optional<RefundRecord> refund(const Id128& refund_id) const;
  std::vector<RefundRecord> pending_refunds() const;
  // The request whose payment, capture or refund is this ledger transfer (carrier bills).
  std::optional<Id128> request_of_transfer(const TransferId& transfer) const;
  std::vector<PaymentRequest> list_for_merchant(const MerchantId& merchant,
                                                const RequestListQuery& query) const;
  std::vector<PaymentRequest> list_for_payer(const wallet::UserId& payer,
                                             const RequestListQuery& query) const;
  // How many of the payer's requests await confirmation now. Constant time: a creation checks
  // it, and a scan of the payer's whole history grew with every request they ever had.
  size_t awaiting_confirmation_of(const wallet::UserId& payer) const;
  // Holds one of the payer's places under `max` for a creation whose journal write is in flight,
  // so that concurrent creations cannot pass the limit together: false when the payer's requests
  // awaiting confirmation and creations in flight already reach `max`. end_creation() gives the
  // place back (after add() when the creation succeeded).
  bool begin_creation(const wallet::UserId& payer, size_t max);
  void end_creation(const wallet::UserId& payer);
  // What a usage sum answers when the archive cannot be read: more than any cap, so that a
  // charge is refused rather than let past a cap on charges it could not see. Logged.
  static constexpr int64_t kUsageUnknownMinor = INT64_MAX / 4;
  // Amount charged to a payer's phone bill in [from_ns, to_ns) (by when the money moved:
  // RequestState::charged_at_ns, as the carrier bill lists it), less refunds. Looks only at the
  // payer's phone-bill requests, not their whole history.
  int64_t phone_bill_usage(const wallet::UserId& payer, int64_t from_ns, int64_t to_ns) const;
  // Amount charged under a mandate from `from_ns` on (by when the money moved, as the phone
  // bill's), less refunds. Looks only at the mandate's own requests.
  int64_t mandate_usage(const Id128& mandate_id, int64_t from_ns) const;
  // Requests awaiting confirmation past their expiry, and authorizations past their deadline.
  std::vector<Id128> due(int64_t now_ns, size_t max) const;

  // Claims a request for one action if its status is one of `allowed`. Errors:
  // payment_request_not_found, payment_request_busy (another action is in flight),
  // payment_request_not_<...> via `wrong_status` (the caller's code for the wrong status).
  Result<PaymentRequest> claim(const Id128& id, std::initializer_list<PaymentStatus> allowed,
                               const Error& wrong_status);
  // The same for the request's own payer or merchant, with one lookup and one copy: a request of
  // another party is payment_request_not_found, and a wrong status is `wrong_status_code` with a
  // message naming the status (formatted only then).
  Result<PaymentRequest> claim_as(const RequestParty& party, const Id128& id,
                                  std::initializer_list<PaymentStatus> allowed,
                                  const char* wrong_status_code);
  // Ends a claim; the outcome's events were (or were not) applied through apply().
  void release(const Id128& id);

  // Moves requests that have been final, unclaimed and without a pending refund since before
  // `quiet_before_ts` (ledger time) into the archive, at most `max`, and records the new replay
  // mark; returns how many left memory. Without an archive, 0. Errors: store_error (nothing left
  // memory). One caller at a time (mpayd's sweeper thread).
  Result<size_t> archive_quiet(int64_t quiet_before_ts, size_t max);
  // Start-up: whether a request is archived (its created event is then skipped).
  Result<bool> is_archived(const Id128& id);
  // Start-up: the ledger time from which the journal's events must be read again.
  Result<int64_t> replay_from();

  size_t size() const;  // in memory
  uint64_t archived_total() const { return archived_total_.load(std::memory_order_relaxed); }
  // Requests awaiting confirmation or authorized: the ones the expiry sweep watches.
  size_t open_count() const;
  size_t refund_count() const;

 private:
  struct Entry {
    PaymentRequest request;
    bool busy = false;
    std::vector<Id128> refunds;
    absl::InlinedVector<Id128, 1> transfers;  // keys of request_by_transfer_
    int64_t replay_from_ts = 0;  // its key in replay_marks_: its events from here are not archived
    int64_t last_event_ts = 0;   // ledger time of the newest event applied
    int64_t archived_through_ts = -1;  // loaded back: its row's last_event_ts (else -1)
  };
  // Ids in ascending order (= creation order: UUIDv7), appended as requests are created. A vector
  // rather than a set: a set node costs three pointers and a cache miss per level on every
  // creation. Ids of archived requests stay until they are half the list (`gone`), then the list
  // is compacted: removing each one at once would move the whole list every time.
  struct IdList {
    std::vector<Id128> ids;
    size_t gone = 0;
  };
  static void insert_in_order(IdList& list, const Id128& id);
  static std::string reference_key(const MerchantId& merchant, std::string_view reference);
  // Puts an entry (new, or loaded back from the archive) in every index. Under mutex_.
  void index(const Id128& id, Entry& entry);
  // Removes an entry that leaves memory from every index, then erases it. Under mutex_.
  void forget(const Id128& id);
  void forget_in(absl::flat_hash_map<Id128, IdList, Id128Hash>& lists, const Id128& key);
  // Puts an archived request back in memory (an action or a newer event needs it) and returns
  // its entry; one already in memory is kept. Under mutex_.
  Entry& load_back(ArchivedRequest archived);
  // The entry of `id` (under `lock`, which is released while the archive is read); an archived
  // request is loaded back only if `load_if` accepts its row, else the row goes to `not_loaded`.
  // Null when it is neither in memory nor loaded back.
  Result<Entry*> find_or_load(const Id128& id, std::unique_lock<std::mutex>& lock,
                              const std::function<bool(const ArchivedRequest&)>& load_if,
                              std::optional<ArchivedRequest>* not_loaded = nullptr);
  // Reads rows from the archive, then calls `combine(rows)` under the book's lock, such that no
  // request left the book in between (so each request is either in the rows or in the book).
  template <typename Rows, typename Combine>
  auto with_archive_rows(const std::function<Result<Rows>()>& read, const Combine& combine) const;
  // The book's own part of the usage sums. Under mutex_.
  int64_t book_phone_bill_usage(const Id128& payer, int64_t from_ns, int64_t to_ns) const;
  int64_t book_mandate_usage(const Id128& mandate_id, int64_t from_ns) const;
  // The archived request, or std::nullopt (not archived, or the archive failed: logged). Not
  // under mutex_.
  std::optional<ArchivedRequest> fetch_archived(const Id128& id) const;
  // Applies an event to an entry in memory; false for a refund the book does not know. Under
  // mutex_.
  bool apply_to(const Id128& id, Entry& entry, const ledger::AppEventRecord& record);
  void note_transfer(const Id128& id, Entry& entry, const Id128& transfer);
  using ArchivePage = std::function<Result<std::vector<PaymentRequest>>(const RequestListQuery&)>;
  // A page from the book's list and the archive's together, in id order (the book's copy of a
  // request in both wins).
  std::vector<PaymentRequest> list_with_archive(
      const absl::flat_hash_map<Id128, IdList, Id128Hash>& lists, const Id128& key,
      const RequestListQuery& query, const ArchivePage& from_archive) const;
  // The sum of archived charges of requests the book does not hold, or kUsageUnknownMinor when
  // the archive failed. Under mutex_.
  int64_t archived_share(const Result<std::vector<ArchivedCharge>>& charges) const;
  bool archive_in_use() const { return archive_ && archive_has_rows_.load(); }
  // Marks `entry` claimed when it is free and its status is in `allowed`; otherwise
  // payment_request_busy, or the error `wrong_status()` makes (built only then). Under mutex_.
  template <typename WrongStatus>
  static Result<PaymentRequest> take(Entry& entry, std::initializer_list<PaymentStatus> allowed,
                                     const WrongStatus& wrong_status);
  std::vector<PaymentRequest> list(const IdList& ids, const RequestListQuery& query) const;
  // Keeps awaiting_by_payer_ right across one status change of a request (before -> after).
  void count_awaiting(const Id128& payer, PaymentStatus before, PaymentStatus after);

  // Open-addressing maps (abseil): a lookup is one probe into a flat array rather than a chase
  // through a bucket list, and growing rehashes without a node allocation per entry. Requests
  // and refunds stay in nodes (node_hash_map): they are large, and a rehash then moves pointers,
  // not the records.
  RequestArchive* archive_;
  const bool archiving_;
  std::atomic<bool> archive_has_rows_{false};
  std::atomic<uint64_t> archived_total_{0};
  mutable std::mutex mutex_;
  absl::node_hash_map<Id128, Entry, Id128Hash> requests_;
  absl::node_hash_map<Id128, RefundRecord, Id128Hash> refunds_;
  absl::flat_hash_map<MerchantId, IdList, Id128Hash> by_merchant_;
  absl::flat_hash_map<Id128, IdList, Id128Hash> by_payer_;
  absl::flat_hash_map<Id128, IdList, Id128Hash> phone_bill_by_payer_;  // funded by the phone bill
  absl::flat_hash_map<Id128, IdList, Id128Hash> by_mandate_;
  std::set<Id128> active_;  // awaiting confirmation or authorized: what due() looks at
  absl::flat_hash_map<Id128, size_t, Id128Hash> awaiting_by_payer_;   // payers with at least one
  absl::flat_hash_map<Id128, size_t, Id128Hash> creating_by_payer_;   // begin_creation() in flight
  absl::flat_hash_map<Id128, Id128, Id128Hash> request_by_transfer_;  // payments, captures, refunds
  absl::flat_hash_set<std::string> references_;  // merchant id (16 bytes) + merchant_reference
  // (ledger time, id) of each request that became final or changed while final, oldest first:
  // what archive_quiet() looks at. Stale items (the request changed again) are skipped.
  std::deque<std::pair<int64_t, Id128>> quiet_;
  // Each entry's replay_from_ts: the smallest is the replay mark (request_archive.h).
  absl::btree_set<std::pair<int64_t, Id128>> replay_marks_;
  int64_t newest_event_ts_ = 0;
  int64_t replay_floor_ = 0;  // the replay mark last read or written: a new one is never lower
  uint64_t forgets_ = 0;      // archivings that forgot requests: readers of the archive check it
};

}  // namespace mpay::requests
