#include "api/payment_request_requests.h"

#include <algorithm>
#include <charconv>

#include "api/json_body.h"
#include "core/display_text.h"
#include "core/time_text.h"

namespace mpay::api {
namespace {

constexpr size_t kPhoneCharsMax = 64;
constexpr size_t kPinCharsMax = 16;
constexpr size_t kAmountCharsMax = 40;
constexpr size_t kMetadataKeyCharsMax = 40;
constexpr size_t kMetadataValueCharsMax = 500;

Result<Id128> uuid_field(const std::string& text, const char* field) {
  std::optional<Id128> id = parse_uuid_text(text);
  if (!id) return Error("id_invalid", std::string(field) + " must be a UUID", field);
  return *id;
}

}  // namespace

Result<std::string> decode_metadata(const nlohmann::json* value, size_t keys_max) {
  if (value == nullptr || value->is_null()) return std::string("{}");
  if (!value->is_object()) {
    return Error("json_wrong_type", "metadata is an object of strings", "metadata");
  }
  if (value->size() > keys_max) {
    return Error("metadata_too_large", "metadata has at most " + std::to_string(keys_max) + " keys",
                 "metadata");
  }
  for (const auto& [key, item] : value->items()) {
    if (key.empty() || key.size() > kMetadataKeyCharsMax || has_hidden_control(key)) {
      return Error("metadata_key_invalid",
                   "metadata keys are 1 to 40 bytes without control characters", "metadata." + key);
    }
    if (!item.is_string()) {
      return Error("json_wrong_type", "metadata values are strings", "metadata." + key);
    }
    const std::string& text = item.get_ref<const std::string&>();
    if (text.size() > kMetadataValueCharsMax) {
      return Error("json_string_too_long", "metadata values are at most 500 bytes",
                   "metadata." + key);
    }
    if (has_hidden_control(text)) {
      return Error("metadata_value_invalid", "metadata values must not contain control characters",
                   "metadata." + key);
    }
  }
  return value->dump();
}

Result<requests::NewRequest> decode_new_payment_request(std::string_view body,
                                                        size_t metadata_keys_max) {
  requests::NewRequest request;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(request.payer_phone, r.required_string("payer_phone", kPhoneCharsMax));
    MPAY_READ(request.amount, r.required_string("amount", kAmountCharsMax));
    MPAY_READ(request.currency, r.required_string("currency", 8));
    std::optional<std::string> description;
    MPAY_READ(description, r.optional_string("description", 1000));
    request.description = description.value_or("");
    MPAY_READ(request.merchant_reference, r.required_string("merchant_reference", 200));
    MPAY_READ(request.expires_in_s, r.optional_int64("expires_in_s"));
    std::optional<std::string> capture;
    MPAY_READ(capture, r.optional_string("capture", 16));
    if (capture && *capture == "manual") {
      request.capture = requests::CaptureMode::manual;
    } else if (capture && *capture != "automatic") {
      return Error("capture_invalid", "capture is automatic or manual", "capture");
    }
    const nlohmann::json* metadata = nullptr;
    MPAY_READ(metadata, r.optional_value("metadata"));
    MPAY_READ(request.metadata_json, decode_metadata(metadata, metadata_keys_max));
    std::optional<std::string> mandate;
    MPAY_READ(mandate, r.optional_string("mandate_id", 64));
    if (mandate) MPAY_READ(request.mandate_id, uuid_field(*mandate, "mandate_id"));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return request;
}

Result<requests::Confirmation> decode_confirmation(std::string_view body) {
  requests::Confirmation confirmation;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(confirmation.pin, r.required_string("pin", kPinCharsMax));
    MPAY_READ(confirmation.funding_source, r.required_string("funding_source", 16));
    std::optional<std::string> account;
    MPAY_READ(account, r.optional_string("bank_account_id", 64));
    if (account) MPAY_READ(confirmation.bank_account_id, uuid_field(*account, "bank_account_id"));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return confirmation;
}

Result<std::optional<std::string>> decode_capture(std::string_view body) {
  std::optional<std::string> amount;
  if (body.empty()) return amount;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(amount, r.optional_string("amount", kAmountCharsMax));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return amount;
}

Result<RefundBody> decode_refund(std::string_view body) {
  RefundBody refund;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(refund.amount, r.required_string("amount", kAmountCharsMax));
    std::optional<std::string> reason;
    MPAY_READ(reason, r.optional_string("reason", 1000));
    refund.reason = reason.value_or("");
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return refund;
}

Result<requests::NewMandate> decode_mandate(std::string_view body) {
  requests::NewMandate mandate;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    std::string merchant;
    MPAY_READ(merchant, r.required_string("merchant_id", 64));
    MPAY_READ(mandate.merchant_id, uuid_field(merchant, "merchant_id"));
    MPAY_READ(mandate.currency, r.required_string("currency", 8));
    MPAY_READ(mandate.per_charge_max, r.required_string("per_charge_max", kAmountCharsMax));
    MPAY_READ(mandate.monthly_max, r.required_string("monthly_max", kAmountCharsMax));
    MPAY_READ(mandate.pin, r.required_string("pin", kPinCharsMax));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return mandate;
}

Result<std::string> decode_carrier(std::string_view body) {
  std::string carrier;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(carrier, r.required_string("carrier", 64));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return carrier;
}

Result<requests::RequestListQuery> decode_request_list_query(const QueryParams& query,
                                                             uint32_t limit_max) {
  requests::RequestListQuery decoded;
  for (const auto& [name, value] : query) {
    if (name == "status") {
      decoded.status = value == "pending" ? requests::PaymentStatus::awaiting_confirmation
                                          : requests::status_from_name(value).value_or(
                                                static_cast<requests::PaymentStatus>(0));
      if (static_cast<uint16_t>(*decoded.status) == 0) {
        return Error("status_invalid", "status is a payment request status, or pending", "status");
      }
    } else if (name == "created_after") {
      Result<int64_t> at = parse_rfc3339(value);
      if (!at.ok()) return Error("timestamp_invalid", at.error().message, "created_after");
      decoded.created_after_ns = *at;
    } else if (name == "limit") {
      uint32_t limit = 0;
      auto parsed = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (parsed.ec != std::errc() || parsed.ptr != value.data() + value.size() || limit == 0 ||
          limit > limit_max) {
        return Error("limit_invalid", "limit is a number from 1 to " + std::to_string(limit_max),
                     "limit");
      }
      decoded.limit = limit;
    } else if (name == "after") {
      std::optional<Id128> after = parse_uuid_text(value);
      if (!after) return Error("cursor_invalid", "after is the id of the previous page's last item", "after");
      decoded.after = *after;
    } else {
      return Error("query_parameter_unknown", "unknown query parameter (see field)", name);
    }
  }
  return decoded;
}

}  // namespace mpay::api
