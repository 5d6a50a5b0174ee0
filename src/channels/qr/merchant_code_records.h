// A merchant's QR code as the platform keeps it (DATA/mpay.db, table qr_merchant_codes). Plain
// values; who may change them and how is in merchant_codes.h and scan.h.
//
// A static code names the merchant (and till); every scan asks the user for the amount and makes
// a new payment request. A dynamic code carries an amount and is single use: the first user to
// scan it gets its one payment request; it expires with it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "payments/wallet/wallet_records.h"

namespace mpay::qr {

enum class CodeKind : uint8_t { static_code = 1, dynamic_code = 2 };
// Header-only so that the store can use them without linking the channel.
inline std::string_view kind_name(CodeKind kind) {  // "static" | "dynamic"
  return kind == CodeKind::dynamic_code ? "dynamic" : "static";
}
inline std::optional<CodeKind> kind_from_name(std::string_view name) {
  if (name == "static") return CodeKind::static_code;
  if (name == "dynamic") return CodeKind::dynamic_code;
  return std::nullopt;
}

struct MerchantCode {
  Id128 id;
  Id128 merchant_id;
  CodeKind kind = CodeKind::static_code;
  std::string token;               // the code's public name: in the payload and in its URL
  std::string payload;             // the EMV payload, fixed at creation
  uint16_t currency = 0;           // ISO 4217 numeric
  int64_t amount_minor = 0;        // dynamic codes; 0 for static ones
  std::string merchant_reference;  // dynamic: becomes its payment request's reference
  std::string description;
  std::string terminal_label;        // the till, EMV 62.07; may be empty
  std::string metadata_json = "{}";  // copied into the payment requests it makes
  int64_t created_at_ns = 0;
  int64_t expires_at_ns = 0;      // dynamic codes; 0 = never (static)
  int64_t deactivated_at_ns = 0;  // 0 while usable
  // Dynamic codes, once scanned: who scanned first and the payment request made for them.
  std::optional<wallet::UserId> claimed_by;
  std::optional<Id128> request_id;
  int64_t claimed_at_ns = 0;
};

}  // namespace mpay::qr
