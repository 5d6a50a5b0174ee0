#include "payments/requests/funding.h"

#include <spdlog/spdlog.h>

#include "payments/requests/carrier_billing.h"
#include "payments/requests/fees.h"
#include "payments/requests/request_ledger.h"
#include "payments/wallet/spending_history.h"

namespace mpay::requests {
namespace {

// The hold outlives the authorization by an hour: the sweeper voids it at the deadline, and the
// ledger's own expiry is only the backstop should the sweeper not run.
constexpr uint32_t kHoldBackstopS = 3600;

Error insufficient_funds_or(ledger::CreateTransferResult result) {
  if (result == ledger::CreateTransferResult::exceeds_credits) {
    return Error("insufficient_funds", "the wallet balance is too low", "funding_source");
  }
  return ledger_rejection(result);
}

// Pays from `source`: moved and fee booked (automatic capture) or held (manual).
void pay_from_account(RequestContext& context, const PaymentRequest& claimed,
                      const AccountId& source, FundingSource funding,
                      const MerchantProfile& merchant, RejectionMapper rejected, RequestDone done) {
  const RequestTerms& terms = claimed.terms;
  bool hold = terms.capture == CaptureMode::manual;
  int64_t fee = hold ? 0 : fee_for(terms.amount_minor, merchant.fee_bps);
  auto ttl_s = static_cast<uint32_t>(context.options.authorization_ttl_s);
  PaymentChain chain = payment_chain(context.wallet.ids, source, merchant.account, terms.currency,
                                     terms.amount_minor, fee, hold, ttl_s + kHoldBackstopS);
  StatusChange change;
  change.status = hold ? PaymentStatus::authorized : PaymentStatus::succeeded;
  change.funding = funding;
  change.transfer_id = chain.main_id;
  change.amount_minor = terms.amount_minor;
  change.amount2 = hold ? context.wallet.clock.now_ns() + int64_t{ttl_s} * 1'000'000'000 : fee;
  commit_change(context, terms.id, std::move(chain.transfers),
                {status_event(context, terms, change)}, std::move(rejected), std::move(done));
}

void finish_bank_pull(RequestContext& context, const Id128& request_id,
                      const bank::BankOrderResult& result) {
  std::optional<PaymentRequest> request = context.book.get(request_id);
  if (!request) return;
  auto log_outcome = [request_id](Result<PaymentRequest> outcome) {
    if (!outcome.ok()) {
      spdlog::error("payment request {}: recording the bank's answer failed: {}",
                    to_uuid_text(request_id), outcome.error().message);
    }
  };
  if (result.outcome == bank::BankOrderOutcome::confirmed) {
    std::optional<MerchantProfile> merchant =
        context.merchants.find(request->terms.merchant_id, request->terms.currency);
    if (!merchant) {
      // The money came in from the bank but the merchant is gone: it stays in the clearing
      // account for an operator (bank statement reconciliation shows it).
      spdlog::error("payment request {}: the bank paid but the merchant has no account",
                    to_uuid_text(request_id));
      context.book.release(request_id);
      return;
    }
    pay_from_account(context, *request, context.wallet.bank_clearing_account, FundingSource::bank,
                     *merchant, nullptr, log_outcome);
    return;
  }
  StatusChange change;
  change.status = PaymentStatus::failed;
  change.funding = FundingSource::bank;
  change.failure = result.outcome == bank::BankOrderOutcome::declined ? FailureReason::bank_declined
                                                                      : FailureReason::bank_timed_out;
  commit_change(context, request_id, {}, {status_event(context, request->terms, change)}, nullptr,
                log_outcome);
}

Status send_bank_pull(RequestContext& context, const Id128& request_id,
                      const wallet::BankAccountRecord& account, const std::string& reference,
                      int64_t amount_minor) {
  bank::BankOrder order;
  order.reference = reference;
  order.bank_account_token = account.bank_account_token;
  order.amount_minor = amount_minor;
  order.currency = context.wallet.currency.code;
  return context.wallet.bank.debit(order, [&context, request_id](bank::BankOrderResult result) {
    finish_bank_pull(context, request_id, result);
  });
}

}  // namespace

void pay_from_wallet(RequestContext& context, const PaymentRequest& claimed,
                     const wallet::UserRecord& payer, const MerchantProfile& merchant,
                     RequestDone done) {
  const RequestTerms& terms = claimed.terms;
  const wallet::KycLimits& limits =
      context.wallet.options.limits.at(static_cast<size_t>(payer.kyc_level));
  Status loaded = wallet::ensure_spending_loaded(context.wallet, payer);
  int64_t reserved_at = context.wallet.clock.now_ns();
  if (loaded.ok()) {
    loaded = context.wallet.spending.reserve(payer.id, terms.amount_minor, limits, reserved_at);
  }
  if (!loaded.ok()) {
    context.book.release(terms.id);
    return done(loaded.error());
  }
  pay_from_account(context, claimed, payer.wallet_account_id, FundingSource::wallet, merchant,
                   insufficient_funds_or,
                   [&context, payer = payer.id, amount = terms.amount_minor, reserved_at,
                    done](Result<PaymentRequest> outcome) {
                     if (!outcome.ok()) context.wallet.spending.release(payer, amount, reserved_at);
                     done(std::move(outcome));
                   });
}

void pay_from_phone_bill(RequestContext& context, const PaymentRequest& claimed,
                         const wallet::UserRecord& payer, const MerchantProfile& merchant,
                         RequestDone done) {
  const RequestTerms& terms = claimed.terms;
  std::optional<std::string> carrier = context.carriers.of(payer.id);
  if (!carrier) {
    context.book.release(terms.id);
    return done(Error("carrier_not_set",
                      "this phone number has no carrier billing; choose another funding source",
                      "funding_source"));
  }
  // The allowance's month is the bill's (UTC), and a charge counts in the month it is made.
  const int64_t month_start = bill_month_start_ns(context.wallet.clock.now_ns());
  auto used_now = [&] { return context.book.phone_bill_usage(payer.id, month_start, INT64_MAX); };
  if (!context.carriers.reserve(payer.id, terms.amount_minor, used_now,
                                context.options.phone_bill_monthly_allowance_minor)) {
    context.book.release(terms.id);
    return done(Error("phone_bill_allowance_exceeded",
                      "this payment would pass the monthly phone-bill allowance", "funding_source"));
  }
  pay_from_account(context, claimed, carrier_receivable_account_id(*carrier, terms.currency),
                   FundingSource::phone_bill, merchant, nullptr,
                   [&context, payer = payer.id, amount = terms.amount_minor,
                    done](Result<PaymentRequest> outcome) {
                     context.carriers.release(payer, amount);
                     done(std::move(outcome));
                   });
}

void pay_from_bank(RequestContext& context, const PaymentRequest& claimed,
                   const wallet::BankAccountRecord& account, const MerchantProfile& merchant,
                   RequestDone done) {
  (void)merchant;  // looked up again when the bank answers (it may change meanwhile)
  const RequestTerms& terms = claimed.terms;
  if (terms.capture == CaptureMode::manual) {
    context.book.release(terms.id);
    return done(Error("funding_not_supported",
                      "a bank debit cannot be held: manual capture needs the wallet or the phone bill",
                      "funding_source"));
  }
  BankPull pull{terms.id, account.id, "prq-" + to_uuid_text(terms.id),
                context.wallet.clock.now_ns()};
  // Recorded before it is sent, so that a crash after the bank took it cannot lose it: the next
  // start sends it again (same reference, the same order at the bank).
  Status recorded = context.repository.insert_bank_pull(pull);
  if (recorded.ok()) {
    recorded = send_bank_pull(context, terms.id, account, pull.reference, terms.amount_minor);
    if (!recorded.ok()) {
      // Refused at once, so never sent: forget it, or the next start would send it for a payer
      // who was told it failed. If even that fails, the payer is told the store failed (the
      // outcome is then open), not the bank's refusal.
      Status forgotten = context.repository.delete_bank_pull(terms.id);
      if (!forgotten.ok()) {
        spdlog::error(
            "payment request {}: a refused bank pull could not be forgotten ({}); the "
            "next start sends it again",
            to_uuid_text(terms.id), forgotten.error().message);
        recorded = forgotten;
      }
    }
  }
  if (!recorded.ok()) {
    context.book.release(terms.id);
    return done(recorded.error());
  }
  done(claimed);  // still awaiting confirmation: the bank answers later
}

void resume_bank_pull(RequestContext& context, const BankPull& pull) {
  Result<PaymentRequest> claimed = context.book.claim(
      pull.request_id, {PaymentStatus::awaiting_confirmation}, Error("not_awaiting", ""));
  if (!claimed.ok()) return;  // already decided (or unknown): nothing to finish
  Result<std::optional<wallet::BankAccountRecord>> account =
      context.wallet.repository.find_bank_account(pull.bank_account_id);
  Status sent = account.ok() ? ok_status() : Status(account.error());
  if (sent.ok() && !account->has_value()) sent = Error("bank_account_not_found", "gone");
  if (sent.ok()) {
    sent = send_bank_pull(context, pull.request_id, **account, pull.reference,
                          claimed->terms.amount_minor);
  }
  if (!sent.ok()) {
    context.book.release(pull.request_id);
    spdlog::error("payment request {}: resuming its bank pull failed: {}",
                  to_uuid_text(pull.request_id), sent.error().message);
  }
}

}  // namespace mpay::requests
