// A merchant's QR codes: creating them (static or dynamic, with the EMV payload and the URL form),
// reading their status, and retiring static ones. Called from the API's blocking pool.
#pragma once

#include <optional>
#include <string>

#include "channels/qr/qr_context.h"

namespace mpay::qr {

struct NewMerchantCode {
  std::string kind;                   // "static" | "dynamic"
  std::optional<std::string> amount;  // dynamic codes only: "25.00"
  std::string currency;               // ISO 4217; the wallets' currency
  std::string merchant_reference;  // dynamic: its payment request's reference (default qr-<token>)
  std::string description;
  std::string terminal_label;           // the till, printable ASCII
  std::optional<int64_t> expires_in_s;  // dynamic codes only
  std::string metadata_json = "{}";     // a flat JSON object of strings, already checked
  // The merchant's name (and city) in another language, EMV template 64, e.g. Chinese.
  std::string alternate_language;  // ISO 639-1, two letters ("ZH")
  std::string alternate_name;
  std::string alternate_city;
};

enum class CodeStatus { active, used, expired, deactivated };
std::string_view code_status_name(CodeStatus status);
CodeStatus code_status(const MerchantCode& code, int64_t now_ns);

// The URL form of a code: <public base URL>/q/<token>.
std::string code_url(const QrContext& context, const MerchantCode& code);

// Errors: merchant_unavailable, qr_code_kind_invalid, amount_required, amount_not_allowed,
// currency_*, amount_*, expires_in_s_not_allowed, expires_in_s_out_of_range, description_too_long,
// merchant_reference_invalid, merchant_reference_taken, terminal_label_invalid,
// alternate_language_invalid, alternate_name_invalid, alternate_city_invalid,
// qr_static_code_limit, qr_payload_* (the payload could not be built), store_error.
Result<MerchantCode> create_merchant_code(QrContext& context, const Id128& merchant,
                                          const NewMerchantCode& request);

// A static code stops being accepted; dynamic codes expire instead. Errors: qr_code_not_found
// (also for another merchant's code), qr_code_not_static, store_error.
Result<MerchantCode> deactivate_merchant_code(QrContext& context, const Id128& merchant,
                                              const Id128& code_id);

}  // namespace mpay::qr
