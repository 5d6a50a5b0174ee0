#include "payments/requests/request_commit.h"

#include <fmt/format.h>

namespace mpay::requests {

Error ledger_rejection(ledger::CreateTransferResult result) {
  return Error("ledger_rejected",
               fmt::format("the ledger refused the movement ({})", ledger::result_name(result)));
}

ledger::AppEvent status_event(RequestContext& context, const RequestTerms& terms,
                              const StatusChange& change) {
  return encode_status(context.wallet.ids.next(), terms, change);
}

namespace {

// Both commits: a refusal goes to `on_rejection` if there is one, else is answered through
// `rejected` (one function rather than one wrapping the other: a payment pays for no extra
// std::function).
void submit_change(RequestContext& context, const Id128& request_id,
                   std::vector<ledger::Transfer> chain, std::vector<ledger::AppEvent> events,
                   RejectionMapper rejected, RejectionHandler on_rejection, RequestDone done) {
  size_t transfer_count = chain.size();
  std::vector<ledger::AppEvent> submitted_events = events;
  Status submitted = context.wallet.ledger.submit_with_events(
      std::move(chain), std::move(events),
      [&context, request_id, transfer_count, submitted_events, rejected, on_rejection,
       done](std::vector<ledger::EventOutcome> outcomes) {
        // A chain fails as one: report the event that broke it, not its innocent neighbours.
        std::optional<ledger::CreateTransferResult> failure;
        for (size_t i = 0; i < transfer_count; ++i) {
          auto result = static_cast<ledger::CreateTransferResult>(outcomes.at(i).result);
          if (result == ledger::CreateTransferResult::created) continue;
          if (!failure || *failure == ledger::CreateTransferResult::linked_event_failed) {
            failure = result;
          }
        }
        if (failure && on_rejection) return on_rejection(*failure, done);
        if (failure) {
          context.book.release(request_id);
          return done(rejected ? rejected(*failure) : ledger_rejection(*failure));
        }
        for (size_t i = 0; i < submitted_events.size(); ++i) {
          const ledger::EventOutcome& outcome = outcomes.at(transfer_count + i);
          if (outcome.result != 0) continue;
          ledger::AppEventRecord record{submitted_events[i], 0, outcome.timestamp};
          context.book.apply(record);
          if (context.on_change) {
            std::optional<PaymentRequest> now = context.book.get(request_id);
            if (now) {
              std::optional<RefundRecord> refund;
              if (record.event.kind == event_kinds::refund) {
                refund = context.book.refund(record.event.ref_id);
              }
              context.on_change(PublishedChange{*now, refund, record});
            }
          }
        }
        context.book.release(request_id);
        std::optional<PaymentRequest> now = context.book.get(request_id);
        if (!now) return done(Error("payment_request_not_found", "no payment request has this id"));
        done(*now);
      });
  if (!submitted.ok()) {
    context.book.release(request_id);
    done(submitted.error());
  }
}

}  // namespace

void commit_change(RequestContext& context, const Id128& request_id,
                   std::vector<ledger::Transfer> chain, std::vector<ledger::AppEvent> events,
                   RejectionMapper rejected, RequestDone done) {
  submit_change(context, request_id, std::move(chain), std::move(events), std::move(rejected),
                nullptr, std::move(done));
}

void commit_change_or(RequestContext& context, const Id128& request_id,
                      std::vector<ledger::Transfer> chain, std::vector<ledger::AppEvent> events,
                      RejectionHandler on_rejection, RequestDone done) {
  submit_change(context, request_id, std::move(chain), std::move(events), nullptr,
                std::move(on_rejection), std::move(done));
}

}  // namespace mpay::requests
