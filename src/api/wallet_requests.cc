#include "api/wallet_requests.h"

#include <charconv>

#include "api/json_body.h"
#include "core/time_text.h"
#include "payments/wallet/admin.h"

namespace mpay::api {
namespace {

constexpr size_t kPhoneCharsMax = 64;
constexpr size_t kCodeCharsMax = 16;

}  // namespace

Result<std::string> decode_otp_request(std::string_view body) {
  std::string phone;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(phone, r.required_string("phone", kPhoneCharsMax));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return phone;
}

Result<wallet::SignUpRequest> decode_sign_up(std::string_view body) {
  wallet::SignUpRequest request;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(request.phone, r.required_string("phone", kPhoneCharsMax));
    MPAY_READ(request.otp, r.required_string("otp", kCodeCharsMax));
    MPAY_READ(request.pin, r.required_string("pin", kCodeCharsMax));
    MPAY_READ(request.device_id, r.optional_string("device_id", wallet::kDeviceIdCharsMax));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return request;
}

Result<wallet::SessionRequest> decode_session_request(std::string_view body) {
  wallet::SessionRequest request;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(request.phone, r.required_string("phone", kPhoneCharsMax));
    MPAY_READ(request.pin, r.required_string("pin", kCodeCharsMax));
    MPAY_READ(request.device_id, r.optional_string("device_id", wallet::kDeviceIdCharsMax));
    MPAY_READ(request.otp, r.optional_string("otp", kCodeCharsMax));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return request;
}

Result<PinResetRequest> decode_pin_reset(std::string_view body) {
  PinResetRequest request;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(request.phone, r.required_string("phone", kPhoneCharsMax));
    MPAY_READ(request.otp, r.required_string("otp", kCodeCharsMax));
    MPAY_READ(request.new_pin, r.required_string("new_pin", kCodeCharsMax));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return request;
}

Result<PinChangeRequest> decode_pin_change(std::string_view body) {
  PinChangeRequest request;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(request.pin, r.required_string("pin", kCodeCharsMax));
    MPAY_READ(request.new_pin, r.required_string("new_pin", kCodeCharsMax));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return request;
}

Result<wallet::KycSubmission> decode_kyc(std::string_view body) {
  wallet::KycSubmission request;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(request.full_name, r.required_string("full_name", wallet::kFullNameCharsMax));
    MPAY_READ(request.document_type, r.required_string("document_type", 64));
    MPAY_READ(request.document_number, r.required_string("document_number", 64));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return request;
}

Result<BankLinkRequest> decode_bank_link(std::string_view body) {
  BankLinkRequest request;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(request.bank_code, r.required_string("bank_code", 16));
    MPAY_READ(request.account_number, r.required_string("account_number", 40));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return request;
}

Result<wallet::BankOrderRequest> decode_bank_order(std::string_view body, wallet::BankOrderKind kind) {
  wallet::BankOrderRequest request;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(request.bank_account_id, r.required_string("bank_account_id", 64));
    MPAY_READ(request.amount, r.required_string("amount", 40));
    MPAY_READ(request.currency, r.required_string("currency", 8));
    if (kind == wallet::BankOrderKind::withdrawal) {
      MPAY_READ(request.pin, r.required_string("pin", kCodeCharsMax));
    }
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return request;
}

Result<wallet::P2pRequest> decode_transfer(std::string_view body, size_t note_chars_max) {
  wallet::P2pRequest request;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(request.to_phone, r.required_string("to_phone", kPhoneCharsMax));
    MPAY_READ(request.amount, r.required_string("amount", 40));
    MPAY_READ(request.currency, r.required_string("currency", 8));
    MPAY_READ(request.pin, r.required_string("pin", kCodeCharsMax));
    MPAY_READ(request.note, r.optional_string("note", note_chars_max));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return request;
}

Result<std::optional<std::string>> decode_freeze(std::string_view body) {
  std::optional<std::string> reason;
  if (body.empty()) return reason;
  Status read = read_json_object(body, [&](JsonObjectReader& r) -> Status {
    MPAY_READ(reason, r.optional_string("reason", wallet::kFreezeReasonCharsMax));
    return ok_status();
  });
  if (!read.ok()) return read.error();
  return reason;
}

Result<wallet::TransactionQuery> decode_transaction_query(
    const std::vector<std::pair<std::string, std::string>>& query) {
  wallet::TransactionQuery decoded;
  for (const auto& [name, value] : query) {
    const char* begin = value.data();
    const char* end = value.data() + value.size();
    if (name == "limit") {
      uint32_t limit = 0;
      auto parsed = std::from_chars(begin, end, limit);
      if (parsed.ec != std::errc() || parsed.ptr != end || limit == 0 ||
          limit > wallet::kTransactionsLimitMax) {
        return Error("limit_invalid", "limit is a number from 1 to 100", "limit");
      }
      decoded.limit = limit;
    } else if (name == "cursor") {
      int64_t cursor = 0;
      auto parsed = std::from_chars(begin, end, cursor);
      if (parsed.ec != std::errc() || parsed.ptr != end || cursor <= 0) {
        return Error("cursor_invalid", "cursor is the next_cursor of a previous page", "cursor");
      }
      decoded.cursor = cursor;
    } else if (name == "type") {
      decoded.type = wallet::parse_transaction_type(value);
      if (!decoded.type) {
        return Error("type_invalid", "type is p2p_transfer, top_up or withdrawal", "type");
      }
    } else if (name == "from" || name == "to") {
      Result<int64_t> at = parse_rfc3339(value);
      if (!at.ok()) return Error("timestamp_invalid", at.error().message, name);
      (name == "from" ? decoded.from_ns : decoded.to_ns) = *at;
    } else {
      return Error("query_parameter_unknown", "unknown query parameter", name);
    }
  }
  return decoded;
}

}  // namespace mpay::api
