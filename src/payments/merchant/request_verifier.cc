#include "payments/merchant/request_verifier.h"

#include <algorithm>
#include <string>

#include "payments/merchant/request_signature.h"

namespace mpay::merchant {
namespace {

Error header_missing(std::string_view header) {
  return Error("signature_headers_missing",
               "signed merchant requests carry X-Mpay-Key, X-Mpay-Timestamp, X-Mpay-Nonce and X-Mpay-Signature; " +
                   std::string(header) + " is missing",
               std::string(header));
}

Error header_invalid(std::string_view header, std::string_view rule) {
  return Error("signature_header_invalid", std::string(header) + " " + std::string(rule), std::string(header));
}

std::optional<int64_t> parse_timestamp(std::string_view text) {
  if (text.empty() || text.size() > kTimestampDigitsMax) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Result<MerchantId> RequestVerifier::verify(const SignedRequest& request) {
  if (!request.key_id) return header_missing(kKeyHeader);
  if (!request.timestamp) return header_missing(kTimestampHeader);
  if (!request.nonce) return header_missing(kNonceHeader);
  if (!request.signature) return header_missing(kSignatureHeader);
  std::optional<int64_t> timestamp_s = parse_timestamp(*request.timestamp);
  if (!timestamp_s) return header_invalid(kTimestampHeader, "must be Unix seconds in decimal digits");
  if (!is_valid_nonce(*request.nonce)) return header_invalid(kNonceHeader, "must be 1 to 64 of [A-Za-z0-9_-]");
  if (request.signature->size() != kSignatureHexChars || !is_lower_hex(*request.signature)) {
    return header_invalid(kSignatureHeader, "must be 64 lower-case hexadecimal characters");
  }

  int64_t now_s = clock_.now_ns() / 1'000'000'000;
  if (*timestamp_s < now_s - kTimestampSkewMaxS || *timestamp_s > now_s + kTimestampSkewMaxS) {
    return Error("timestamp_skew", "X-Mpay-Timestamp is more than 300 s from the server's clock (now " +
                                       std::to_string(now_s) + ")", std::string(kTimestampHeader));
  }
  if (*timestamp_s <= started_at_s_) {
    return Error("timestamp_before_start", "signed before the server restarted: sign again with a fresh timestamp",
                 std::string(kTimestampHeader));
  }
  std::optional<ApiKey> key = directory_.key(*request.key_id);
  if (!key) return Error("key_unknown", "no API key has this id", std::string(kKeyHeader));
  if (key->status == KeyStatus::revoked) return Error("key_revoked", "this API key was revoked", std::string(kKeyHeader));

  std::string expected = sign_request(key->secret, request.method, request.target, *request.timestamp,
                                      *request.nonce, request.body);
  if (!equal_constant_time(expected, *request.signature)) {
    return Error("signature_invalid", "the signature does not match this request (see docs/merchant-api.md)",
                 std::string(kSignatureHeader));
  }
  if (directory_.status(key->merchant_id) != MerchantStatus::active) {
    return Error("merchant_suspended", "the merchant is suspended; contact the operator");
  }
  if (*timestamp_s <= key->restart_floor_s) {
    return Error("timestamp_before_start", "signed before the server restarted: sign again with a fresh timestamp",
                 std::string(kTimestampHeader));
  }
  switch (nonces_.remember(key->key_id, *request.nonce, *timestamp_s + kTimestampSkewMaxS + 1, now_s)) {
    case NonceOutcome::reused:
      return Error("nonce_reused", "this key has used this nonce already", std::string(kNonceHeader));
    case NonceOutcome::full:
      return Error("store_busy", "too many signed requests in flight; retry in a few seconds");
    case NonceOutcome::fresh:
      break;
  }
  if (*timestamp_s > now_s) {
    Status reserved = reserve_future(*key, *timestamp_s, now_s);
    if (!reserved.ok()) return reserved.error();
  }
  return key->merchant_id;
}

Status RequestVerifier::reserve_future(const ApiKey& key, int64_t timestamp_s, int64_t now_s) {
  if (timestamp_s <= key.future_reserved_until_s) return ok_status();
  int64_t until_s = std::max(timestamp_s, now_s) + kFutureReserveAheadS;
  Status written = repository_.reserve_key_future(key.key_id, until_s);
  if (!written.ok()) return written;
  directory_.raise_future_reservation(key.key_id, until_s);
  return ok_status();
}

}  // namespace mpay::merchant
