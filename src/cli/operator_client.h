// The CLI's HTTP client for commands that must go through the running mpayd (the ledger has a
// single writer, so onboarding a merchant cannot happen beside the server): one request to
// --server (http://HOST:PORT), authorized with the operator token read from DATA/operator-token.
// Plain HTTP to a local or trusted address only; put TLS in front for anything else.
// Errors: server_url_invalid, operator_token_unreadable, server_unreachable (with the reason).
#pragma once

#include <string>

#include "core/error.h"

namespace mpay::cli {

struct ServerReply {
  unsigned status = 0;
  std::string body;
};

struct OperatorRequest {
  std::string method;  // "GET", "POST"
  std::string target;  // "/v1/admin/merchants"
  std::string body;    // JSON, or empty
  std::string idempotency_key;  // sent when not empty
};

class OperatorClient {
 public:
  // `server`: "http://HOST:PORT" (no path). The token file is DATA/operator-token.
  static Result<OperatorClient> open(const std::string& server, const std::string& data_directory);
  Result<ServerReply> send(const OperatorRequest& request) const;

 private:
  OperatorClient(std::string host, std::string port, std::string token)
      : host_(std::move(host)), port_(std::move(port)), token_(std::move(token)) {}
  std::string host_;
  std::string port_;
  std::string token_;  // never printed
};

}  // namespace mpay::cli
