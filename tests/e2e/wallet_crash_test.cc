// Wallet payments under SIGKILL: transfers run from several connections, mpayd is killed in the
// middle, and after a restart every acknowledged transfer is there, nothing was invented, and the
// money adds up (what the users hold is what they topped up).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "core/currency.h"
#include "core/money.h"
#include "support/wallet_server_fixture.h"

namespace mpay {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using testing::HttpReply;

class WalletCrashTest : public testing::WalletServerTest {};

int64_t minor(const json& amount) {
  return *parse_amount(amount.get<std::string>(), *currency_by_code("CNY"));
}

TEST_F(WalletCrashTest, AcknowledgedTransfersSurviveSigkill) {
  constexpr int kUsers = 4;
  std::vector<std::unique_ptr<testing::WalletApp>> users;
  for (int i = 0; i < kUsers; ++i) {
    users.push_back(app(60 + i));
    users.back()->open_funded(60 + i, "100.00");
  }
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> payers;
  for (int i = 0; i < kUsers; ++i) {
    payers.emplace_back([&, i] {
      testing::WalletApp payer(port(), data(), users[i]->phone());
      payer.set_token(users[i]->token());
      for (int n = 0; !stop; ++n) {
        try {
          HttpReply reply = payer.transfer(users[(i + 1 + n % (kUsers - 1)) % kUsers]->phone(), "0.01");
          if (reply.status == 201) {
            std::lock_guard lock(mutex);
            acknowledged.insert(json::parse(reply.body)["id"].get<std::string>());
          }
        } catch (const std::exception&) {
          return;  // the server died under us
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  server_->kill_now();
  stop = true;
  for (std::thread& payer : payers) payer.join();
  ASSERT_GT(acknowledged.size(), 10u);

  start();
  int64_t total = 0;
  std::set<std::string> found;
  for (int i = 0; i < kUsers; ++i) {
    auto user = app(60 + i);
    user->log_in();
    json wallet = user->wallet();
    EXPECT_EQ(wallet["pending"], "0.00");
    total += minor(wallet["available"]);
    std::string cursor;
    for (;;) {
      HttpReply page = user->get("/v1/me/transactions?limit=100&type=p2p_transfer" + cursor);
      ASSERT_EQ(page.status, 200u) << page.body;
      json body = json::parse(page.body);
      for (const json& item : body["items"]) {
        if (item["direction"] == "out") found.insert(item["id"].get<std::string>());
      }
      if (body["next_cursor"].is_null()) break;
      cursor = "&cursor=" + body["next_cursor"].get<std::string>();
    }
  }
  EXPECT_EQ(total, kUsers * 10'000) << "money was lost or invented";
  for (const std::string& id : acknowledged) EXPECT_TRUE(found.contains(id)) << "acknowledged transfer lost: " << id;
}

}  // namespace
}  // namespace mpay
