#include "payments/requests/merchant_actions.h"

#include "payments/requests/fees.h"
#include "payments/requests/request_expiry.h"
#include "payments/requests/request_ledger.h"

namespace mpay::requests {

Result<PaymentRequest> claim_as_merchant(RequestContext& context, const MerchantId& merchant,
                                         const Id128& request_id,
                                         std::initializer_list<PaymentStatus> allowed,
                                         const char* wrong_status_code) {
  return context.book.claim_as(RequestParty::merchant(merchant), request_id, allowed,
                               wrong_status_code);
}

namespace {

// A wallet authorization counted its whole amount against the payer's spending limits when it was
// confirmed (funding.cc). What a void releases, or a partial capture leaves uncaptured, is no
// longer spent: the rebuild from the ledger after a restart (wallet/spending_history.cc) counts
// only what was captured, and the live totals must agree with it. Released once the change is
// durable, at the authorization's time (its day and month).
RequestDone release_spending_after(RequestContext& context, const PaymentRequest& authorized,
                                   int64_t released_minor, RequestDone done) {
  if (authorized.state.funding != FundingSource::wallet || released_minor <= 0) {
    return done;
  }
  return [&context, payer = authorized.terms.payer_id, released_minor,
          at_ns = authorized.state.updated_at_ns,
          done = std::move(done)](Result<PaymentRequest> outcome) {
    if (outcome.ok()) context.wallet.spending.release(payer, released_minor, at_ns);
    done(std::move(outcome));
  };
}

}  // namespace

void cancel_payment_request(RequestContext& context, const MerchantId& merchant,
                            const Id128& request_id, RequestDone done) {
  Result<PaymentRequest> claimed =
      claim_as_merchant(context, merchant, request_id, {PaymentStatus::awaiting_confirmation},
                        "payment_request_not_awaiting_confirmation");
  if (!claimed.ok()) return done(expired_or(context, request_id, claimed.error()));
  if (has_lapsed(*claimed, context.wallet.clock.now_ns())) {
    return expire_then_refuse(context, *claimed, std::move(done));
  }
  StatusChange change;
  change.status = PaymentStatus::cancelled;
  commit_change(context, request_id, {}, {status_event(context, claimed->terms, change)}, nullptr,
                std::move(done));
}

void capture_payment_request(RequestContext& context, const MerchantId& merchant,
                             const Id128& request_id, std::optional<int64_t> amount_minor,
                             RequestDone done) {
  Result<PaymentRequest> claimed = claim_as_merchant(
      context, merchant, request_id, {PaymentStatus::authorized}, "payment_request_not_authorized");
  if (!claimed.ok()) return done(claimed.error());
  // The ledger's hold outlives the deadline (a backstop), but the payer's consent does not.
  if (has_lapsed(*claimed, context.wallet.clock.now_ns())) {
    return void_then_refuse(context, *claimed, std::move(done));
  }
  const RequestState& state = claimed->state;
  int64_t amount = amount_minor.value_or(state.authorized_minor);
  if (amount <= 0 || amount > state.authorized_minor) {
    context.book.release(request_id);
    return done(Error("capture_amount_invalid",
                      "a capture is more than zero and at most the authorized amount", "amount"));
  }
  std::optional<MerchantProfile> profile = context.merchants.find(merchant, claimed->terms.currency);
  if (!profile) {
    context.book.release(request_id);
    return done(Error("merchant_unavailable", "the merchant has no account in this currency"));
  }
  int64_t fee = fee_for(amount, profile->fee_bps);
  std::vector<ledger::Transfer> chain = capture_chain(context.wallet.ids, state.hold_id,
                                                      profile->account, claimed->terms.currency,
                                                      amount, fee);
  StatusChange change;
  change.status = PaymentStatus::captured;
  change.transfer_id = chain.front().id;
  change.amount_minor = amount;
  change.amount2 = fee;
  commit_change(context, request_id, std::move(chain),
                {status_event(context, claimed->terms, change)}, nullptr,
                release_spending_after(context, *claimed, claimed->state.authorized_minor - amount,
                                       std::move(done)));
}

void void_claimed(RequestContext& context, const PaymentRequest& claimed, RequestDone done) {
  StatusChange change;
  change.status = PaymentStatus::voided;
  change.transfer_id = claimed.state.hold_id;
  // The ledger timed the hold out before this void (the sweep ran late, or mpayd was down): the
  // money is back with the payer already, so the request is voided all the same, by its status
  // alone; left authorized, it would count as spent and be retried by every sweep.
  auto timed_out_by_the_ledger = [&context, terms = claimed.terms, change](
                                     ledger::CreateTransferResult result, RequestDone done) {
    if (result != ledger::CreateTransferResult::pending_transfer_expired) {
      context.book.release(terms.id);
      return done(ledger_rejection(result));
    }
    commit_change(context, terms.id, {}, {status_event(context, terms, change)}, nullptr,
                  std::move(done));
  };
  commit_change_or(
      context, claimed.terms.id, void_chain(context.wallet.ids, claimed.state.hold_id),
      {status_event(context, claimed.terms, change)}, std::move(timed_out_by_the_ledger),
      release_spending_after(context, claimed, claimed.state.authorized_minor, std::move(done)));
}

void void_payment_request(RequestContext& context, const MerchantId& merchant,
                          const Id128& request_id, RequestDone done) {
  Result<PaymentRequest> claimed = claim_as_merchant(
      context, merchant, request_id, {PaymentStatus::authorized}, "payment_request_not_authorized");
  if (!claimed.ok()) return done(claimed.error());
  void_claimed(context, *claimed, std::move(done));
}

}  // namespace mpay::requests
