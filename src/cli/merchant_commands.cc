#include "cli/merchant_commands.h"

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/operator_client.h"

namespace mpay::cli {
namespace {

struct Connection {
  std::string server = "http://127.0.0.1:8080";
  std::string data = "./data";
  std::string idempotency_key;
};

struct CreateOptions {
  std::string legal_name, display_name, mcc, country, city;
  int64_t fee_bps = 0;
  std::vector<std::string> currencies;
  std::string bank_code, account_number, holder_name, webhook_url;
};

struct KeyOptions {
  std::string merchant_id;
  std::string key_id;
};

void add_connection_options(CLI::App* command, Connection& connection) {
  command->add_option("--server", connection.server, "mpayd's address, http://HOST:PORT")->capture_default_str();
  command->add_option("--data", connection.data, "mpayd's data directory (for DATA/operator-token)")
      ->capture_default_str();
  command->add_option("--idempotency-key", connection.idempotency_key,
                      "makes a retry safe (the same key answers the first result, without secrets)");
}

// Sends the request; on a 2xx returns the body as JSON, else prints the error and returns null.
nlohmann::json call(const Connection& connection, const OperatorRequest& request, int& status) {
  Result<OperatorClient> client = OperatorClient::open(connection.server, connection.data);
  if (!client.ok()) {
    std::fprintf(stderr, "mpay: %s: %s\n", client.error().code.c_str(), client.error().message.c_str());
    status = 1;
    return nullptr;
  }
  OperatorRequest sent = request;
  sent.idempotency_key = connection.idempotency_key;
  Result<ServerReply> reply = client->send(sent);
  if (!reply.ok()) {
    std::fprintf(stderr, "mpay: %s: %s\n", reply.error().code.c_str(), reply.error().message.c_str());
    status = 1;
    return nullptr;
  }
  nlohmann::json body = nlohmann::json::parse(reply->body, nullptr, false);
  if (reply->status / 100 != 2 || body.is_discarded()) {
    const nlohmann::json& error = body.is_discarded() ? nlohmann::json() : body.value("error", nlohmann::json());
    std::fprintf(stderr, "mpay: HTTP %u %s: %s%s%s\n", reply->status, error.value("code", "").c_str(),
                 error.value("message", reply->body).c_str(), error.contains("field") ? " (field " : "",
                 error.contains("field") ? (error.value("field", "") + ")").c_str() : "");
    status = 1;
    return nullptr;
  }
  status = 0;
  return body;
}

std::string text_of(const nlohmann::json& value) { return value.is_string() ? value.get<std::string>() : "(not shown: replay)"; }

int create(const Connection& connection, const CreateOptions& options) {
  nlohmann::json body = {{"legal_name", options.legal_name},
                         {"display_name", options.display_name},
                         {"mcc", options.mcc},
                         {"country", options.country},
                         {"city", options.city},
                         {"fee_bps", options.fee_bps},
                         {"settlement_account",
                          {{"bank_code", options.bank_code},
                           {"account_number", options.account_number},
                           {"holder_name", options.holder_name}}},
                         {"webhook_url", options.webhook_url}};
  if (!options.currencies.empty()) body["currencies"] = options.currencies;
  int status = 0;
  nlohmann::json created = call(connection, {"POST", "/v1/admin/merchants", body.dump(), ""}, status);
  if (status != 0) return status;
  std::printf("merchant_id:    %s\n", created["merchant"].value("merchant_id", "").c_str());
  std::printf("key_id:         %s\n", created["api_key"].value("key_id", "").c_str());
  std::printf("key_secret:     %s\n", text_of(created["api_key"]["secret"]).c_str());
  std::printf("webhook_secret: %s\n", text_of(created["webhook_secret"]).c_str());
  std::fflush(stdout);  // the note after the secrets, also when stdout is a pipe
  std::fprintf(stderr, "mpay: the secrets are shown once; store them now (mpay keeps them sealed).\n");
  return 0;
}

int create_key(const Connection& connection, const KeyOptions& options) {
  int status = 0;
  nlohmann::json key =
      call(connection, {"POST", "/v1/admin/merchants/" + options.merchant_id + "/keys", "", ""}, status);
  if (status != 0) return status;
  std::printf("key_id:     %s\n", key.value("key_id", "").c_str());
  std::printf("key_secret: %s\n", text_of(key["secret"]).c_str());
  return 0;
}

int revoke_key(const Connection& connection, const KeyOptions& options) {
  int status = 0;
  call(connection,
       {"POST", "/v1/admin/merchants/" + options.merchant_id + "/keys/" + options.key_id + "/revoke", "", ""},
       status);
  if (status != 0) return status;
  std::printf("revoked: %s\n", options.key_id.c_str());
  return 0;
}

}  // namespace

std::function<int()> add_merchant_commands(CLI::App& app) {
  auto connection = std::make_shared<Connection>();
  auto create_options = std::make_shared<CreateOptions>();
  auto key_options = std::make_shared<KeyOptions>();

  CLI::App* merchant = app.add_subcommand("merchant", "merchants (through the running mpayd)");
  merchant->require_subcommand(1);
  CLI::App* create_command = merchant->add_subcommand("create", "onboard a merchant; prints its secrets once");
  add_connection_options(create_command, *connection);
  CreateOptions& o = *create_options;
  create_command->add_option("--legal-name", o.legal_name, "registered legal name")->required();
  create_command->add_option("--display-name", o.display_name, "name users see (at most 64 characters)")->required();
  create_command->add_option("--mcc", o.mcc, "ISO 18245 merchant category code, e.g. 5814")->required();
  create_command->add_option("--country", o.country, "ISO 3166-1 alpha-2, e.g. CN")->required();
  create_command->add_option("--city", o.city, "city")->required();
  create_command->add_option("--fee-bps", o.fee_bps, "fee rate in basis points, 0..10000")->required();
  create_command->add_option("--currency", o.currencies, "accepted ISO 4217 currency (repeat; default: the server's)");
  create_command->add_option("--settlement-bank-code", o.bank_code, "settlement bank, e.g. ICBC")->required();
  create_command->add_option("--settlement-account-number", o.account_number, "settlement account number")->required();
  create_command->add_option("--settlement-holder", o.holder_name, "settlement account holder")->required();
  create_command->add_option("--webhook-url", o.webhook_url, "https:// URL for webhooks")->required();

  CLI::App* keys = merchant->add_subcommand("keys", "a merchant's API keys");
  keys->require_subcommand(1);
  CLI::App* key_create = keys->add_subcommand("create", "add an API key; prints its secret once");
  CLI::App* key_revoke = keys->add_subcommand("revoke", "revoke an API key");
  for (CLI::App* command : {key_create, key_revoke}) {
    add_connection_options(command, *connection);
    command->add_option("--merchant", key_options->merchant_id, "the merchant id")->required();
  }
  key_revoke->add_option("--key", key_options->key_id, "the key id, mk_...")->required();

  return [=]() -> int {
    if (create_command->parsed()) return create(*connection, *create_options);
    if (key_create->parsed()) return create_key(*connection, *key_options);
    if (key_revoke->parsed()) return revoke_key(*connection, *key_options);
    return -1;
  };
}

}  // namespace mpay::cli
