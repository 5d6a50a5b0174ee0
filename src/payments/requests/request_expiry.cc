#include "payments/requests/request_expiry.h"

#include <spdlog/spdlog.h>

#include "payments/requests/merchant_actions.h"

namespace mpay::requests {
namespace {

void record_expired(RequestContext& context, const PaymentRequest& claimed, RequestDone done) {
  StatusChange change;
  change.status = PaymentStatus::expired;
  commit_change(context, claimed.terms.id, {}, {status_event(context, claimed.terms, change)},
                nullptr, std::move(done));
}

// Answers `refusal` once the change is durable; if it failed, nothing changed, and that is said.
RequestDone refuse_after(Error refusal, RequestDone done) {
  return [refusal = std::move(refusal), done = std::move(done)](Result<PaymentRequest> recorded) {
    done(recorded.ok() ? refusal : recorded.error());
  };
}

}  // namespace

bool has_lapsed(const PaymentRequest& request, int64_t now_ns) {
  if (request.state.status == PaymentStatus::authorized) {
    return now_ns >= request.state.authorization_expires_at_ns;
  }
  return now_ns >= request.terms.expires_at_ns;
}

void expire_then_refuse(RequestContext& context, const PaymentRequest& claimed, RequestDone done) {
  record_expired(context, claimed,
                 refuse_after(Error("payment_request_expired", "this payment request has expired"),
                              std::move(done)));
}

void void_then_refuse(RequestContext& context, const PaymentRequest& claimed, RequestDone done) {
  void_claimed(
      context, claimed,
      refuse_after(Error("payment_request_not_authorized", "this payment request is voided"),
                   std::move(done)));
}

Error expired_or(RequestContext& context, const Id128& request_id, Error refused) {
  if (refused.code != "payment_request_not_awaiting_confirmation") return refused;
  std::optional<PaymentRequest> now = context.book.get(request_id);
  if (!now || now->state.status != PaymentStatus::expired) return refused;
  return Error("payment_request_expired", "this payment request has expired");
}

size_t sweep_due(RequestContext& context, size_t max) {
  int64_t now = context.wallet.clock.now_ns();
  size_t changed = 0;
  for (const Id128& id : context.book.due(now, max)) {
    Result<PaymentRequest> claimed = context.book.claim(
        id, {PaymentStatus::awaiting_confirmation, PaymentStatus::authorized}, Error("moved", ""));
    if (!claimed.ok()) continue;  // answered or busy meanwhile
    if (!has_lapsed(*claimed, now)) {  // confirmed between the look and the claim
      context.book.release(id);
      continue;
    }
    auto log_failure = [id](Result<PaymentRequest> outcome) {
      if (!outcome.ok()) {
        spdlog::error("payment request {}: expiry failed: {}", to_uuid_text(id),
                      outcome.error().message);
      }
    };
    ++changed;
    if (claimed->state.status == PaymentStatus::authorized) {
      void_claimed(context, *claimed, log_failure);
    } else {
      record_expired(context, *claimed, log_failure);
    }
  }
  return changed;
}

}  // namespace mpay::requests
