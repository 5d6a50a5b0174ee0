// Merchants for end-to-end tests: onboarding through the operator API, and signed requests
// (docs/merchant-api.md) with every header under the test's control, so that each refusal can be
// provoked on purpose.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "payments/merchant/request_signature.h"
#include "support/http_client.h"

namespace mpay::testing {

inline nlohmann::json merchant_application_json(const std::string& display_name = "Noodle Bar") {
  return {{"legal_name", "Shanghai Noodle Co., Ltd."},
          {"display_name", display_name},
          {"mcc", "5814"},
          {"country", "CN"},
          {"city", "Shanghai"},
          {"fee_bps", 120},
          {"settlement_account",
           {{"bank_code", "ICBC"}, {"account_number", "6222020200112233445"}, {"holder_name", "Shanghai Noodle Co"}}},
          {"webhook_url", "https://noodle.example.com/mpay/webhooks"}};
}

inline int64_t unix_now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct SignedCall {
  std::string method = "GET";
  std::string target = "/v1/merchant";
  std::string body;
  std::optional<std::string> key_id, timestamp, nonce, signature;  // defaults: the merchant's, now, fresh, right
  std::optional<std::string> secret;                               // sign with another secret
  std::map<std::string, std::string> headers;                      // more, e.g. Idempotency-Key

  SignedCall& with_target(std::string value) { target = std::move(value); return *this; }
  SignedCall& with_body(std::string value) { body = std::move(value); return *this; }
  SignedCall& with_key_id(std::string value) { key_id = std::move(value); return *this; }
  SignedCall& with_timestamp(std::string value) { timestamp = std::move(value); return *this; }
  SignedCall& with_nonce(std::string value) { nonce = std::move(value); return *this; }
  SignedCall& with_signature(std::string value) { signature = std::move(value); return *this; }
  SignedCall& with_secret(std::string value) { secret = std::move(value); return *this; }
  SignedCall& with_header(std::string name, std::string value) {
    headers[std::move(name)] = std::move(value);
    return *this;
  }
};

class MerchantClient {
 public:
  MerchantClient(uint16_t port, std::string key_id, std::string secret)
      : port_(port), key_id_(std::move(key_id)), secret_(std::move(secret)) {}

  HttpReply send(SignedCall call, bool omit_signature_headers = false) {
    std::string timestamp = call.timestamp.value_or(std::to_string(unix_now_s()));
    std::string nonce = call.nonce.value_or("n" + std::to_string(++nonce_counter_) + "-" + std::to_string(unix_now_s()));
    std::string signature = call.signature.value_or(
        merchant::sign_request(call.secret.value_or(secret_), call.method, call.target, timestamp, nonce, call.body));
    std::map<std::string, std::string> headers = call.headers;
    if (!omit_signature_headers) {
      headers.insert({{"X-Mpay-Key", call.key_id.value_or(key_id_)},
                      {"X-Mpay-Timestamp", timestamp},
                      {"X-Mpay-Nonce", nonce},
                      {"X-Mpay-Signature", signature}});
    }
    HttpClient client("127.0.0.1", port_);
    return client.request(boost::beast::http::string_to_verb(call.method), call.target, call.body, headers);
  }
  const std::string& key_id() const { return key_id_; }

 private:
  uint16_t port_;
  std::string key_id_;
  std::string secret_;
  int nonce_counter_ = 0;
};

}  // namespace mpay::testing
