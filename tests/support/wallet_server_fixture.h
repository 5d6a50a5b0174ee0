// A gtest fixture running mpayd for wallet end-to-end tests: a fresh data directory, a fast
// sandbox bank (latency 5 ms, answer timeout 500 ms), and WalletApps for phones.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/mpayd_process.h"
#include "support/temp_directory.h"
#include "support/wallet_app.h"

namespace mpay::testing {

class WalletServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }

  void start(const std::string& bank_latency_ms = "5", const std::vector<std::string>& extra = {}) {
    std::vector<std::string> arguments{"--sandbox-bank-latency-ms", bank_latency_ms, "--sandbox-bank-timeout-ms", "500"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    server_ = std::make_unique<MpaydProcess>(MPAYD_BINARY, data(), arguments);
  }
  int stop() { return server_->stop(); }

  std::string data() const { return directory_.path() + "/data"; }
  uint16_t port() const { return server_->port(); }
  pid_t pid() const { return server_->pid(); }

  // "+86139000000NN"-style valid mobile numbers, one per index.
  static std::string phone(int index) {
    char text[20];
    std::snprintf(text, sizeof(text), "+86139%08d", index);
    return text;
  }
  std::unique_ptr<WalletApp> app(int index) { return std::make_unique<WalletApp>(port(), data(), phone(index)); }

  HttpReply operator_call(boost::beast::http::verb method, const std::string& target,
                          const nlohmann::json& body = nullptr) {
    HttpClient client("127.0.0.1", port());
    return client.request(method, target, body.is_null() ? "" : body.dump(),
                          {{"Authorization", "Bearer " + server_->operator_token()}});
  }

  TempDirectory directory_;
  std::unique_ptr<MpaydProcess> server_;
};

}  // namespace mpay::testing
