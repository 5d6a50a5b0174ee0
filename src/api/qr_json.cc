#include "api/qr_json.h"

#include <fmt/format.h>

#include <array>

#include "api/payment_request_json.h"
#include "core/money.h"
#include "core/time_text.h"

namespace mpay::api {
namespace {

nlohmann::json time_or_null(int64_t at_ns) {
  return at_ns == 0 ? nlohmann::json(nullptr) : nlohmann::json(format_rfc3339_ms(at_ns));
}

nlohmann::json object_of(const std::string& json_text) {
  nlohmann::json value = nlohmann::json::parse(json_text, nullptr, false);
  return value.is_object() ? value : nlohmann::json::object();
}

}  // namespace

nlohmann::json merchant_code_json(const qr::MerchantCode& code, const std::string& url,
                                  int64_t now_ns, const Currency& currency) {
  bool dynamic = code.kind == qr::CodeKind::dynamic_code;
  std::string image_base = "/v1/qr/merchant-codes/" + to_uuid_text(code.id);
  nlohmann::json json = {
      {"id", to_uuid_text(code.id)},
      {"type", qr::kind_name(code.kind)},
      {"status", qr::code_status_name(qr::code_status(code, now_ns))},
      {"token", code.token},
      {"payload", code.payload},
      {"url", url},
      {"amount", dynamic ? nlohmann::json(format_amount(code.amount_minor, currency))
                         : nlohmann::json(nullptr)},
      {"currency", currency.code},
      {"merchant_reference",
       dynamic ? nlohmann::json(code.merchant_reference) : nlohmann::json(nullptr)},
      {"description", code.description},
      {"terminal_label", code.terminal_label},
      {"metadata", object_of(code.metadata_json)},
      {"created_at", format_rfc3339_ms(code.created_at_ns)},
      {"expires_at", time_or_null(code.expires_at_ns)},
      {"deactivated_at", time_or_null(code.deactivated_at_ns)},
      {"payment_request_id",
       code.request_id ? nlohmann::json(to_uuid_text(*code.request_id)) : nlohmann::json(nullptr)},
      {"image", {{"png", image_base + ".png"}, {"svg", image_base + ".svg"}}},
  };
  return json;
}

nlohmann::json scan_json(const qr::ScanOutcome& outcome, const Currency& currency) {
  const qr::MerchantCode& code = outcome.code;
  bool dynamic = code.kind == qr::CodeKind::dynamic_code;
  nlohmann::json json = {
      {"merchant",
       {{"name", outcome.merchant.display_name},
        {"city", outcome.merchant.city},
        {"country", outcome.merchant.country},
        {"category_code", outcome.merchant.mcc}}},
      {"code", {{"type", qr::kind_name(code.kind)}, {"terminal_label", code.terminal_label}}},
      {"amount_required", outcome.amount_required},
      {"amount", dynamic ? nlohmann::json(format_amount(code.amount_minor, currency))
                         : nlohmann::json(nullptr)},
      {"currency", currency.code},
      {"description", code.description},
      {"payment_request", nullptr},
  };
  if (outcome.request) {
    json["payment_request"] =
        payer_request_json(*outcome.request, outcome.merchant.display_name, currency);
    json["amount"] = format_amount(outcome.request->terms.amount_minor, currency);
  }
  return json;
}

nlohmann::json payment_code_device_json(const qr::PaymentCodeDevice& device) {
  std::string status = !device.active() ? "revoked" : device.locked() ? "locked" : "active";
  return {{"id", to_uuid_text(device.id)},
          {"device_number", fmt::format("{:08}", device.device_number)},
          {"label", device.label},
          {"status", status},
          {"created_at", format_rfc3339_ms(device.created_at_ns)},
          {"revoked_at", time_or_null(device.revoked_at_ns)},
          {"locked_at", time_or_null(device.locked_at_ns)}};
}

nlohmann::json provisioned_device_json(const qr::ProvisionedDevice& provisioned) {
  nlohmann::json json = payment_code_device_json(provisioned.device);
  json["secret"] = provisioned.secret_base32;
  json["algorithm"] = {{"name", "HOTP-SHA256"},
                       {"step_s", qr::kPaymentCodeStepSeconds},
                       {"otp_digits", qr::kPaymentCodeOtpDigits},
                       {"prefix", qr::kPaymentCodePrefix},
                       {"code_digits", qr::kPaymentCodeDigits}};
  return json;
}

unsigned qr_error_status(const std::string& code) {
  static const std::array<std::pair<std::string_view, unsigned>, 20> kExact = {{
      {"qr_code_not_found", 404},
      {"payment_code_device_not_found", 404},
      {"qr_code_used", 409},
      {"qr_code_expired", 409},
      {"qr_code_deactivated", 409},
      {"qr_code_not_static", 409},
      {"qr_static_code_limit", 409},
      {"payment_code_used", 409},
      {"payment_code_device_limit", 409},
      {"payment_code_device_locked", 423},
      {"payment_code_rate_limited", 429},
      {"payment_code_device_number_exhausted", 503},
      {"payment_code_invalid", 422},
      {"payment_code_expired", 422},
      {"payment_code_malformed", 422},
      {"payment_code_device_revoked", 422},
      {"payment_code_limit_too_high", 422},
      {"amount_required", 422},
      {"amount_not_allowed", 422},
      {"qr_code_amount_fixed", 422},
  }};
  for (const auto& [name, status] : kExact) {
    if (code == name) return status;
  }
  // A scanned text that is no code of ours, a payload or image that cannot be made: 422.
  if (code.starts_with("qr_") && code != "qr_code_kind_invalid" && code != "qr_option_invalid") {
    return 422;
  }
  return payment_request_error_status(code);
}

}  // namespace mpay::api
