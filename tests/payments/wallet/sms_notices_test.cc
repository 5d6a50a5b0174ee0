#include "payments/wallet/sms_notices.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "support/temp_directory.h"

namespace mpay::wallet {
namespace {

std::vector<nlohmann::json> outbox_lines(const std::string& path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(SmsNotices, EveryTransferTellsBothPartiesInOrder) {
  testing::TempDirectory directory;
  ManualClock clock(1'795'000'000LL * 1'000'000'000);
  std::string path = directory.path() + "/sms-outbox.jsonl";
  auto sms = notify::OutboxSmsSender::open(path, clock);
  ASSERT_TRUE(sms.ok());
  {
    BackgroundWorker background;
    SmsNotices notices(**sms, background, *currency_by_code("CNY"));
    for (int i = 0; i < 500; ++i) {
      ASSERT_TRUE(notices.enqueue({"+8613900000001", "+8613900000002", 100 + i}));
    }
    background.drain();
  }
  std::vector<nlohmann::json> lines = outbox_lines(path);
  ASSERT_EQ(lines.size(), 1000u);
  EXPECT_EQ(lines[0]["to"], "+8613900000001");
  EXPECT_EQ(lines[0]["purpose"], "transfer_sent");
  EXPECT_EQ(lines[0]["text"], "mpay: you sent 1.00 CNY to +86 139****0002.");
  EXPECT_EQ(lines[1]["to"], "+8613900000002");
  EXPECT_EQ(lines[1]["text"], "mpay: you received 1.00 CNY from +86 139****0001.");
  EXPECT_EQ(lines[999]["text"], "mpay: you received 5.99 CNY from +86 139****0001.");
}

TEST(SmsNotices, WrittenNoticesGoOutWithTheTransfersInTheOrderQueued) {
  testing::TempDirectory directory;
  ManualClock clock(1'795'000'000LL * 1'000'000'000);
  std::string path = directory.path() + "/sms-outbox.jsonl";
  auto sms = notify::OutboxSmsSender::open(path, clock);
  ASSERT_TRUE(sms.ok());
  {
    BackgroundWorker background;
    SmsNotices notices(**sms, background, *currency_by_code("CNY"));
    ASSERT_TRUE(notices.enqueue(notify::SmsMessage{"+8613900000003", "Tea asks you to pay", "payment_request"}));
    ASSERT_TRUE(notices.enqueue({"+8613900000001", "+8613900000002", 250}));
    ASSERT_TRUE(notices.enqueue(notify::SmsMessage{"+8613900000004", "Noodles ask you to pay", "payment_request"}));
    background.drain();
  }
  std::vector<nlohmann::json> lines = outbox_lines(path);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["to"], "+8613900000003");
  EXPECT_EQ(lines[0]["purpose"], "payment_request");
  EXPECT_EQ(lines[0]["text"], "Tea asks you to pay");
  EXPECT_EQ(lines[1]["purpose"], "transfer_sent");
  EXPECT_EQ(lines[2]["purpose"], "transfer_received");
  EXPECT_EQ(lines[3]["to"], "+8613900000004");
  EXPECT_EQ(lines[3]["text"], "Noodles ask you to pay");
}

TEST(SmsNotices, AFullQueueRefusesEitherKind) {
  testing::TempDirectory directory;
  ManualClock clock(1'795'000'000LL * 1'000'000'000);
  auto sms = notify::OutboxSmsSender::open(directory.path() + "/sms-outbox.jsonl", clock);
  ASSERT_TRUE(sms.ok());
  // A worker whose queue holds nothing: the first flush cannot be posted, so notices pile up.
  BackgroundWorker background(/*jobs_max=*/0);
  SmsNotices notices(**sms, background, *currency_by_code("CNY"));
  for (size_t i = 0; i < SmsNotices::kPendingMax; ++i) {
    ASSERT_TRUE(notices.enqueue({"+8613900000001", "+8613900000002", 1}));
  }
  EXPECT_FALSE(notices.enqueue({"+8613900000001", "+8613900000002", 1}));
  EXPECT_FALSE(notices.enqueue(notify::SmsMessage{"+8613900000003", "asks you to pay", "payment_request"}));
}

}  // namespace
}  // namespace mpay::wallet
