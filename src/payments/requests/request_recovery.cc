#include "payments/requests/request_recovery.h"

#include <unordered_map>

#include <spdlog/spdlog.h>

#include "payments/requests/funding.h"
#include "payments/requests/refunds.h"
#include "payments/requests/request_events.h"
#include "payments/requests/request_ledger.h"

namespace mpay::requests {
namespace {

// Publishes a recent change again, with the request (and refund) as this event left them: called
// right after the event is applied, so later events do not show through. A webhook re-sent after
// a crash must carry the same body as when it was first sent.
bool republish(RequestContext& context, const ledger::AppEventRecord& record) {
  std::optional<PaymentRequest> request = context.book.get(record.event.subject_id);
  if (!request) return false;
  std::optional<RefundRecord> refund;
  if (record.event.kind == event_kinds::refund) refund = context.book.refund(record.event.ref_id);
  context.on_change(PublishedChange{*request, refund, record, /*republished=*/true});
  return true;
}

}  // namespace

Result<RecoveryReport> recover_requests(RequestContext& context, int64_t republish_window_ns) {
  RecoveryReport report;
  Status ensured = ensure_fee_income_account(context.wallet.ledger, context.wallet.currency.numeric);
  if (!ensured.ok()) return ensured.error();
  std::vector<BankPull> pulls;
  // Refund rows wait for their request, whose terms may come from mpay.db (older requests) or
  // from the journal's created event (newer ones) further down.
  std::unordered_map<Id128, std::vector<RefundRecord>, Id128Hash> refunds_by_request;
  auto add_request = [&](RequestTerms terms, int64_t created_ts) {
    Id128 id = terms.id;
    if (!context.book.add(std::move(terms), created_ts).ok()) return;
    ++report.requests;
    auto waiting = refunds_by_request.find(id);
    if (waiting == refunds_by_request.end()) return;
    for (RefundRecord& refund : waiting->second) context.book.add_refund(std::move(refund));
    refunds_by_request.erase(waiting);
  };
  auto add_refund = [&](RefundRecord refund) {
    if (context.book.holds(refund.request_id)) {
      context.book.add_refund(std::move(refund));
    } else {
      refunds_by_request[refund.request_id].push_back(std::move(refund));
    }
  };
  Status loaded = context.repository.load(
      [&](RequestTerms terms) { add_request(std::move(terms), 0); }, add_refund,
      [&](MandateRecord mandate) { context.mandates.put(mandate); },
      [&](wallet::UserId user, std::string carrier) {
        context.carriers.put(user, std::move(carrier));
      },
      [&](BankPull pull) { pulls.push_back(std::move(pull)); });
  if (!loaded.ok()) return loaded.error();

  // Every event before the archive's replay mark is in its rows (request_archive.h).
  Result<int64_t> replay_from = context.book.replay_from();
  if (!replay_from.ok()) return replay_from.error();
  report.replayed_from_ts = *replay_from;
  int64_t republish_after = context.wallet.clock.now_ns() - republish_window_ns;
  auto visit = [&](const ledger::AppEventRecord& record) -> Status {
    if (record.event.kind == event_kinds::created) {
      // Journaled terms (requests created before this came from mpay.db, loaded above).
      Result<RequestTerms> terms = decode_created(record.event);
      if (!terms.ok()) return terms.error();
      Result<bool> archived = context.book.is_archived(terms->id);
      if (!archived.ok()) return archived.error();
      if (*archived) return ok_status();  // its row has its terms
      add_request(std::move(*terms), record.timestamp);
      return ok_status();
    }
    ++report.events;
    ApplyOutcome applied = context.book.apply(record);
    // An archive that cannot be read stops the start: an archived request's newer event would
    // be lost (and the next replay mark would pass it).
    if (applied == ApplyOutcome::archive_unreadable) {
      return Error("store_error", "the payment-request archive could not be read");
    }
    if (applied == ApplyOutcome::unknown_request) {
      ++report.orphan_events;
      spdlog::warn("payment requests: journal event {} names an unknown request {}",
                   to_uuid_text(record.event.id), to_uuid_text(record.event.subject_id));
      return ok_status();
    }
    // A change an archived request's row already holds is not republished: it was archived
    // long after its webhook was stored, and the request as this event left it is gone.
    if (!context.book.holds(record.event.subject_id)) {
      ++report.archived_events;
      return ok_status();
    }
    // on_change may wait for the listener to take it (the webhook feed's queue is bounded).
    if (record.timestamp > republish_after && context.on_change && republish(context, record)) {
      ++report.republished;
    }
    return ok_status();
  };
  Status scanned = context.wallet.ledger.scan_app_events(visit, *replay_from);
  if (!scanned.ok()) return scanned.error();
  for (auto& [request, refunds] : refunds_by_request) {
    // Refunds created after their request was archived (loaded back for them) whose outcome the
    // journal does not have: resumed below like any pending refund.
    if (context.book.restore(request)) {
      for (RefundRecord& refund : refunds) context.book.add_refund(std::move(refund));
      continue;
    }
    spdlog::warn("payment requests: {} refund rows name an unknown request {}", refunds.size(),
                 to_uuid_text(request));
  }

  for (const BankPull& pull : pulls) {
    std::optional<PaymentRequest> request = context.book.get(pull.request_id);
    if (!request || request->state.status != PaymentStatus::awaiting_confirmation) continue;
    resume_bank_pull(context, pull);
    ++report.bank_pulls_resumed;
  }
  resume_refunds(context);
  spdlog::info(
      "payment requests: {} loaded, {} journal events applied ({} orphaned, {} held by "
      "archived requests already), {} bank pulls resumed, {} changes republished",
      report.requests, report.events, report.orphan_events, report.archived_events,
      report.bank_pulls_resumed, report.republished);
  return report;
}

}  // namespace mpay::requests
