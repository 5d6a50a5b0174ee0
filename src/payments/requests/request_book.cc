#include "payments/requests/request_book.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "core/check.h"
#include "payments/requests/request_events.h"

namespace mpay::requests {

namespace {

// A read that missed the book and found the archive failing answers as if nothing were there,
// and says so in the log (the reads' callers have no error to pass on).
template <typename T>
std::optional<T> or_logged(Result<std::optional<T>> read, std::string_view what) {
  if (read.ok()) return std::move(*read);
  spdlog::error("payment requests: the archive could not be read for {}: {}", what,
                read.error().message);
  return std::nullopt;
}

}  // namespace

std::string RequestBook::reference_key(const MerchantId& merchant, std::string_view reference) {
  std::string key(16 + reference.size(), '\0');
  std::memcpy(key.data(), &merchant.high, 8);
  std::memcpy(key.data() + 8, &merchant.low, 8);
  std::memcpy(key.data() + 16, reference.data(), reference.size());
  return key;
}

RequestBook::RequestBook(RequestArchive* archive, bool archiving)
    : archive_(archive), archiving_(archive != nullptr && archiving) {
  if (!archive_) return;
  // Unknown counts as some: reads then ask the archive, and its errors show.
  Result<uint64_t> archived = archive_->count();
  archive_has_rows_ = !archived.ok() || *archived > 0;
}

Result<bool> RequestBook::take_reference(const MerchantId& merchant, std::string_view reference) {
  std::string key = reference_key(merchant, reference);
  {
    std::lock_guard lock(mutex_);
    if (!references_.insert(key).second) return false;
  }
  // Held in memory meanwhile, so a concurrent creation with it waits for nobody and fails.
  if (!archive_in_use()) return true;
  Result<bool> archived = archive_->has_reference(merchant, reference);
  if (archived.ok() && !*archived) return true;
  std::lock_guard lock(mutex_);
  references_.erase(key);
  if (!archived.ok()) return archived.error();
  return false;
}

void RequestBook::release_reference(const MerchantId& merchant, std::string_view reference) {
  std::lock_guard lock(mutex_);
  references_.erase(reference_key(merchant, reference));
}

Status RequestBook::add(RequestTerms terms, int64_t created_ts) {
  std::lock_guard lock(mutex_);
  references_.insert(reference_key(terms.merchant_id, terms.merchant_reference));
  Id128 id = terms.id;
  Entry entry;
  entry.request.terms = std::move(terms);
  entry.request.state.updated_at_ns = entry.request.terms.created_at_ns;
  entry.replay_from_ts = created_ts;
  entry.last_event_ts = created_ts;
  auto [added, fresh] = requests_.emplace(id, std::move(entry));
  if (!fresh) return Error("already_exists", "a payment request has this id");
  index(id, added->second);
  newest_event_ts_ = std::max(newest_event_ts_, created_ts);
  return ok_status();
}

void RequestBook::index(const Id128& id, Entry& entry) {
  const PaymentRequest& request = entry.request;
  const Id128 payer = request.terms.payer_id.value();
  insert_in_order(by_merchant_[request.terms.merchant_id], id);
  insert_in_order(by_payer_[payer], id);
  if (const std::optional<Id128>& mandate = request.terms.mandate_id) {
    insert_in_order(by_mandate_[*mandate], id);
  }
  if (request.state.funding == FundingSource::phone_bill) {
    insert_in_order(phone_bill_by_payer_[payer], id);
  }
  if (!is_final(request.state.status)) active_.insert(id);
  if (request.state.status == PaymentStatus::awaiting_confirmation) ++awaiting_by_payer_[payer];
  for (const Id128& transfer : entry.transfers) request_by_transfer_[transfer] = id;
  replay_marks_.emplace(entry.replay_from_ts, id);
}

void RequestBook::count_awaiting(const Id128& payer, PaymentStatus before, PaymentStatus after) {
  const bool was = before == PaymentStatus::awaiting_confirmation;
  const bool is = after == PaymentStatus::awaiting_confirmation;
  if (was == is) return;
  if (is) {
    ++awaiting_by_payer_[payer];
    return;
  }
  auto found = awaiting_by_payer_.find(payer);
  MPAY_CHECK(found != awaiting_by_payer_.end() && found->second > 0,
             "a payer's count of requests awaiting confirmation went below zero");
  if (--found->second == 0) awaiting_by_payer_.erase(found);
}

size_t RequestBook::awaiting_confirmation_of(const wallet::UserId& payer) const {
  std::lock_guard lock(mutex_);
  auto found = awaiting_by_payer_.find(payer.value());
  return found == awaiting_by_payer_.end() ? 0 : found->second;
}

bool RequestBook::begin_creation(const wallet::UserId& payer, size_t max) {
  std::lock_guard lock(mutex_);
  auto awaiting = awaiting_by_payer_.find(payer.value());
  size_t held = awaiting == awaiting_by_payer_.end() ? 0 : awaiting->second;
  size_t& creating = creating_by_payer_[payer.value()];
  if (held + creating >= max) {
    if (creating == 0) creating_by_payer_.erase(payer.value());
    return false;
  }
  ++creating;
  return true;
}

void RequestBook::end_creation(const wallet::UserId& payer) {
  std::lock_guard lock(mutex_);
  auto found = creating_by_payer_.find(payer.value());
  MPAY_CHECK(found != creating_by_payer_.end() && found->second > 0,
             "a creation ended that had not begun");
  if (--found->second == 0) creating_by_payer_.erase(found);
}

void RequestBook::add_refund(RefundRecord refund) {
  std::lock_guard lock(mutex_);
  auto request = requests_.find(refund.request_id);
  if (request == requests_.end()) return;
  Id128 id = refund.id;
  if (refunds_.emplace(id, std::move(refund)).second) request->second.refunds.push_back(id);
}

ApplyOutcome RequestBook::apply(const ledger::AppEventRecord& record) {
  const Id128& id = record.event.subject_id;
  std::unique_lock lock(mutex_);
  // An archived row already holding the event (by its time) stays archived.
  std::optional<ArchivedRequest> held;
  Result<Entry*> entry = find_or_load(
      id, lock, [&](const ArchivedRequest& row) { return record.timestamp > row.last_event_ts; },
      &held);
  if (!entry.ok()) {
    spdlog::error("payment requests: the archive could not be read for event {}: {}",
                  to_uuid_text(record.event.id), entry.error().message);
    return ApplyOutcome::archive_unreadable;
  }
  if (*entry) {
    return apply_to(id, **entry, record) ? ApplyOutcome::applied : ApplyOutcome::unknown_request;
  }
  return held ? ApplyOutcome::applied : ApplyOutcome::unknown_request;
}

bool RequestBook::apply_to(const Id128& id, Entry& entry, const ledger::AppEventRecord& record) {
  RequestState& state = entry.request.state;
  const Id128 payer = entry.request.terms.payer_id.value();
  const PaymentStatus before = state.status;
  if (record.event.kind == event_kinds::payment_status) {
    const FundingSource funding_before = state.funding;
    apply_status(state, record.event, record.timestamp);
    if (state.funding == FundingSource::phone_bill && funding_before != FundingSource::phone_bill) {
      insert_in_order(phone_bill_by_payer_[payer], id);
    }
    count_awaiting(payer, before, state.status);
    if (is_final(state.status)) active_.erase(id);
    auto status = static_cast<PaymentStatus>(record.event.status);
    if (status == PaymentStatus::succeeded || status == PaymentStatus::captured) {
      note_transfer(id, entry, record.event.ref_id);
    }
  } else if (record.event.kind == event_kinds::refund) {
    auto refund = refunds_.find(record.event.ref_id);
    if (refund == refunds_.end()) return false;
    apply_refund(state, refund->second, record.event, record.timestamp);
    count_awaiting(payer, before, state.status);
    note_transfer(id, entry, record.event.ref_id);
  } else {
    return false;
  }
  entry.last_event_ts = std::max(entry.last_event_ts, record.timestamp);
  newest_event_ts_ = std::max(newest_event_ts_, record.timestamp);
  if (archiving_ && is_final(state.status)) quiet_.emplace_back(entry.last_event_ts, id);
  return true;
}

void RequestBook::note_transfer(const Id128& id, Entry& entry, const Id128& transfer) {
  request_by_transfer_[transfer] = id;
  if (std::find(entry.transfers.begin(), entry.transfers.end(), transfer) ==
      entry.transfers.end()) {
    entry.transfers.push_back(transfer);
  }
}

std::optional<ArchivedRequest> RequestBook::fetch_archived(const Id128& id) const {
  if (!archive_in_use()) return std::nullopt;
  return or_logged(archive_->get(id), "a payment request");
}

bool RequestBook::holds(const Id128& id) const {
  std::lock_guard lock(mutex_);
  return requests_.contains(id);
}

std::optional<PaymentRequest> RequestBook::get(const Id128& id) const {
  {
    std::lock_guard lock(mutex_);
    auto found = requests_.find(id);
    if (found != requests_.end()) return found->second.request;
  }
  std::optional<ArchivedRequest> archived = fetch_archived(id);
  if (!archived) return std::nullopt;
  return std::move(archived->request);
}

std::vector<RefundRecord> RequestBook::refunds_of(const Id128& request_id) const {
  {
    std::lock_guard lock(mutex_);
    auto found = requests_.find(request_id);
    if (found != requests_.end()) {
      std::vector<RefundRecord> refunds;
      for (const Id128& id : found->second.refunds) refunds.push_back(refunds_.at(id));
      return refunds;
    }
  }
  std::optional<ArchivedRequest> archived = fetch_archived(request_id);
  if (!archived) return {};
  return std::move(archived->refunds);
}

std::optional<RefundRecord> RequestBook::refund(const Id128& refund_id) const {
  {
    std::lock_guard lock(mutex_);
    auto found = refunds_.find(refund_id);
    if (found != refunds_.end()) return found->second;
  }
  if (!archive_in_use()) return std::nullopt;
  return or_logged(archive_->refund(refund_id), "a refund");
}

std::vector<RefundRecord> RequestBook::pending_refunds() const {
  std::lock_guard lock(mutex_);
  std::vector<RefundRecord> pending;
  for (const auto& [id, refund] : refunds_) {
    if (refund.status == RefundStatus::pending) pending.push_back(refund);
  }
  return pending;
}

std::optional<Id128> RequestBook::request_of_transfer(const TransferId& transfer) const {
  {
    std::lock_guard lock(mutex_);
    auto found = request_by_transfer_.find(transfer.value());
    if (found != request_by_transfer_.end()) return found->second;
  }
  if (!archive_in_use()) return std::nullopt;
  return or_logged(archive_->request_of_transfer(transfer), "the request of a transfer");
}

void RequestBook::insert_in_order(IdList& list, const Id128& id) {
  std::vector<Id128>& ids = list.ids;
  if (ids.empty() || ids.back() < id) {
    ids.push_back(id);  // the usual case: ids grow with time
    return;
  }
  auto at = std::lower_bound(ids.begin(), ids.end(), id);
  if (at != ids.end() && *at == id) {
    MPAY_CHECK(list.gone > 0, "a request was indexed twice");
    --list.gone;  // loaded back from the archive before its id was compacted away
    return;
  }
  ids.insert(at, id);
}

std::vector<PaymentRequest> RequestBook::list(const IdList& list,
                                              const RequestListQuery& query) const {
  const std::vector<Id128>& ids = list.ids;
  std::vector<PaymentRequest> page;
  auto it = query.after ? std::upper_bound(ids.begin(), ids.end(), *query.after) : ids.begin();
  for (; it != ids.end() && page.size() < query.limit; ++it) {
    auto found = requests_.find(*it);
    if (found == requests_.end()) continue;  // archived
    const PaymentRequest& request = found->second.request;
    if (query.status && request.state.status != *query.status) continue;
    if (query.created_after_ns && request.terms.created_at_ns <= *query.created_after_ns) continue;
    page.push_back(request);
  }
  return page;
}

int64_t RequestBook::book_phone_bill_usage(const Id128& payer, int64_t from_ns,
                                           int64_t to_ns) const {
  auto found = phone_bill_by_payer_.find(payer);
  if (found == phone_bill_by_payer_.end()) return 0;
  int64_t used = 0;
  for (const Id128& id : found->second.ids) {
    auto entry = requests_.find(id);
    if (entry == requests_.end()) continue;  // archived: the archive's rows count it
    const PaymentRequest& r = entry->second.request;
    if (r.state.funding != FundingSource::phone_bill) continue;
    if (r.state.charged_at_ns < from_ns || r.state.charged_at_ns >= to_ns) continue;
    switch (r.state.status) {
      case PaymentStatus::succeeded:
      case PaymentStatus::captured:
        used += r.state.captured_minor - r.state.refunded_minor;
        break;
      case PaymentStatus::authorized:
        used += r.state.authorized_minor;
        break;
      default:
        break;
    }
  }
  return used;
}

int64_t RequestBook::book_mandate_usage(const Id128& mandate_id, int64_t from_ns) const {
  auto found = by_mandate_.find(mandate_id);
  if (found == by_mandate_.end()) return 0;
  int64_t used = 0;
  for (const Id128& id : found->second.ids) {
    auto entry = requests_.find(id);
    if (entry == requests_.end()) continue;  // archived: the archive's rows count it
    const PaymentRequest& r = entry->second.request;
    if (r.state.charged_at_ns < from_ns) continue;
    if (r.state.status == PaymentStatus::succeeded) {
      used += r.state.captured_minor - r.state.refunded_minor;
    }
  }
  return used;
}

std::vector<Id128> RequestBook::due(int64_t now_ns, size_t max) const {
  std::lock_guard lock(mutex_);
  std::vector<Id128> due;
  for (const Id128& id : active_) {
    if (due.size() >= max) break;
    const Entry& entry = requests_.at(id);
    if (entry.busy) continue;
    const PaymentRequest& r = entry.request;
    bool expired = r.state.status == PaymentStatus::awaiting_confirmation &&
                   r.terms.expires_at_ns <= now_ns;
    bool lapsed = r.state.status == PaymentStatus::authorized &&
                  r.state.authorization_expires_at_ns <= now_ns;
    if (expired || lapsed) due.push_back(id);
  }
  return due;
}

namespace {

bool is_one_of(PaymentStatus status, std::initializer_list<PaymentStatus> allowed) {
  return std::find(allowed.begin(), allowed.end(), status) != allowed.end();
}

}  // namespace

Result<PaymentRequest> RequestBook::claim(const Id128& id,
                                          std::initializer_list<PaymentStatus> allowed,
                                          const Error& wrong_status) {
  std::unique_lock lock(mutex_);
  // An archived request comes back only for an action its status allows.
  std::optional<ArchivedRequest> not_loaded;
  Result<Entry*> entry = find_or_load(
      id, lock,
      [&](const ArchivedRequest& row) { return is_one_of(row.request.state.status, allowed); },
      &not_loaded);
  if (!entry.ok()) return entry.error();
  if (not_loaded) return wrong_status;
  if (!*entry) return Error("payment_request_not_found", "no payment request has this id");
  return take(**entry, allowed, [&] { return wrong_status; });
}

Result<PaymentRequest> RequestBook::claim_as(const RequestParty& party, const Id128& id,
                                             std::initializer_list<PaymentStatus> allowed,
                                             const char* wrong_status_code) {
  std::unique_lock lock(mutex_);
  // An archived request comes back only for its own party, and an action its status allows.
  std::optional<ArchivedRequest> not_loaded;
  Result<Entry*> entry = find_or_load(
      id, lock,
      [&](const ArchivedRequest& row) {
        return party.is_party_to(row.request.terms) && is_one_of(row.request.state.status, allowed);
      },
      &not_loaded);
  if (!entry.ok()) return entry.error();
  const PaymentRequest* request = *entry       ? &(*entry)->request
                                  : not_loaded ? &not_loaded->request
                                               : nullptr;
  if (!request || !party.is_party_to(request->terms)) {
    return Error("payment_request_not_found", party.payer_id.is_zero()
                                                  ? "no payment request of yours has this id"
                                                  : "no payment request has this id");
  }
  const PaymentStatus status = request->state.status;
  auto wrong_status = [&] {
    return Error(wrong_status_code, fmt::format("this payment request is {}", status_name(status)));
  };
  if (!*entry) return wrong_status();
  return take(**entry, allowed, wrong_status);
}

template <typename WrongStatus>
Result<PaymentRequest> RequestBook::take(Entry& entry, std::initializer_list<PaymentStatus> allowed,
                                         const WrongStatus& wrong_status) {
  if (entry.busy) {
    return Error("payment_request_busy",
                 "another action on this payment request is in progress; retry shortly");
  }
  bool ok = false;
  for (PaymentStatus status : allowed) ok = ok || entry.request.state.status == status;
  if (!ok) return wrong_status();
  entry.busy = true;
  return entry.request;
}

void RequestBook::release(const Id128& id) {
  std::lock_guard lock(mutex_);
  auto found = requests_.find(id);
  if (found != requests_.end()) found->second.busy = false;
}

size_t RequestBook::size() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

size_t RequestBook::open_count() const {
  std::lock_guard lock(mutex_);
  return active_.size();
}

size_t RequestBook::refund_count() const {
  std::lock_guard lock(mutex_);
  return refunds_.size();
}

}  // namespace mpay::requests
