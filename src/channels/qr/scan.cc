#include "channels/qr/scan.h"

#include <nlohmann/json.hpp>

#include "channels/qr/code_payload.h"
#include "channels/qr/merchant_codes.h"
#include "core/money.h"
#include "payments/requests/create_request.h"

namespace mpay::qr {
namespace {

// The code's metadata with where the request came from, for the merchant's books.
std::string request_metadata(const MerchantCode& code) {
  nlohmann::json metadata = nlohmann::json::parse(code.metadata_json, nullptr, false);
  if (!metadata.is_object()) metadata = nlohmann::json::object();
  metadata["channel"] = code.kind == CodeKind::dynamic_code ? "qr_dynamic" : "qr_static";
  metadata["qr_code_id"] = to_uuid_text(code.id);
  if (!code.terminal_label.empty()) metadata["terminal_label"] = code.terminal_label;
  return metadata.dump();
}

std::string random_suffix(RandomSource& random) {
  uint8_t bytes[6];
  random.fill(bytes, sizeof(bytes));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (uint8_t b : bytes) {
    text.push_back(kHex[b >> 4]);
    text.push_back(kHex[b & 15]);
  }
  return text;
}

// The request a user already has for this dynamic code (made before a crash cut the link).
std::optional<requests::PaymentRequest> existing_request(QrContext& context,
                                                         const wallet::UserId& user,
                                                         const MerchantCode& code) {
  if (code.request_id) return context.requests.book.get(*code.request_id);
  requests::RequestListQuery query;
  query.limit = UINT32_MAX;
  query.created_after_ns = code.created_at_ns - 1;
  for (const requests::PaymentRequest& r : context.requests.book.list_for_payer(user, query)) {
    if (r.terms.merchant_id == code.merchant_id &&
        r.terms.merchant_reference == code.merchant_reference) {
      return r;
    }
  }
  return std::nullopt;
}

void scan_static(QrContext& context, const wallet::UserId& user, const ScanRequest& scan,
                 ScanOutcome outcome, ScanDone done) {
  if (!scan.amount) {
    outcome.amount_required = true;
    return done(std::move(outcome));
  }
  const MerchantCode& code = outcome.code;
  requests::NewRequest request;
  request.payer_id = user;
  request.amount = *scan.amount;
  request.currency =
      scan.currency.empty() ? std::string(context.requests.wallet.currency.code) : scan.currency;
  request.description = scan.description.empty() ? code.description : scan.description;
  // Unique per scan; the token ties it to the code in the merchant's list.
  request.merchant_reference =
      "qr-" + code.token + "-" + random_suffix(context.requests.wallet.random);
  request.metadata_json = request_metadata(code);
  requests::create_payment_request(
      context.requests, code.merchant_id, request,
      [outcome = std::move(outcome), done](Result<requests::PaymentRequest> created) mutable {
        if (!created.ok()) return done(created.error());
        outcome.request = std::move(*created);
        done(std::move(outcome));
      });
}

void scan_dynamic(QrContext& context, const wallet::UserId& user, const ScanRequest& scan,
                  ScanOutcome outcome, ScanDone done) {
  const MerchantCode& code = outcome.code;
  if (scan.amount) {
    return done(Error("qr_code_amount_fixed", "this code carries its amount; send none", "amount"));
  }
  int64_t now = context.requests.wallet.clock.now_ns();
  ClaimOutcome claim = context.book.try_claim(code.id, user, now);
  if (claim == ClaimOutcome::someone_else) {
    return done(Error("qr_code_used", "this code was already used; ask for a new one"));
  }
  if (claim == ClaimOutcome::already_yours) {
    std::optional<requests::PaymentRequest> mine = existing_request(context, user, code);
    if (mine) {
      outcome.request = std::move(*mine);
      return done(std::move(outcome));
    }
    if (now >= code.expires_at_ns) {
      return done(Error("qr_code_expired", "this code has expired; ask for a new one"));
    }
  } else {
    if (now >= code.expires_at_ns) {
      context.book.release_claim(code.id);
      return done(Error("qr_code_expired", "this code has expired; ask for a new one"));
    }
    Status claimed = context.repository.claim_code(code.id, user, now);
    if (!claimed.ok()) {
      context.book.release_claim(code.id);
      if (claimed.error().code == "already_exists") {
        return done(Error("qr_code_used", "this code was already used; ask for a new one"));
      }
      return done(claimed.error());
    }
  }
  requests::NewRequest request;
  request.payer_id = user;
  request.amount = format_amount(code.amount_minor, context.requests.wallet.currency);
  request.currency = std::string(context.requests.wallet.currency.code);
  request.description = code.description;
  request.merchant_reference = code.merchant_reference;
  request.metadata_json = request_metadata(code);
  // The user has until the code expires, and at least the shortest request life to confirm.
  int64_t left_s = (code.expires_at_ns - now) / 1'000'000'000;
  request.expires_in_s = std::max(left_s, context.requests.options.expires_in_s_min);
  requests::create_payment_request(context.requests, code.merchant_id, request,
                                   [&context, user, outcome = std::move(outcome),
                                    done](Result<requests::PaymentRequest> created) mutable {
                                     const MerchantCode& code = outcome.code;
                                     if (!created.ok()) {
                                       // Made before a crash, but not yet linked to the code: link
                                       // it now.
                                       std::optional<requests::PaymentRequest> mine;
                                       if (created.error().code == "merchant_reference_taken") {
                                         mine = existing_request(context, user, code);
                                       }
                                       if (!mine) return done(created.error());
                                       created = std::move(*mine);
                                     }
                                     Status linked = context.repository.set_code_request(
                                         code.id, created->terms.id);
                                     if (!linked.ok()) return done(linked.error());
                                     context.book.set_request(code.id, created->terms.id);
                                     outcome.request = std::move(*created);
                                     done(std::move(outcome));
                                   });
}

}  // namespace

void scan_code(QrContext& context, const wallet::UserId& user, const ScanRequest& scan,
               ScanDone done) {
  Result<ScannedText> scanned = read_scanned_text(context, scan.payload);
  if (!scanned.ok()) return done(scanned.error());
  std::optional<MerchantCode> code = context.book.by_token(scanned->token);
  if (!code) return done(Error("qr_code_not_found", "no code of this platform has this token"));
  // What the user is shown comes from the code's record; a payload that says otherwise was
  // tampered with (re-encoded with a valid CRC), and is refused rather than half believed.
  if (scanned->emv && code->payload != scan.payload) {
    return done(
        Error("qr_code_altered", "this payload is not the one the merchant's code carries"));
  }
  std::optional<requests::MerchantProfile> merchant =
      context.requests.merchants.find(code->merchant_id, code->currency);
  if (!merchant || !merchant->active) {
    return done(Error("merchant_unavailable", "this merchant cannot take payments now"));
  }
  if (code->deactivated_at_ns != 0) {
    return done(Error("qr_code_deactivated", "the merchant no longer accepts this code"));
  }
  ScanOutcome outcome{*code, *merchant, false, std::nullopt};
  if (code->kind == CodeKind::static_code) {
    return scan_static(context, user, scan, std::move(outcome), std::move(done));
  }
  scan_dynamic(context, user, scan, std::move(outcome), std::move(done));
}

}  // namespace mpay::qr
