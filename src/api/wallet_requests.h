// Decoding the wallet API's request bodies and query strings: strict JSON into the wallet's
// request values, every mistake a precise 400-class error naming its field. Pure functions (the
// fuzz target fuzz/wallet_requests_fuzz.cc drives every one of them).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "payments/wallet/access.h"
#include "payments/wallet/bank_orders.h"
#include "payments/wallet/kyc.h"
#include "payments/wallet/p2p_transfer.h"
#include "payments/wallet/wallet_queries.h"

namespace mpay::api {

struct PinResetRequest {
  std::string phone;
  std::string otp;
  std::string new_pin;
};
struct PinChangeRequest {
  std::string pin;
  std::string new_pin;
};
struct BankLinkRequest {
  std::string bank_code;
  std::string account_number;
};

Result<std::string> decode_otp_request(std::string_view body);  // the phone
Result<wallet::SignUpRequest> decode_sign_up(std::string_view body);
Result<wallet::SessionRequest> decode_session_request(std::string_view body);
Result<PinResetRequest> decode_pin_reset(std::string_view body);
Result<PinChangeRequest> decode_pin_change(std::string_view body);
Result<wallet::KycSubmission> decode_kyc(std::string_view body);
Result<BankLinkRequest> decode_bank_link(std::string_view body);
Result<wallet::BankOrderRequest> decode_bank_order(std::string_view body, wallet::BankOrderKind kind);
Result<wallet::P2pRequest> decode_transfer(std::string_view body, size_t note_chars_max);
// An empty body is no reason.
Result<std::optional<std::string>> decode_freeze(std::string_view body);
Result<wallet::TransactionQuery> decode_transaction_query(
    const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace mpay::api
