#include "payments/requests/refunds.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/display_text.h"
#include "core/text_length.h"
#include "payments/requests/fees.h"
#include "payments/requests/merchant_actions.h"
#include "payments/requests/request_ledger.h"

namespace mpay::requests {
namespace {

// The account a request's charge was debited from (for the phone bill, the receivable of the
// carrier that billed it), read from the ledger's record of the payment or hold. Errors:
// store_error, carrier_not_set (no charge on record and no carrier now).
Result<AccountId> charged_account(RequestContext& context, const PaymentRequest& request) {
  if (!request.state.charge_id.is_zero()) {
    Result<std::optional<ledger::TransferRecord>> charge =
        context.wallet.ledger.lookup_transfer(request.state.charge_id);
    if (!charge.ok()) return Error("store_error", "the payment's transfer could not be read");
    if (charge->has_value()) return AccountId((*charge)->entry.debit_account_id);
  }
  // Not expected (every charge's status event names its transfer): the payer's carrier now.
  spdlog::warn(
      "payment request {}: its charge's transfer is not on record; refunding to the "
      "payer's current carrier",
      to_uuid_text(request.terms.id));
  std::optional<std::string> carrier = context.carriers.of(request.terms.payer_id);
  if (!carrier) return Error("carrier_not_set", "the payer has no carrier");
  return carrier_receivable_account_id(*carrier, request.terms.currency);
}

// The refund transfer's id is the refund's own id: one refund, one movement, findable from both.
TransferId refund_transfer_id(const Id128& refund_id) { return TransferId(refund_id); }

ledger::Transfer fee_transfer(RequestContext& context, const AccountId& from, const AccountId& to,
                              uint16_t currency, int64_t amount, uint16_t code) {
  ledger::Transfer fee;
  fee.id = TransferId(context.wallet.ids.next());
  fee.debit_account_id = from;
  fee.credit_account_id = to;
  fee.amount = amount;
  fee.currency = currency;
  fee.code = code;
  return fee;
}

std::vector<ledger::Transfer> refund_chain(RequestContext& context, const RefundRecord& refund,
                                           const AccountId& merchant, const AccountId& destination,
                                           uint16_t currency, int64_t fee_returned, bool hold) {
  std::vector<ledger::Transfer> chain;
  // The fee comes back first: a merchant holding only this payment's net (amount less fee) can
  // then refund it in full; debiting (or holding from) the merchant first would fail with
  // exceeds_credits.
  if (fee_returned > 0) {
    chain.push_back(fee_transfer(context, fee_income_account_id(currency), merchant, currency,
                                 fee_returned, transfer_codes::fee_return));
  }
  ledger::Transfer back;
  back.id = refund_transfer_id(refund.id);
  back.debit_account_id = merchant;
  back.credit_account_id = destination;
  back.amount = refund.amount_minor;
  back.currency = currency;
  back.code = transfer_codes::merchant_refund;
  if (hold) back.flags = ledger::transfer_flags::pending;
  chain.push_back(back);
  link_chain(chain);
  return chain;
}

// The fee a refund of `amount` gives back. Pending bank refunds count as refunded already: their
// fee came back with their holds (except holds booked by an older mpayd, which return it when
// the bank confirms and so are left out until then).
int64_t fee_share(RequestContext& context, const Id128& request_id, const RequestState& state,
                  int64_t amount) {
  if (!context.options.refund_returns_fee) return 0;
  int64_t refunded = state.refunded_minor;
  int64_t returned = state.fee_returned_minor;
  for (const RefundRecord& r : context.book.refunds_of(request_id)) {
    if (r.status != RefundStatus::pending || !r.fee_returned_with_hold) continue;
    refunded += r.amount_minor;
    returned += r.fee_returned_minor;
  }
  return fee_returned_by(state.captured_minor, state.fee_minor, refunded, returned, amount);
}

Error merchant_balance_or(ledger::CreateTransferResult result) {
  if (result == ledger::CreateTransferResult::exceeds_credits) {
    return Error("merchant_balance_insufficient",
                 "the merchant's balance is too low for this refund", "amount");
  }
  return ledger_rejection(result);
}

RefundChange change_of(const RefundRecord& refund, RefundStatus status, int64_t fee_returned) {
  return RefundChange{refund.id, status, refund.amount_minor, fee_returned};
}

// A refund whose money did not move: its failure is recorded so it is not pending forever. No
// claim needed: a refund's own status is all it changes.
void record_refund_failed(RequestContext& context, const RequestTerms& terms,
                          const RefundRecord& refund) {
  ledger::AppEvent event = encode_refund(context.wallet.ids.next(), terms,
                                         change_of(refund, RefundStatus::failed, 0));
  Id128 request_id = terms.id;
  Status submitted = context.wallet.ledger.submit_with_events(
      {}, {event}, [&context, event, request_id](std::vector<ledger::EventOutcome> outcomes) {
        if (outcomes.at(0).result != 0) return;
        ledger::AppEventRecord record{event, 0, outcomes.at(0).timestamp};
        context.book.apply(record);
        std::optional<PaymentRequest> now = context.book.get(request_id);
        if (context.on_change && now) {
          context.on_change(PublishedChange{*now, context.book.refund(event.ref_id), record});
        }
      });
  if (!submitted.ok()) {
    spdlog::error("refund {}: recording its failure failed: {}", to_uuid_text(refund.id),
                  submitted.error().message);
  }
}

// What a rejected refund commit leaves: a refund that moved nothing yet is recorded as failed; a
// bank refund whose hold stands stays pending (settling it again is the next start's job).
enum class OnRejection { record_failed, keep_pending };

// Commits a refund event (with `chain`) and answers with the refund as it now is.
void commit_refund(RequestContext& context, const PaymentRequest& request,
                   const RefundRecord& refund, std::vector<ledger::Transfer> chain,
                   const RefundChange& change, RejectionMapper rejected, OnRejection on_rejection,
                   RefundDone done) {
  ledger::AppEvent event = encode_refund(context.wallet.ids.next(), request.terms, change);
  commit_change(context, request.terms.id, std::move(chain), {event}, std::move(rejected),
                [&context, terms = request.terms, refund, on_rejection,
                 done](Result<PaymentRequest> outcome) {
                  Id128 refund_id = refund.id;
                  if (!outcome.ok()) {
                    if (on_rejection == OnRejection::record_failed) {
                      record_refund_failed(context, terms, refund);
                    }
                    return done(outcome.error());
                  }
                  std::optional<RefundRecord> now = context.book.refund(refund_id);
                  if (!now) return done(Error("refund_not_found", "the refund vanished"));
                  done(*now);
                });
}

// A bank's answer that finds the request claimed by another action tries again this often, this
// far apart (a claim lasts one ledger commit).
constexpr int kBusyRetries = 2500;
constexpr auto kBusyRetryDelay = std::chrono::milliseconds(2);

void settle_bank_refund(RequestContext& context, const Id128& request_id, const Id128& refund_id,
                        const AccountId& merchant, const bank::BankOrderResult& result,
                        int tries_left);

// The bank account a refund goes back to: the one the payer paid from (its pull), or the newest
// link for a payment whose pull was not recorded.
Result<std::string> refund_account_token(RequestContext& context, const RequestTerms& terms) {
  Result<std::vector<wallet::BankAccountRecord>> accounts =
      context.wallet.repository.bank_accounts_of(terms.payer_id);
  if (!accounts.ok()) return accounts.error();
  if (accounts->empty()) return Error("bank_account_not_found", "the payer has no bank account");
  Result<std::optional<BankPull>> pull = context.repository.bank_pull_of(terms.id);
  if (!pull.ok()) return pull.error();
  if (!*pull) return accounts->back().bank_account_token;
  auto paid_from = std::find_if(accounts->begin(), accounts->end(),
                                [&](const wallet::BankAccountRecord& account) {
                                  return account.id == (*pull)->bank_account_id;
                                });
  if (paid_from == accounts->end()) {
    return Error("bank_account_not_found", "the account the payer paid from is not linked");
  }
  return paid_from->bank_account_token;
}

// Pushes a held bank refund to the payer's bank account (`account_token`, refund_account_token);
// settles it when the bank answers.
Status push_bank_refund(RequestContext& context, const PaymentRequest& request,
                        const RefundRecord& refund, const AccountId& merchant,
                        std::string account_token) {
  bank::BankOrder order;
  order.reference = "prf-" + to_uuid_text(refund.id);
  order.bank_account_token = std::move(account_token);
  order.amount_minor = refund.amount_minor;
  order.currency = context.wallet.currency.code;
  Id128 request_id = request.terms.id;
  return context.wallet.bank.credit(
      order, [&context, request_id, refund_id = refund.id, merchant](bank::BankOrderResult result) {
        settle_bank_refund(context, request_id, refund_id, merchant, result, kBusyRetries);
      });
}

// The bank's answer to a refund: posts or releases its hold. The request may be claimed by another
// action for a moment (a second refund being made); the answer then waits on the wallet's
// background worker and tries again, rather than leaving the refund pending until the next start.
void settle_bank_refund(RequestContext& context, const Id128& request_id, const Id128& refund_id,
                        const AccountId& merchant, const bank::BankOrderResult& result,
                        int tries_left) {
  auto log_outcome = [refund_id](Result<RefundRecord> outcome) {
    if (!outcome.ok()) {
      spdlog::error(
          "refund {}: the bank's answer could not be booked ({}); the refund stays "
          "pending, its hold in place, for an operator or the next start",
          to_uuid_text(refund_id), outcome.error().message);
    }
  };
  Result<PaymentRequest> claimed = context.book.claim(
      request_id, {PaymentStatus::succeeded, PaymentStatus::captured}, Error("gone", ""));
  if (!claimed.ok() && claimed.error().code == "payment_request_busy" && tries_left > 0) {
    bool queued = context.wallet.background.post(
        [&context, request_id, refund_id, merchant, result, tries_left] {
          std::this_thread::sleep_for(kBusyRetryDelay);
          settle_bank_refund(context, request_id, refund_id, merchant, result, tries_left - 1);
        });
    if (queued) return;
  }
  if (!claimed.ok()) {
    // The next start-up settles a refund still pending (the bank repeats its answer).
    spdlog::warn("refund {}: the bank's answer could not be recorded ({}); the next start "
                 "settles it",
                 to_uuid_text(refund_id), claimed.error().code);
    return;
  }
  std::optional<RefundRecord> refund = context.book.refund(refund_id);
  if (!refund || refund->status != RefundStatus::pending) {
    context.book.release(request_id);  // settled already: an answer repeated after a restart
    return;
  }
  uint16_t currency = claimed->terms.currency;
  ledger::Transfer settle;
  settle.id = TransferId(context.wallet.ids.next());
  settle.pending_id = refund_transfer_id(refund_id);
  settle.code = transfer_codes::merchant_refund;
  std::vector<ledger::Transfer> chain{settle};
  if (result.outcome == bank::BankOrderOutcome::confirmed) {
    chain.front().flags = ledger::transfer_flags::post_pending_transfer;
    int64_t fee_returned = refund->fee_returned_minor;
    if (!refund->fee_returned_with_hold) {  // held by an older mpayd: the fee comes back now
      fee_returned = fee_share(context, request_id, claimed->state, refund->amount_minor);
      if (fee_returned > 0) {
        chain.push_back(fee_transfer(context, fee_income_account_id(currency), merchant, currency,
                                     fee_returned, transfer_codes::fee_return));
      }
    }
    link_chain(chain);
    return commit_refund(context, *claimed, *refund, std::move(chain),
                         change_of(*refund, RefundStatus::succeeded, fee_returned), nullptr,
                         OnRejection::keep_pending, log_outcome);
  }
  // Declined: the hold is released, and the fee that came back with it is charged again (the
  // release frees the whole refund on the merchant's account, never less than that fee).
  chain.front().flags = ledger::transfer_flags::void_pending_transfer;
  if (refund->fee_returned_with_hold && refund->fee_returned_minor > 0) {
    chain.push_back(fee_transfer(context, merchant, fee_income_account_id(currency), currency,
                                 refund->fee_returned_minor, transfer_codes::merchant_fee));
  }
  link_chain(chain);
  commit_refund(context, *claimed, *refund, std::move(chain),
                change_of(*refund, RefundStatus::failed, 0), nullptr, OnRejection::keep_pending,
                log_outcome);
}

}  // namespace

void refund_payment_request(RequestContext& context, const MerchantId& merchant,
                            const Id128& request_id, const RefundRequest& request,
                            RefundDone done) {
  if (utf8_chars(request.reason) > context.options.refund_reason_chars_max) {
    return done(Error("refund_reason_too_long",
                      fmt::format("the reason is at most {} characters",
                                  context.options.refund_reason_chars_max),
                      "reason"));
  }
  // Shown to the payer and on the merchant's lists: no controls, bidi or invisible formatting.
  if (has_hidden_control(request.reason)) {
    return done(Error("refund_reason_invalid",
                      "the reason must not contain control, bidi or invisible formatting "
                      "characters",
                      "reason"));
  }
  Result<PaymentRequest> claimed =
      claim_as_merchant(context, merchant, request_id,
                        {PaymentStatus::succeeded, PaymentStatus::captured},
                        "payment_request_not_refundable");
  if (!claimed.ok()) return done(claimed.error());
  auto refuse = [&](Error error) {
    context.book.release(request_id);
    done(std::move(error));
  };
  const RequestState& state = claimed->state;
  // Pending bank refunds count too: their money is already held from the merchant.
  int64_t committed = state.refunded_minor;
  size_t count = 0;
  for (const RefundRecord& r : context.book.refunds_of(request_id)) {
    ++count;
    if (r.status == RefundStatus::pending) committed += r.amount_minor;
  }
  if (request.amount_minor <= 0 || request.amount_minor > state.captured_minor - committed) {
    return refuse(Error("refund_amount_exceeds_captured",
                        fmt::format("at most {} minor units can still be refunded",
                                    state.captured_minor - committed),
                        "amount"));
  }
  if (count >= context.options.refunds_per_request_max) {
    return refuse(Error("refunds_limit_reached", "this payment request has too many refunds"));
  }
  std::optional<MerchantProfile> profile = context.merchants.find(merchant, claimed->terms.currency);
  if (!profile) return refuse(Error("merchant_unavailable", "the merchant has no account"));

  // Checked before anything is held: a bank refund needs the account the payer paid from.
  std::string bank_account_token;
  if (state.funding == FundingSource::bank) {
    Result<std::string> account = refund_account_token(context, claimed->terms);
    if (!account.ok()) return refuse(account.error());
    bank_account_token = std::move(*account);
  }

  RefundRecord refund;
  refund.id = context.wallet.ids.next();
  refund.request_id = request_id;
  refund.amount_minor = request.amount_minor;
  refund.reason = request.reason;
  refund.created_at_ns = context.wallet.clock.now_ns();
  Status stored = context.repository.insert_refund(refund);
  if (!stored.ok()) return refuse(stored.error());
  context.book.add_refund(refund);

  uint16_t currency = claimed->terms.currency;
  AccountId destination;
  switch (state.funding) {
    case FundingSource::wallet: {
      Result<std::optional<wallet::UserRecord>> payer =
          context.wallet.users.by_id(claimed->terms.payer_id);
      if (!payer.ok() || !payer->has_value()) {
        return refuse(Error("store_error", "the payer's wallet could not be read"));
      }
      destination = (*payer)->wallet_account_id;
      break;
    }
    case FundingSource::phone_bill: {
      // The receivable that was charged, whichever carrier bills the payer now: a refund comes
      // off the bill that carried the charge.
      Result<AccountId> charged = charged_account(context, *claimed);
      if (!charged.ok()) return refuse(charged.error());
      destination = *charged;
      break;
    }
    case FundingSource::bank: {
      // Held first, together with the fee's return and a pending refund event; the bank's answer
      // posts or releases the hold.
      int64_t fee_returned = fee_share(context, request_id, state, refund.amount_minor);
      std::vector<ledger::Transfer> hold =
          refund_chain(context, refund, profile->account, context.wallet.bank_clearing_account,
                       currency, fee_returned, /*hold=*/true);
      commit_refund(context, *claimed, refund, std::move(hold),
                    change_of(refund, RefundStatus::pending, fee_returned), merchant_balance_or,
                    OnRejection::record_failed,
                    [&context, request = *claimed, merchant_account = profile->account,
                     token = std::move(bank_account_token), done](Result<RefundRecord> held) {
                      if (!held.ok()) return done(held.error());
                      Status pushed =
                          push_bank_refund(context, request, *held, merchant_account, token);
                      if (!pushed.ok()) {
                        spdlog::error(
                            "refund {}: handing it to the bank failed ({}); retried at "
                            "the next start",
                            to_uuid_text(held->id), pushed.error().message);
                      }
                      done(*held);  // pending until the bank answers
                    });
      return;
    }
    case FundingSource::none:
      return refuse(Error("payment_request_not_refundable", "nothing was paid"));
  }
  int64_t fee_returned = fee_share(context, request_id, state, refund.amount_minor);
  std::vector<ledger::Transfer> chain =
      refund_chain(context, refund, profile->account, destination, currency, fee_returned, false);
  commit_refund(context, *claimed, refund, std::move(chain),
                change_of(refund, RefundStatus::succeeded, fee_returned), merchant_balance_or,
                OnRejection::record_failed, std::move(done));
}

void resume_refunds(RequestContext& context) {
  for (const RefundRecord& refund : context.book.pending_refunds()) {
    std::optional<PaymentRequest> request = context.book.get(refund.request_id);
    if (!request) continue;
    Result<std::optional<ledger::TransferRecord>> hold =
        context.wallet.ledger.lookup_transfer(refund_transfer_id(refund.id));
    bool held = hold.ok() && hold->has_value() &&
                (*hold)->status == ledger::PendingStatus::pending;
    if (request->state.funding == FundingSource::bank && held) {
      std::optional<MerchantProfile> profile =
          context.merchants.find(request->terms.merchant_id, request->terms.currency);
      Result<std::string> account = refund_account_token(context, request->terms);
      Status pushed = Error("merchant_unavailable", "no merchant account");
      if (profile && !account.ok()) pushed = account.error();
      if (profile && account.ok()) {
        pushed = push_bank_refund(context, *request, refund, profile->account, *account);
      }
      if (!pushed.ok()) {
        spdlog::error("refund {}: handing it to the bank again failed: {}",
                      to_uuid_text(refund.id), pushed.error().message);
      }
      continue;
    }
    if (!hold.ok()) continue;  // cannot tell now; the next start tries again
    // Stopped before its money moved (or its hold expired): it did not happen.
    record_refund_failed(context, request->terms, refund);
  }
}

}  // namespace mpay::requests
