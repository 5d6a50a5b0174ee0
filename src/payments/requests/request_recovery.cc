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
  auto add_request = [&](RequestTerms terms) {
    Id128 id = terms.id;
    if (!context.book.add(std::move(terms)).ok()) return;
    ++report.requests;
    auto waiting = refunds_by_request.find(id);
    if (waiting == refunds_by_request.end()) return;
    for (RefundRecord& refund : waiting->second) context.book.add_refund(std::move(refund));
    refunds_by_request.erase(waiting);
  };
  auto add_refund = [&](RefundRecord refund) {
    if (context.book.get(refund.request_id)) {
      context.book.add_refund(std::move(refund));
    } else {
      refunds_by_request[refund.request_id].push_back(std::move(refund));
    }
  };
  Status loaded = context.repository.load(
      [&](RequestTerms terms) { add_request(std::move(terms)); }, add_refund,
      [&](MandateRecord mandate) { context.mandates.put(mandate); },
      [&](wallet::UserId user, std::string carrier) {
        context.carriers.put(user, std::move(carrier));
      },
      [&](BankPull pull) { pulls.push_back(std::move(pull)); });
  if (!loaded.ok()) return loaded.error();

  int64_t republish_after = context.wallet.clock.now_ns() - republish_window_ns;
  Status scanned =
      context.wallet.ledger.scan_app_events([&](const ledger::AppEventRecord& record) -> Status {
        if (record.event.kind == event_kinds::created) {
          // Journaled terms (requests created before this came from mpay.db, loaded above).
          Result<RequestTerms> terms = decode_created(record.event);
          if (!terms.ok()) return terms.error();
          add_request(std::move(*terms));
          return ok_status();
        }
        ++report.events;
        if (!context.book.apply(record)) {
          ++report.orphan_events;
          spdlog::warn("payment requests: journal event {} names an unknown request {}",
                       to_uuid_text(record.event.id), to_uuid_text(record.event.subject_id));
          return ok_status();
        }
        // on_change may wait for the listener to take it (the webhook feed's queue is bounded).
        if (record.timestamp > republish_after && context.on_change && republish(context, record)) {
          ++report.republished;
        }
        return ok_status();
      });
  if (!scanned.ok()) return scanned.error();
  for (const auto& [request, refunds] : refunds_by_request) {
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
  spdlog::info("payment requests: {} loaded, {} journal events applied ({} orphaned), {} bank "
               "pulls resumed, {} changes republished",
               report.requests, report.events, report.orphan_events, report.bank_pulls_resumed,
               report.republished);
  return report;
}

}  // namespace mpay::requests
