// A phone app's side of the wallet API for end-to-end tests: sign-up with the code read from the
// SMS outbox (what the phone would have received), login, KYC, bank accounts, money. Each call
// returns the raw reply; helpers named *_ok assert success and return the parsed body.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "support/http_client.h"
#include "support/mpayd_process.h"

namespace mpay::testing {

inline constexpr const char* kTestPin = "135790";

// A valid mainland identity card number (GB 11643 check character) born 1990-01-01.
inline std::string test_id_card(int sequence) {
  char base[24];
  std::snprintf(base, sizeof(base), "11010519900101%03d", sequence % 1000);
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (base[i] - '0') * kWeights[i];
  return std::string(base, 17) + "10X98765432"[sum % 11];
}

// Reads one-time codes and notices from DATA/sms-outbox.jsonl.
class SmsOutbox {
 public:
  explicit SmsOutbox(std::string data_directory) : path_(data_directory + "/sms-outbox.jsonl") {}

  std::vector<nlohmann::json> messages_to(const std::string& e164) const {
    std::vector<nlohmann::json> found;
    std::ifstream in(path_);
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json message = nlohmann::json::parse(line);
      if (message["to"] == e164) found.push_back(message);
    }
    return found;
  }

  std::string last_code(const std::string& e164) const {
    std::vector<nlohmann::json> messages = messages_to(e164);
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
      if ((*it)["purpose"] != "otp") continue;
      std::smatch match;
      std::string text = (*it)["text"];
      if (std::regex_search(text, match, std::regex("\\b(\\d{6})\\b"))) return match[1];
    }
    return "";
  }

 private:
  std::string path_;
};

class WalletApp {
 public:
  WalletApp(uint16_t port, std::string data_directory, std::string phone)
      : client_("127.0.0.1", port), outbox_(std::move(data_directory)), phone_(std::move(phone)) {}

  const std::string& phone() const { return phone_; }
  const std::string& token() const { return token_; }
  const std::string& user_id() const { return user_id_; }
  const SmsOutbox& outbox() const { return outbox_; }
  void set_token(std::string token) { token_ = std::move(token); }

  HttpReply call(boost::beast::http::verb method, const std::string& target,
                 const nlohmann::json& body = nullptr, std::map<std::string, std::string> headers = {}) {
    if (!token_.empty() && !headers.contains("Authorization")) headers["Authorization"] = "Bearer " + token_;
    return client_.request(method, target, body.is_null() ? "" : body.dump(), headers);
  }
  HttpReply post(const std::string& target, const nlohmann::json& body,
                 std::map<std::string, std::string> headers = {}) {
    return call(boost::beast::http::verb::post, target, body, std::move(headers));
  }
  HttpReply get(const std::string& target) { return call(boost::beast::http::verb::get, target); }

  std::string request_code() {
    HttpReply reply = post("/v1/auth/otp", {{"phone", phone_}});
    EXPECT_EQ(reply.status, 202u) << reply.body;
    return outbox_.last_code(phone_);
  }

  // Signs up and logs in from device "test-device".
  void sign_up_and_log_in() {
    std::string code = request_code();
    HttpReply reply = post("/v1/users", {{"phone", phone_}, {"otp", code}, {"pin", kTestPin},
                                         {"device_id", "test-device"}});
    ASSERT_EQ(reply.status, 201u) << reply.body;
    user_id_ = nlohmann::json::parse(reply.body)["user_id"];
    log_in();
  }

  void log_in() {
    HttpReply reply = post("/v1/sessions", {{"phone", phone_}, {"pin", kTestPin}, {"device_id", "test-device"}});
    ASSERT_EQ(reply.status, 201u) << reply.body;
    token_ = nlohmann::json::parse(reply.body)["token"];
  }

  void verify_identity(int sequence, const std::string& name = "张三") {
    HttpReply reply = post("/v1/me/kyc", {{"full_name", name},
                                          {"document_type", "mainland_id_card"},
                                          {"document_number", test_id_card(sequence)}});
    ASSERT_EQ(reply.status, 200u) << reply.body;
  }

  // Returns the bank_account_id. Account numbers ending 0000-0005 trigger the sandbox's rules.
  std::string link_bank(const std::string& account_number) {
    HttpReply reply = post("/v1/me/bank-accounts", {{"bank_code", "ICBC"}, {"account_number", account_number}});
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return nlohmann::json::parse(reply.body).value("bank_account_id", "");
  }

  // Polls an order until it leaves "pending" (at most 20 s).
  nlohmann::json wait_order(const std::string& kind_path, const std::string& id) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    nlohmann::json order;
    do {
      HttpReply reply = get("/v1/me/" + kind_path + "/" + id);
      EXPECT_EQ(reply.status, 200u) << reply.body;
      order = nlohmann::json::parse(reply.body);
      if (order["status"] != "pending") return order;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    ADD_FAILURE() << "order " << id << " still pending";
    return order;
  }

  nlohmann::json top_up(const std::string& bank_account_id, const std::string& amount) {
    HttpReply reply = post("/v1/me/top-ups", {{"bank_account_id", bank_account_id}, {"amount", amount},
                                              {"currency", "CNY"}});
    EXPECT_EQ(reply.status, 202u) << reply.body;
    return wait_order("top-ups", nlohmann::json::parse(reply.body).value("id", ""));
  }

  // Signs up, verifies, links an ordinary sandbox account and tops up `amount`.
  void open_funded(int sequence, const std::string& amount) {
    sign_up_and_log_in();
    verify_identity(sequence);
    char account[32];
    std::snprintf(account, sizeof(account), "62220200000%05d", 1000 + sequence);
    bank_account_id_ = link_bank(account);
    nlohmann::json order = top_up(bank_account_id_, amount);
    ASSERT_EQ(order["status"], "confirmed") << order.dump();
  }
  const std::string& bank_account_id() const { return bank_account_id_; }

  nlohmann::json wallet() {
    HttpReply reply = get("/v1/me/wallet");
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return nlohmann::json::parse(reply.body);
  }

  HttpReply transfer(const std::string& to_phone, const std::string& amount,
                     const std::string& pin = kTestPin, std::map<std::string, std::string> headers = {}) {
    return post("/v1/transfers", {{"to_phone", to_phone}, {"amount", amount}, {"currency", "CNY"}, {"pin", pin}},
                std::move(headers));
  }

 private:
  HttpClient client_;
  SmsOutbox outbox_;
  std::string phone_;
  std::string token_;
  std::string user_id_;
  std::string bank_account_id_;
};

inline std::string error_code_of(const HttpReply& reply) {
  nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
  if (!body.is_object() || !body.contains("error")) return "<no error: " + reply.body + ">";
  return body["error"]["code"];
}

}  // namespace mpay::testing
