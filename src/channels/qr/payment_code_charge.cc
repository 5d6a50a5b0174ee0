#include "channels/qr/payment_code_charge.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/money.h"
#include "payments/requests/create_request.h"
#include "payments/wallet/p2p_transfer.h"

namespace mpay::qr {
namespace {

std::string charge_metadata(const std::string& merchant_metadata) {
  nlohmann::json metadata = nlohmann::json::parse(merchant_metadata, nullptr, false);
  if (!metadata.is_object()) metadata = nlohmann::json::object();
  metadata["channel"] = "payment_code";
  return metadata.dump();
}

Status check_reference(const requests::RequestOptions& options, std::string_view reference) {
  bool ok = !reference.empty() && reference.size() <= options.reference_chars_max;
  for (char c : reference) ok = ok && c > 0x20 && c < 0x7F;
  if (ok) return ok_status();
  return Error(
      "merchant_reference_invalid",
      fmt::format("1 to {} printable ASCII characters, no spaces", options.reference_chars_max),
      "merchant_reference");
}

}  // namespace

int64_t payment_code_limit(const QrContext& context, const wallet::UserId& user) {
  std::optional<int64_t> own = context.book.payment_code_limit(user);
  int64_t platform = context.options.payment_code_limit_minor;
  return own ? std::min(*own, platform) : platform;
}

Result<int64_t> set_payment_code_limit(QrContext& context, const wallet::UserId& user,
                                       const std::string& amount) {
  const Currency& currency = context.requests.wallet.currency;
  Result<int64_t> minor = parse_amount(amount, currency);
  if (!minor.ok()) {
    Error error = minor.error();
    error.field = "amount";
    return error;
  }
  if (*minor > context.options.payment_code_limit_minor) {
    return Error("payment_code_limit_too_high",
                 fmt::format("at most {} {}", currency.code,
                             format_amount(context.options.payment_code_limit_minor, currency)),
                 "amount");
  }
  Status stored = context.repository.set_payment_code_limit(user, *minor,
                                                            context.requests.wallet.clock.now_ns());
  if (!stored.ok()) return stored.error();
  context.book.set_payment_code_limit(user, *minor);
  return *minor;
}

void charge_payment_code(QrContext& context, const Id128& merchant_id,
                         const PaymentCodeCharge& charge, ChargeDone done) {
  requests::RequestContext& requests = context.requests;
  // The till's own mistakes are refused before the code is looked at: a refused charge must not
  // spend the code the user is showing.
  Result<int64_t> amount =
      wallet::parse_wallet_amount(requests.wallet, charge.amount, charge.currency);
  if (!amount.ok()) return done(amount.error());
  std::optional<requests::MerchantProfile> merchant =
      requests.merchants.find(merchant_id, requests.wallet.currency.numeric);
  if (!merchant || !merchant->active) {
    return done(Error("merchant_unavailable", "this merchant cannot take payments now"));
  }
  Status reference = check_reference(requests.options, charge.merchant_reference);
  if (!reference.ok()) return done(reference.error());

  Result<VerifiedPaymentCode> verified = context.verifier.verify(
      charge.code, to_uuid_text(merchant_id), requests.wallet.clock.now_ns());
  if (!verified.ok()) return done(verified.error());

  bool consented = *amount <= payment_code_limit(context, verified->user_id);
  requests::NewRequest request;
  request.payer_id = verified->user_id;
  request.amount = charge.amount;
  request.currency = charge.currency;
  request.description = charge.description;
  request.merchant_reference = charge.merchant_reference;
  request.metadata_json = charge_metadata(charge.metadata_json);
  request.presented_payment_code = consented;
  requests::create_payment_request(requests, merchant_id, request,
                                   [consented, done](Result<requests::PaymentRequest> created) {
                                     if (!created.ok()) return done(created.error());
                                     done(ChargeOutcome{std::move(*created), !consented});
                                   });
}

}  // namespace mpay::qr
