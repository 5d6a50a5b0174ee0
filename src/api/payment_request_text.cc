#include "api/payment_request_text.h"

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/money.h"
#include "core/time_text.h"

namespace mpay::api {
namespace {

using requests::PaymentStatus;

void time_or_null(JsonObjectText& object, std::string_view key, int64_t ns) {
  if (ns == 0) {
    object.null(key);
  } else {
    object.string(key, format_rfc3339_ms(ns));
  }
}

void funding_or_null(JsonObjectText& object, requests::FundingSource funding) {
  if (funding == requests::FundingSource::none) {
    object.null("funding_source");
  } else {
    object.string("funding_source", requests::funding_name(funding));
  }
}

std::string_view capture_name(requests::CaptureMode capture) {
  return capture == requests::CaptureMode::manual ? "manual" : "automatic";
}

// metadata_json is an object, nearly always "{}"; any other is parsed and dumped as the tree view
// does (so the same bytes come out whatever spacing it was stored with).
void append_metadata(std::string& out, const std::string& metadata_json) {
  if (metadata_json == "{}") {
    out += "{}";
    return;
  }
  out += nlohmann::json::parse(metadata_json, nullptr, false)
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_refund(std::string& out, const requests::RefundRecord& refund,
                   std::string_view status, const Currency& currency) {
  JsonObjectText object(out);
  object.string("amount", format_amount(refund.amount_minor, currency))
      .string("created_at", format_rfc3339_ms(refund.created_at_ns))
      .string("currency", currency.code)
      .string("fee_returned", format_amount(refund.fee_returned_minor, currency))
      .string("id", to_uuid_text(refund.id))
      .string("payment_request_id", to_uuid_text(refund.request_id))
      .string("reason", refund.reason);
  if (refund.status == requests::RefundStatus::pending) {
    object.null("settled_at");
  } else {
    object.string("settled_at", format_rfc3339_ms(refund.settled_at_ns));
  }
  object.string("status", status);
  object.close();
}

// The merchant's view; "refunds" only when `refunds` is given.
void append_merchant_view(std::string& out, const requests::PaymentRequest& request,
                          const std::vector<requests::RefundRecord>* refunds,
                          std::string_view status, const Currency& currency) {
  const requests::RequestTerms& t = request.terms;
  const requests::RequestState& s = request.state;
  JsonObjectText object(out);
  object.string("amount", format_amount(t.amount_minor, currency));
  if (s.status == PaymentStatus::authorized) {
    time_or_null(object, "authorization_expires_at", s.authorization_expires_at_ns);
  } else {
    object.null("authorization_expires_at");
  }
  object.string("authorized_amount", format_amount(s.authorized_minor, currency))
      .string("capture", capture_name(t.capture))
      .string("captured_amount", format_amount(s.captured_minor, currency))
      .string("created_at", format_rfc3339_ms(t.created_at_ns))
      .string("currency", currency.code)
      .string("description", t.description)
      .string("expires_at", format_rfc3339_ms(t.expires_at_ns));
  if (s.status == PaymentStatus::failed) {
    object.string("failure_reason",
                  requests::failure_name(static_cast<requests::FailureReason>(s.failure)));
  } else {
    object.null("failure_reason");
  }
  object.string("fee", format_amount(s.fee_minor, currency))
      .string("fee_returned", format_amount(s.fee_returned_minor, currency));
  funding_or_null(object, s.funding);
  object.string("id", to_uuid_text(t.id));
  if (t.mandate_id) {
    object.string("mandate_id", to_uuid_text(*t.mandate_id));
  } else {
    object.null("mandate_id");
  }
  object.string("merchant_id", to_uuid_text(t.merchant_id))
      .string("merchant_reference", t.merchant_reference);
  append_metadata(object.value_of("metadata"), t.metadata_json);
  object.string("payer_phone", t.payer_phone_masked)
      .string("refunded_amount", format_amount(s.refunded_minor, currency));
  if (refunds != nullptr) {
    std::string& items = object.value_of("refunds");
    items += '[';
    for (size_t i = 0; i < refunds->size(); ++i) {
      if (i > 0) items += ',';
      const requests::RefundRecord& refund = (*refunds)[i];
      append_refund(items, refund, requests::refund_status_name(refund.status), currency);
    }
    items += ']';
  }
  object.string("status", status).string("updated_at", format_rfc3339_ms(s.updated_at_ns));
  object.close();
}

}  // namespace

std::string payment_request_text(const requests::PaymentRequest& request,
                                 const std::vector<requests::RefundRecord>& refunds,
                                 const Currency& currency) {
  std::string out;
  out.reserve(1024);
  append_merchant_view(out, request, &refunds, requests::status_name(request.state.status),
                       currency);
  return out;
}

std::string payer_request_text(const requests::PaymentRequest& request,
                               std::string_view merchant_name, const Currency& currency) {
  const requests::RequestTerms& t = request.terms;
  const requests::RequestState& s = request.state;
  std::string out;
  out.reserve(640);
  JsonObjectText object(out);
  object.string("amount", format_amount(t.amount_minor, currency))
      .string("capture", capture_name(t.capture))
      .string("captured_amount", format_amount(s.captured_minor, currency))
      .string("created_at", format_rfc3339_ms(t.created_at_ns))
      .string("currency", currency.code)
      .string("description", t.description)
      .string("expires_at", format_rfc3339_ms(t.expires_at_ns));
  funding_or_null(object, s.funding);
  object.string("id", to_uuid_text(t.id));
  JsonObjectText merchant(object.value_of("merchant"));
  merchant.string("id", to_uuid_text(t.merchant_id)).string("name", merchant_name);
  merchant.close();
  object.string("refunded_amount", format_amount(s.refunded_minor, currency))
      .string("status", requests::status_name(s.status))
      .string("updated_at", format_rfc3339_ms(s.updated_at_ns));
  object.close();
  return out;
}

std::string payment_webhook_data_text(const requests::PaymentRequest& request,
                                      std::string_view status,
                                      const requests::RefundRecord* refund,
                                      std::string_view refund_status, const Currency& currency) {
  std::string out;
  out.reserve(1024);
  JsonObjectText data(out);
  append_merchant_view(data.value_of("payment_request"), request, nullptr, status, currency);
  if (refund != nullptr) append_refund(data.value_of("refund"), *refund, refund_status, currency);
  data.close();
  return out;
}

}  // namespace mpay::api
