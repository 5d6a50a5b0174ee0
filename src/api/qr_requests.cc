#include "api/qr_requests.h"

#include <charconv>

#include "api/json_body.h"

namespace mpay::api {
namespace {

constexpr size_t kAmountCharsMax = 40;
constexpr size_t kCurrencyCharsMax = 8;
constexpr size_t kTextCharsMax = 1000;
constexpr size_t kReferenceCharsMax = 200;
constexpr size_t kPinCharsMax = 16;
constexpr size_t kLabelCharsMax = 40;
constexpr size_t kPayloadCharsMax = 1024;
constexpr size_t kPaymentCodeCharsMax = 64;

// An optional string field read as "" when absent.
Result<std::string> or_empty(Result<std::optional<std::string>> text) {
  if (!text.ok()) return text.error();
  return text->value_or("");
}

Result<int> small_number(const std::string& value, int min, int max, const char* field) {
  int number = 0;
  auto parsed = std::from_chars(value.data(), value.data() + value.size(), number);
  if (parsed.ec != std::errc() || parsed.ptr != value.data() + value.size() || number < min ||
      number > max) {
    return Error("query_parameter_invalid",
                 std::string(field) + " is a number from " + std::to_string(min) + " to " +
                     std::to_string(max),
                 field);
  }
  return number;
}

}  // namespace

Result<qr::NewMerchantCode> decode_new_merchant_code(std::string_view body,
                                                     size_t metadata_keys_max) {
  qr::NewMerchantCode code;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(code.kind, r.required_string("type", 16));
    MPAY_READ(code.amount, r.optional_string("amount", kAmountCharsMax));
    MPAY_READ(code.currency, or_empty(r.optional_string("currency", kCurrencyCharsMax)));
    MPAY_READ(code.merchant_reference,
              or_empty(r.optional_string("merchant_reference", kReferenceCharsMax)));
    MPAY_READ(code.description, or_empty(r.optional_string("description", kTextCharsMax)));
    MPAY_READ(code.terminal_label, or_empty(r.optional_string("terminal_label", 100)));
    MPAY_READ(code.expires_in_s, r.optional_int64("expires_in_s"));
    const nlohmann::json* metadata = nullptr;
    MPAY_READ(metadata, r.optional_value("metadata"));
    MPAY_READ(code.metadata_json, decode_metadata(metadata, metadata_keys_max));
    const nlohmann::json* alternate = nullptr;
    MPAY_READ(alternate, r.optional_value("alternate_language"));
    if (alternate != nullptr && !alternate->is_null()) {
      JsonObjectReader a(*alternate, r.field_path("alternate_language"));
      MPAY_READ(code.alternate_language, a.required_string("language", 8));
      MPAY_READ(code.alternate_name, a.required_string("name", 100));
      MPAY_READ(code.alternate_city, or_empty(a.optional_string("city", 100)));
      Status unknown = a.reject_unknown_fields();
      if (!unknown.ok()) return unknown;
    }
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return code;
}

Result<qr::ScanRequest> decode_scan(std::string_view body) {
  qr::ScanRequest scan;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(scan.payload, r.required_string("payload", kPayloadCharsMax));
    MPAY_READ(scan.amount, r.optional_string("amount", kAmountCharsMax));
    MPAY_READ(scan.currency, or_empty(r.optional_string("currency", kCurrencyCharsMax)));
    MPAY_READ(scan.description, or_empty(r.optional_string("description", kTextCharsMax)));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return scan;
}

Result<qr::PaymentCodeCharge> decode_payment_code_charge(std::string_view body,
                                                         size_t metadata_keys_max) {
  qr::PaymentCodeCharge charge;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(charge.code, r.required_string("code", kPaymentCodeCharsMax));
    MPAY_READ(charge.amount, r.required_string("amount", kAmountCharsMax));
    MPAY_READ(charge.currency, r.required_string("currency", kCurrencyCharsMax));
    MPAY_READ(charge.merchant_reference,
              r.required_string("merchant_reference", kReferenceCharsMax));
    MPAY_READ(charge.description, or_empty(r.optional_string("description", kTextCharsMax)));
    const nlohmann::json* metadata = nullptr;
    MPAY_READ(metadata, r.optional_value("metadata"));
    MPAY_READ(charge.metadata_json, decode_metadata(metadata, metadata_keys_max));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return charge;
}

Result<DeviceProvision> decode_device_provision(std::string_view body) {
  DeviceProvision device;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(device.pin, r.required_string("pin", kPinCharsMax));
    MPAY_READ(device.label, or_empty(r.optional_string("label", kLabelCharsMax)));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return device;
}

Result<std::string> decode_pin(std::string_view body) {
  std::string pin;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(pin, r.required_string("pin", kPinCharsMax));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return pin;
}

Result<std::string> decode_payment_code_limit(std::string_view body) {
  std::string amount;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(amount, r.required_string("amount", kAmountCharsMax));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return amount;
}

Result<CodeListQuery> decode_code_list_query(const QueryParams& query, uint32_t limit_max) {
  CodeListQuery decoded;
  for (const auto& [name, value] : query) {
    if (name == "limit") {
      Result<int> limit = small_number(value, 1, static_cast<int>(limit_max), "limit");
      if (!limit.ok()) return Error("limit_invalid", limit.error().message, "limit");
      decoded.limit = static_cast<uint32_t>(*limit);
    } else if (name == "after") {
      std::optional<Id128> after = parse_uuid_text(value);
      if (!after)
        return Error("cursor_invalid", "after is the id of the previous page's last item", "after");
      decoded.after = *after;
    } else {
      return Error("query_parameter_unknown", "unknown query parameter (see field)", name);
    }
  }
  return decoded;
}

Result<ImageQuery> decode_image_query(const QueryParams& query) {
  ImageQuery decoded;
  for (const auto& [name, value] : query) {
    if (name == "ec") {
      if (value.size() != 1 || std::string_view("LMQH").find(value[0]) == std::string_view::npos) {
        return Error("query_parameter_invalid", "ec is L, M, Q or H", "ec");
      }
      decoded.error_correction = value[0];
    } else if (name == "module_px") {
      MPAY_READ(decoded.module_px, small_number(value, 1, 32, "module_px"));
    } else if (name == "margin") {
      MPAY_READ(decoded.margin_modules, small_number(value, 0, 16, "margin"));
    } else if (name == "caption") {
      if (value != "true" && value != "false") {
        return Error("query_parameter_invalid", "caption is true or false", "caption");
      }
      decoded.caption = value == "true";
    } else if (name == "form") {
      if (value != "emv" && value != "url") {
        return Error("query_parameter_invalid", "form is emv or url", "form");
      }
      decoded.url_form = value == "url";
    } else {
      return Error("query_parameter_unknown", "unknown query parameter (see field)", name);
    }
  }
  return decoded;
}

}  // namespace mpay::api
