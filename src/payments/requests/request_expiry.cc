#include "payments/requests/request_expiry.h"

#include <spdlog/spdlog.h>

#include "payments/requests/merchant_actions.h"
#include "payments/requests/request_commit.h"

namespace mpay::requests {

size_t sweep_due(RequestContext& context, size_t max) {
  int64_t now = context.wallet.clock.now_ns();
  size_t changed = 0;
  for (const Id128& id : context.book.due(now, max)) {
    Result<PaymentRequest> claimed = context.book.claim(
        id, {PaymentStatus::awaiting_confirmation, PaymentStatus::authorized}, Error("moved", ""));
    if (!claimed.ok()) continue;  // answered or busy meanwhile
    bool authorized = claimed->state.status == PaymentStatus::authorized;
    bool still_due = authorized ? claimed->state.authorization_expires_at_ns <= now
                                : claimed->terms.expires_at_ns <= now;
    if (!still_due) {  // confirmed between the look and the claim
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
    if (authorized) {
      void_claimed(context, *claimed, log_failure);
      continue;
    }
    StatusChange change;
    change.status = PaymentStatus::expired;
    commit_change(context, id, {}, {status_event(context, claimed->terms, change)}, nullptr,
                  log_failure);
  }
  return changed;
}

}  // namespace mpay::requests
