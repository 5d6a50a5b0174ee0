#include "payments/requests/confirm_request.h"

#include <mutex>

#include "payments/requests/funding.h"
#include "payments/requests/request_expiry.h"
#include "payments/wallet/pin_guard.h"

namespace mpay::requests {
namespace {

Result<PaymentRequest> claim_as_payer(RequestContext& context, const wallet::UserId& payer,
                                      const Id128& request_id) {
  return context.book.claim_as(RequestParty::payer(payer), request_id,
                               {PaymentStatus::awaiting_confirmation},
                               "payment_request_not_awaiting_confirmation");
}

}  // namespace

void confirm_payment_request(RequestContext& context, const wallet::UserId& payer_id,
                             const Id128& request_id, const Confirmation& confirmation,
                             RequestDone done) {
  std::optional<FundingSource> funding = funding_from_name(confirmation.funding_source);
  if (!funding) {
    return done(Error("funding_source_invalid", "funding_source is wallet, bank or phone_bill",
                      "funding_source"));
  }
  if (*funding == FundingSource::bank && !confirmation.bank_account_id) {
    return done(Error("bank_account_id_required", "paying from a bank needs bank_account_id",
                      "bank_account_id"));
  }
  Result<PaymentRequest> claimed = claim_as_payer(context, payer_id, request_id);
  if (!claimed.ok()) return done(expired_or(context, request_id, claimed.error()));
  auto refuse = [&](Error error) {
    context.book.release(request_id);
    done(std::move(error));
  };
  if (has_lapsed(*claimed, context.wallet.clock.now_ns())) {
    return expire_then_refuse(context, *claimed, done);
  }

  wallet::UserRecord payer;
  {
    std::lock_guard lock(context.wallet.locks.of(payer_id));
    Result<std::optional<wallet::UserRecord>> found = context.wallet.users.by_id(payer_id);
    if (!found.ok()) return refuse(found.error());
    if (!found->has_value()) return refuse(Error("user_not_found", "the user does not exist"));
    payer = **found;
    if (payer.status == wallet::UserStatus::frozen) {
      return refuse(Error("account_frozen", "this wallet is frozen; contact support"));
    }
    Status pin = wallet::check_pin(context.wallet, payer, confirmation.pin);
    if (!pin.ok()) return refuse(pin.error());
  }
  std::optional<MerchantProfile> merchant =
      context.merchants.find(claimed->terms.merchant_id, claimed->terms.currency);
  if (!merchant || !merchant->active) {
    return refuse(Error("merchant_unavailable", "the merchant cannot take payments now"));
  }

  switch (*funding) {
    case FundingSource::wallet:
      return pay_from_wallet(context, *claimed, payer, *merchant, std::move(done));
    case FundingSource::phone_bill:
      return pay_from_phone_bill(context, *claimed, payer, *merchant, std::move(done));
    case FundingSource::bank: {
      Result<std::optional<wallet::BankAccountRecord>> account =
          context.wallet.repository.find_bank_account(*confirmation.bank_account_id);
      if (!account.ok()) return refuse(account.error());
      if (!account->has_value() || !((*account)->user_id == payer_id)) {
        return refuse(Error("bank_account_not_found", "no linked bank account has this id",
                            "bank_account_id"));
      }
      return pay_from_bank(context, *claimed, **account, *merchant, std::move(done));
    }
    case FundingSource::none:
      break;
  }
  refuse(Error("funding_source_invalid", "funding_source is wallet, bank or phone_bill",
               "funding_source"));
}

bool can_confirm_in_memory(RequestContext& context, const wallet::UserId& payer_id,
                           const Id128& request_id, const Confirmation& confirmation) {
  std::optional<FundingSource> funding = funding_from_name(confirmation.funding_source);
  if (!funding || *funding == FundingSource::bank) return false;
  if (context.book.reads_archive() &&
      (*funding == FundingSource::phone_bill || !context.book.holds(request_id))) {
    return false;
  }
  std::optional<wallet::UserRecord> payer = context.wallet.users.cached(payer_id);
  if (!payer || payer->pin_failures != 0 || payer->pin_locked_until_ns != 0) return false;
  if (!context.wallet.spending.is_loaded(payer_id)) return false;
  security::PinHash stored{payer->pin_key_id, payer->pin_digest};
  return context.wallet.pins.verify(payer_id.to_string(), confirmation.pin, stored) ==
         security::PinCheck::match;
}

void decline_payment_request(RequestContext& context, const wallet::UserId& payer,
                             const Id128& request_id, RequestDone done) {
  Result<PaymentRequest> claimed = claim_as_payer(context, payer, request_id);
  if (!claimed.ok()) return done(expired_or(context, request_id, claimed.error()));
  if (has_lapsed(*claimed, context.wallet.clock.now_ns())) {
    return expire_then_refuse(context, *claimed, std::move(done));
  }
  StatusChange change;
  change.status = PaymentStatus::declined;
  commit_change(context, request_id, {}, {status_event(context, claimed->terms, change)}, nullptr,
                std::move(done));
}

}  // namespace mpay::requests
