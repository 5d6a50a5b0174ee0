// Limits and rules of payment requests, declared in one place (mpayd flags/config may change them).
#pragma once

#include <cstdint>

namespace mpay::requests {

// The terms of a request (reference, description, metadata and fixed fields) are journaled in one
// event payload at creation, at most 16 KiB (ledger::kAppEventPayloadBytesMax): the text limits
// below keep them under 2.8 KiB; limits whose worst case passes 16 KiB stop mpayd at start
// (check_terms_fit_the_journal, request_events.h).
struct RequestOptions {
  int64_t expires_in_s_default = 900;       // a request the merchant gives no expiry
  int64_t expires_in_s_min = 60;
  int64_t expires_in_s_max = 7 * 86400;
  int64_t authorization_ttl_s = 7 * 86400;  // an authorization not captured by then is voided
  uint32_t description_chars_max = 140;
  uint32_t reference_chars_max = 64;
  uint32_t metadata_bytes_max = 2048;       // a flat JSON object of strings
  uint32_t metadata_keys_max = 20;
  uint32_t refund_reason_chars_max = 140;
  uint32_t refunds_per_request_max = 50;
  uint32_t pending_per_payer_max = 100;     // requests awaiting one user's confirmation
  int64_t phone_bill_monthly_allowance_minor = 50000;  // CNY 500.00
  bool refund_returns_fee = true;           // refunds give the merchant its fee back in proportion
  uint32_t list_limit_max = 200;
};

}  // namespace mpay::requests
