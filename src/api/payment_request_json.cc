#include "api/payment_request_json.h"

#include <array>
#include <string_view>
#include <utility>

#include "api/idempotency.h"
#include "api/wallet_json.h"
#include "core/money.h"
#include "core/time_text.h"

namespace mpay::api {
namespace {

using requests::PaymentStatus;

nlohmann::json amount_text(int64_t minor, const Currency& currency) {
  return format_amount(minor, currency);
}

nlohmann::json time_or_null(int64_t ns) {
  if (ns == 0) return nullptr;
  return format_rfc3339_ms(ns);
}

nlohmann::json funding_or_null(requests::FundingSource funding) {
  if (funding == requests::FundingSource::none) return nullptr;
  return std::string(requests::funding_name(funding));
}

}  // namespace

nlohmann::json payment_request_json(const requests::PaymentRequest& request,
                                    const std::vector<requests::RefundRecord>& refunds,
                                    const Currency& currency) {
  const requests::RequestTerms& t = request.terms;
  const requests::RequestState& s = request.state;
  nlohmann::json json = {
      {"id", to_uuid_text(t.id)},
      {"merchant_id", to_uuid_text(t.merchant_id)},
      {"merchant_reference", t.merchant_reference},
      {"payer_phone", t.payer_phone_masked},
      {"amount", amount_text(t.amount_minor, currency)},
      {"currency", currency.code},
      {"description", t.description},
      {"metadata", nlohmann::json::parse(t.metadata_json, nullptr, false)},
      {"capture", t.capture == requests::CaptureMode::manual ? "manual" : "automatic"},
      {"status", requests::status_name(s.status)},
      {"funding_source", funding_or_null(s.funding)},
      {"authorized_amount", amount_text(s.authorized_minor, currency)},
      {"captured_amount", amount_text(s.captured_minor, currency)},
      {"refunded_amount", amount_text(s.refunded_minor, currency)},
      {"fee", amount_text(s.fee_minor, currency)},
      {"fee_returned", amount_text(s.fee_returned_minor, currency)},
      {"failure_reason", s.status == PaymentStatus::failed
                             ? nlohmann::json(std::string(requests::failure_name(
                                   static_cast<requests::FailureReason>(s.failure))))
                             : nlohmann::json(nullptr)},
      {"created_at", format_rfc3339_ms(t.created_at_ns)},
      {"expires_at", format_rfc3339_ms(t.expires_at_ns)},
      {"updated_at", format_rfc3339_ms(s.updated_at_ns)},
      {"authorization_expires_at",
       s.status == PaymentStatus::authorized ? time_or_null(s.authorization_expires_at_ns)
                                             : nlohmann::json(nullptr)},
      {"mandate_id", t.mandate_id ? nlohmann::json(to_uuid_text(*t.mandate_id)) : nullptr},
  };
  nlohmann::json items = nlohmann::json::array();
  for (const requests::RefundRecord& refund : refunds) items.push_back(refund_json(refund, currency));
  json["refunds"] = std::move(items);
  return json;
}

nlohmann::json payer_request_json(const requests::PaymentRequest& request,
                                  const std::string& merchant_name, const Currency& currency) {
  const requests::RequestTerms& t = request.terms;
  const requests::RequestState& s = request.state;
  return {
      {"id", to_uuid_text(t.id)},
      {"merchant", {{"id", to_uuid_text(t.merchant_id)}, {"name", merchant_name}}},
      {"amount", amount_text(t.amount_minor, currency)},
      {"currency", currency.code},
      {"description", t.description},
      {"capture", t.capture == requests::CaptureMode::manual ? "manual" : "automatic"},
      {"status", requests::status_name(s.status)},
      {"funding_source", funding_or_null(s.funding)},
      {"captured_amount", amount_text(s.captured_minor, currency)},
      {"refunded_amount", amount_text(s.refunded_minor, currency)},
      {"created_at", format_rfc3339_ms(t.created_at_ns)},
      {"expires_at", format_rfc3339_ms(t.expires_at_ns)},
      {"updated_at", format_rfc3339_ms(s.updated_at_ns)},
  };
}

nlohmann::json refund_json(const requests::RefundRecord& refund, const Currency& currency) {
  return {
      {"id", to_uuid_text(refund.id)},
      {"payment_request_id", to_uuid_text(refund.request_id)},
      {"amount", amount_text(refund.amount_minor, currency)},
      {"currency", currency.code},
      {"reason", refund.reason},
      {"status", requests::refund_status_name(refund.status)},
      {"fee_returned", amount_text(refund.fee_returned_minor, currency)},
      {"created_at", format_rfc3339_ms(refund.created_at_ns)},
      {"settled_at", refund.status == requests::RefundStatus::pending
                         ? nlohmann::json(nullptr)
                         : nlohmann::json(format_rfc3339_ms(refund.settled_at_ns))},
  };
}

nlohmann::json mandate_json(const requests::MandateRecord& mandate, const Currency& currency) {
  return {
      {"id", to_uuid_text(mandate.id)},
      {"merchant_id", to_uuid_text(mandate.merchant_id)},
      {"currency", currency.code},
      {"per_charge_max", amount_text(mandate.per_charge_max_minor, currency)},
      {"monthly_max", amount_text(mandate.monthly_max_minor, currency)},
      {"status", mandate.revoked_at_ns == 0 ? "active" : "revoked"},
      {"created_at", format_rfc3339_ms(mandate.created_at_ns)},
      {"revoked_at", time_or_null(mandate.revoked_at_ns)},
  };
}

unsigned payment_request_error_status(const std::string& code) {
  static const std::array<std::pair<std::string_view, unsigned>, 27> kExact = {{
      {"payment_request_not_found", 404},
      {"refund_not_found", 404},
      {"mandate_not_found", 404},
      {"payer_not_found", 422},
      {"payer_unavailable", 422},
      {"merchant_unavailable", 422},
      {"payment_request_busy", 409},
      {"payment_request_not_awaiting_confirmation", 409},
      {"payment_request_not_authorized", 409},
      {"payment_request_not_refundable", 409},
      {"payment_request_expired", 409},
      {"merchant_reference_taken", 409},
      {"mandate_revoked", 409},
      {"payer_pending_limit", 429},
      {"service_busy", 503},  // a consented charge found the background worker full
      {"refunds_limit_reached", 422},
      {"refund_amount_exceeds_captured", 422},
      {"capture_amount_invalid", 422},
      {"merchant_balance_insufficient", 422},
      {"phone_bill_allowance_exceeded", 422},
      {"carrier_not_set", 422},
      {"funding_not_supported", 422},
      {"mandate_mismatch", 422},
      {"mandate_per_charge_exceeded", 422},
      {"mandate_monthly_exceeded", 422},
      {"mandate_capture_must_be_automatic", 422},
      {"mandate_caps_invalid", 422},
  }};
  for (const auto& [name, status] : kExact) {
    if (code == name) return status;
  }
  return wallet_error_status(code);
}

HttpResponse payment_request_error_response(unsigned status, const Error& error) {
  HttpResponse response = error_response(status, error);
  if (error.code == "payment_request_busy") response.headers.emplace_back(kRetryAfterHeader, "1");
  return response;
}

}  // namespace mpay::api
