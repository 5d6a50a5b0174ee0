#include "payments/requests/create_request.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/display_text.h"
#include "core/money.h"
#include "core/phone.h"
#include "core/text_length.h"
#include "payments/requests/funding.h"
#include "payments/wallet/p2p_transfer.h"
#include "payments/wallet/phone_identity.h"

namespace mpay::requests {
namespace {

Result<std::optional<wallet::UserRecord>> find_payer(RequestContext& context,
                                                     const NewRequest& request) {
  if (request.payer_id) return context.wallet.users.by_id(*request.payer_id);
  Result<wallet::IdentifiedPhone> phone =
      wallet::identify_phone(context.wallet, request.payer_phone, "payer_phone");
  if (!phone.ok()) return phone.error();
  return context.wallet.users.by_phone(phone->digest);
}

// The description is put into the SMS to the payer and shown in the app: a line break, NUL, BEL or
// other C0 control (or DEL) could reshape that text, and a bidirectional control (U+202E, ...)
// could make it read in another order, as display names may not either (core/display_text.h).
Status check_description(const RequestContext& context, std::string_view description) {
  if (utf8_chars(description) > context.options.description_chars_max) {
    return Error("description_too_long",
                 fmt::format("at most {} characters", context.options.description_chars_max),
                 "description");
  }
  if (has_hidden_control(description)) {
    return Error("description_invalid", "description must not contain control characters",
                 "description");
  }
  return ok_status();
}

Status check_reference(const RequestContext& context, std::string_view reference) {
  bool ok = !reference.empty() && reference.size() <= context.options.reference_chars_max;
  for (char c : reference) ok = ok && c > 0x20 && c < 0x7F;
  if (!ok) {
    return Error("merchant_reference_invalid",
                 fmt::format("1 to {} printable ASCII characters, no spaces",
                             context.options.reference_chars_max),
                 "merchant_reference");
  }
  return ok_status();
}

// What a mandate allows; used = charged under it this month (succeeded, less refunds).
Status check_mandate(const MandateRecord& mandate,
                     const RequestTerms& terms) {
  if (mandate.revoked_at_ns != 0) {
    return Error("mandate_revoked", "the user revoked this mandate", "mandate_id");
  }
  if (!(mandate.merchant_id == terms.merchant_id) || !(mandate.user_id == terms.payer_id) ||
      mandate.currency != terms.currency) {
    return Error("mandate_mismatch", "this mandate is not for this merchant, payer and currency",
                 "mandate_id");
  }
  if (terms.capture != CaptureMode::automatic) {
    return Error("mandate_capture_must_be_automatic", "mandate charges capture at once", "capture");
  }
  if (terms.amount_minor > mandate.per_charge_max_minor) {
    return Error("mandate_per_charge_exceeded", "more than the mandate allows per charge",
                 "amount");
  }
  return ok_status();
}

void notify_payer(RequestContext& context, const RequestTerms& terms,
                  const MerchantProfile& merchant, const std::string& payer_e164) {
  notify::SmsMessage message;
  message.to_e164 = payer_e164;
  message.purpose = "payment_request";
  message.text = fmt::format("{} asks you to pay {} {}{}{}. Confirm or decline in mpay (ref {}).",
                             merchant.display_name, context.wallet.currency.code,
                             format_amount(terms.amount_minor, context.wallet.currency),
                             terms.description.empty() ? "" : " for ", terms.description,
                             to_uuid_text(terms.id).substr(0, 8));
  Status sent = context.wallet.sms.send(message);
  if (!sent.ok()) {
    // The request stands: the payer also sees it in the app (GET /v1/me/payment-requests).
    spdlog::warn("payment request {}: SMS to the payer not sent: {}", to_uuid_text(terms.id),
                 sent.error().message);
  }
}

// A request whose creation is being journaled, and what its continuation needs.
struct CreatedRequest {
  RequestTerms terms;
  MerchantProfile merchant;
  wallet::UserRecord payer;
  std::string payer_e164;
  bool consented = false;     // a mandate charge or a presented payment code: no confirmation
  bool notify_by_sms = true;  // asked by phone number (a payer who scanned a code sees the app)
};

// Why a consented charge was refused, as the request records it (the answer carries the code).
FailureReason failure_for(const Error& error) {
  if (error.code == "insufficient_funds") return FailureReason::insufficient_funds;
  if (error.code.starts_with("limit_")) return FailureReason::spending_limit_exceeded;
  return FailureReason::ledger_rejected;
}

// Nobody will confirm a consented charge: a refused one has failed.
void fail_charge(RequestContext& context, const RequestTerms& terms, Error error,
                 RequestDone done) {
  Result<PaymentRequest> again =
      context.book.claim(terms.id, {PaymentStatus::awaiting_confirmation}, error);
  if (!again.ok()) return done(error);
  StatusChange change;
  change.status = PaymentStatus::failed;
  change.funding = FundingSource::wallet;
  change.failure = failure_for(error);
  commit_change(context, terms.id, {}, {status_event(context, terms, change)}, nullptr,
                [done, error](Result<PaymentRequest>) { done(error); });
}

// Charged under the mandate, or the presented payment code: the payer's consent replaces the
// confirmation.
void charge_with_consent(RequestContext& context, const CreatedRequest& created,
                         const std::function<void()>& unreserve, RequestDone done) {
  Result<PaymentRequest> claimed = context.book.claim(
      created.terms.id, {PaymentStatus::awaiting_confirmation}, Error("payment_request_busy", ""));
  if (!claimed.ok()) {
    unreserve();
    return done(claimed.error());
  }
  pay_from_wallet(
      context, *claimed, created.payer, created.merchant,
      [&context, terms = created.terms, unreserve, done](Result<PaymentRequest> outcome) {
        unreserve();
        if (outcome.ok()) return done(std::move(outcome));
        fail_charge(context, terms, outcome.error(), done);
      });
}

// After the creation is durable (on the ledger's completer thread, which must not block): the
// request joins the book; then the payer is told (an append to the SMS outbox), or the consented
// charge is paid from the background worker (it may read the payer's spending from the ledger).
void after_creation(RequestContext& context, CreatedRequest created, int64_t created_ts,
                    std::function<void()> unreserve, RequestDone done) {
  Status added = context.book.add(created.terms, created_ts);
  if (!added.ok()) {
    unreserve();
    return done(added.error());
  }
  if (!created.consented) {
    unreserve();  // the request now counts as awaiting confirmation itself
    if (created.notify_by_sms) {
      notify_payer(context, created.terms, created.merchant, created.payer_e164);
    }
    return done(*context.book.get(created.terms.id));
  }
  RequestTerms terms = created.terms;
  bool posted =
      context.wallet.background.post([&context, created = std::move(created), unreserve, done] {
        charge_with_consent(context, created, unreserve, done);
      });
  if (!posted) {
    unreserve();
    fail_charge(context, terms, Error("service_busy", "too many payments in progress; try again"),
                done);
  }
}

}  // namespace

void create_payment_request(RequestContext& context, const MerchantId& merchant_id,
                            const NewRequest& request, RequestDone done) {
  Result<int64_t> amount =
      wallet::parse_wallet_amount(context.wallet, request.amount, request.currency);
  if (!amount.ok()) return done(amount.error());
  std::optional<MerchantProfile> merchant =
      context.merchants.find(merchant_id, context.wallet.currency.numeric);
  if (!merchant || !merchant->active) {
    return done(Error("merchant_unavailable", "this merchant cannot take payments now"));
  }
  Status described = check_description(context, request.description);
  if (!described.ok()) return done(described.error());
  Status checked = check_reference(context, request.merchant_reference);
  if (!checked.ok()) return done(checked.error());
  int64_t expires_in_s = request.expires_in_s.value_or(context.options.expires_in_s_default);
  if (expires_in_s < context.options.expires_in_s_min ||
      expires_in_s > context.options.expires_in_s_max) {
    return done(Error("expires_in_s_out_of_range",
                      fmt::format("expires_in_s is from {} to {}", context.options.expires_in_s_min,
                                  context.options.expires_in_s_max),
                      "expires_in_s"));
  }
  if (request.metadata_json.size() > context.options.metadata_bytes_max) {
    return done(Error("metadata_too_large",
                      fmt::format("metadata is at most {} bytes", context.options.metadata_bytes_max),
                      "metadata"));
  }
  Result<std::optional<wallet::UserRecord>> payer = find_payer(context, request);
  if (!payer.ok()) return done(payer.error());
  if (!payer->has_value()) {
    return done(Error("payer_not_found", "no wallet has this phone number", "payer_phone"));
  }
  if ((*payer)->status == wallet::UserStatus::frozen) {
    return done(Error("payer_unavailable", "this wallet cannot pay now", "payer_phone"));
  }
  bool consented = request.mandate_id.has_value() || request.presented_payment_code;
  if (request.presented_payment_code && request.capture != CaptureMode::automatic) {
    return done(Error("payment_code_capture_must_be_automatic", "payment-code charges capture at once",
                      "capture"));
  }

  int64_t now = context.wallet.clock.now_ns();
  RequestTerms terms;
  terms.id = context.wallet.ids.next();
  terms.merchant_id = merchant_id;
  terms.merchant_reference = request.merchant_reference;
  terms.payer_id = (*payer)->id;
  std::string payer_e164 = wallet::unsealed_phone(context.wallet, **payer);
  terms.payer_phone_masked = mask_phone(payer_e164);
  terms.amount_minor = *amount;
  terms.currency = context.wallet.currency.numeric;
  terms.description = request.description;
  terms.metadata_json = request.metadata_json;
  terms.capture = request.capture;
  terms.created_at_ns = now;
  terms.expires_at_ns = now + expires_in_s * 1'000'000'000;
  terms.mandate_id = request.mandate_id;

  std::optional<MandateRecord> mandate;
  if (request.mandate_id) {
    mandate = context.mandates.get(*request.mandate_id);
    if (!mandate) return done(Error("mandate_not_found", "no mandate has this id", "mandate_id"));
    Status allowed = check_mandate(*mandate, terms);
    if (!allowed.ok()) return done(allowed.error());
    const int64_t month_start = context.wallet.spending.month_start_ns(now);
    auto used_now = [&] { return context.book.mandate_usage(mandate->id, month_start); };
    if (!context.mandates.reserve(mandate->id, terms.amount_minor, used_now,
                                  mandate->monthly_max_minor)) {
      return done(Error("mandate_monthly_exceeded", "more than the mandate allows this month",
                        "amount"));
    }
  }
  // A request to confirm holds one of the payer's places under pending_per_payer_max from here
  // until it is in the book (or failed), so that concurrent creations cannot pass the limit.
  if (!consented &&
      !context.book.begin_creation(terms.payer_id, context.options.pending_per_payer_max)) {
    return done(Error("payer_pending_limit",
                      "this user has too many payment requests awaiting confirmation"));
  }
  // Gives back what this creation holds: the mandate's reservation, or the payer's place.
  auto unreserve = [&context, mandate, consented, payer_id = terms.payer_id,
                    amount = terms.amount_minor] {
    if (mandate) context.mandates.release(mandate->id, amount);
    if (!consented) context.book.end_creation(payer_id);
  };

  Result<bool> reference_taken = context.book.take_reference(merchant_id, terms.merchant_reference);
  if (!reference_taken.ok()) {
    unreserve();
    return done(reference_taken.error());
  }
  if (!*reference_taken) {
    unreserve();
    return done(Error("merchant_reference_taken",
                      "you already used this merchant_reference for another payment request",
                      "merchant_reference"));
  }
  CreatedRequest created{terms,
                         *merchant,
                         **payer,
                         std::move(payer_e164),
                         consented,
                         /*notify_by_sms=*/!request.payer_id};
  // The terms travel in the journal (request_events.h, kind 3): one durable write, the ledger's
  // group commit, makes the request exist; the answer waits for it.
  Status submitted = context.wallet.ledger.submit_with_events(
      {}, {encode_created(context.wallet.ids.next(), terms)},
      [&context, created = std::move(created), unreserve,
       done](std::vector<ledger::EventOutcome> outcomes) mutable {
        if (outcomes.size() != 1 || outcomes.front().result != 0) {
          unreserve();
          context.book.release_reference(created.terms.merchant_id,
                                         created.terms.merchant_reference);
          return done(Error("ledger_rejected", "the ledger did not record the payment request"));
        }
        after_creation(context, std::move(created), outcomes.front().timestamp, unreserve, done);
      });
  if (!submitted.ok()) {
    unreserve();
    context.book.release_reference(merchant_id, terms.merchant_reference);
    return done(submitted.error());
  }
}

bool can_create_in_memory(RequestContext& context, const NewRequest& request) {
  // The merchant-reference check then asks the archive (mpay.db) too.
  if (context.book.reads_archive()) return false;
  if (request.payer_id) return context.wallet.users.cached(*request.payer_id).has_value();
  Result<wallet::IdentifiedPhone> phone =
      wallet::identify_phone(context.wallet, request.payer_phone, "payer_phone");
  // A phone that does not parse is refused without the store.
  return !phone.ok() || context.wallet.users.cached_by_phone(phone->digest).has_value();
}

}  // namespace mpay::requests
