// The merchant examples (examples/merchant/) and the CLI against a live mpayd: `mpay merchant
// create` onboards over HTTP, then sign-and-send.sh (bash + openssl + curl) and client.py (Python
// standard library) each send a real signed request with the printed credentials.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <map>
#include <sstream>

#include "support/run_program.h"
#include "support/wallet_server_fixture.h"

namespace mpay {
namespace {

using CommandResult = testing::ProgramOutput;

CommandResult run(const std::string& command) { return testing::run_program(command); }

// "name:   value" lines of `mpay merchant create`.
std::map<std::string, std::string> fields_of(const std::string& out) {
  std::map<std::string, std::string> fields;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t value = line.find_first_not_of(' ', colon + 1);
    fields[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
  }
  return fields;
}

class MerchantExamplesTest : public testing::WalletServerTest {
 protected:
  std::string server_url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  std::map<std::string, std::string> create_with_cli() {
    CommandResult created = run(std::string(MPAY_CLI_BINARY) + " merchant create --server " + server_url() + " --data " + data() +
                                " --legal-name 'Shanghai Noodle Co., Ltd.' --display-name 'Noodle Bar' --mcc 5814"
                                " --country CN --city Shanghai --fee-bps 120 --currency CNY"
                                " --settlement-bank-code ICBC --settlement-account-number 6222020200112233445"
                                " --settlement-holder 'Shanghai Noodle Co'"
                                " --webhook-url https://noodle.example.com/mpay/webhooks 2>/dev/null");
    EXPECT_EQ(created.status, 0) << created.out;
    return fields_of(created.out);
  }
  std::string environment(const std::map<std::string, std::string>& merchant) const {
    return "MPAY_BASE_URL=" + server_url() + " MPAY_KEY_ID=" + merchant.at("key_id") +
           " MPAY_KEY_SECRET=" + merchant.at("key_secret") + " ";
  }
};

TEST_F(MerchantExamplesTest, TheCliOnboardsAndPrintsTheSecretsOnce) {
  std::map<std::string, std::string> merchant = create_with_cli();
  EXPECT_EQ(merchant["merchant_id"].size(), 36u);
  EXPECT_TRUE(merchant["key_id"].starts_with("mk_"));
  EXPECT_TRUE(merchant["key_secret"].starts_with("msk_"));
  EXPECT_TRUE(merchant["webhook_secret"].starts_with("whsec_"));
  CommandResult bad = run(std::string(MPAY_CLI_BINARY) + " merchant create --server " + server_url() + " --data " + data() +
                          " --legal-name L --display-name D --mcc 0000 --country CN --city C --fee-bps 1"
                          " --settlement-bank-code ICBC --settlement-account-number 6222020200112233445"
                          " --settlement-holder H --webhook-url https://x.example/ 2>&1");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.out.find("mcc_invalid"), std::string::npos) << bad.out;

  CommandResult key = run(std::string(MPAY_CLI_BINARY) + " merchant keys create --server " + server_url() + " --data " +
                          data() + " --merchant " + merchant["merchant_id"]);
  ASSERT_EQ(key.status, 0) << key.out;
  std::string new_key = fields_of(key.out)["key_id"];
  CommandResult revoked = run(std::string(MPAY_CLI_BINARY) + " merchant keys revoke --server " + server_url() +
                              " --data " + data() + " --merchant " + merchant["merchant_id"] + " --key " + new_key);
  EXPECT_EQ(revoked.status, 0) << revoked.out;
}

TEST_F(MerchantExamplesTest, TheShellExampleSendsASignedRequest) {
  std::map<std::string, std::string> merchant = create_with_cli();
  CommandResult sent = run(environment(merchant) + MPAY_EXAMPLES_DIR "/sign-and-send.sh 2>&1");
  EXPECT_EQ(sent.status, 0) << sent.out;
  EXPECT_NE(sent.out.find(merchant["merchant_id"]), std::string::npos) << sent.out;
  EXPECT_NE(sent.out.find("HTTP 200"), std::string::npos) << sent.out;
  CommandResult query = run(environment(merchant) + MPAY_EXAMPLES_DIR
                            "/sign-and-send.sh '/v1/payment-requests?limit=1' 2>&1");
  EXPECT_EQ(query.status, 0) << query.out;
  CommandResult wrong = run("MPAY_BASE_URL=" + server_url() + " MPAY_KEY_ID=" + merchant["key_id"] +
                            " MPAY_KEY_SECRET=msk_wrong " MPAY_EXAMPLES_DIR "/sign-and-send.sh 2>&1");
  EXPECT_EQ(wrong.status, 1);
  EXPECT_NE(wrong.out.find("signature_invalid"), std::string::npos) << wrong.out;
}

TEST_F(MerchantExamplesTest, ThePythonExampleSendsASignedRequest) {
  std::map<std::string, std::string> merchant = create_with_cli();
  CommandResult sent = run(environment(merchant) + "python3 " MPAY_EXAMPLES_DIR "/client.py 2>&1");
  EXPECT_EQ(sent.status, 0) << sent.out;
  EXPECT_NE(sent.out.find(merchant["merchant_id"]), std::string::npos) << sent.out;
  CommandResult query =
      run(environment(merchant) + "python3 " MPAY_EXAMPLES_DIR
                                  "/client.py '/v1/payment-requests?limit=1' 2>&1");
  EXPECT_EQ(query.status, 0) << query.out;
}

}  // namespace
}  // namespace mpay
