#include "payments/wallet/transfer_notices.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/deferred_hand_offs.h"
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

// An SMS outbox in a scratch directory.
struct ScratchOutbox {
  ScratchOutbox() {
    auto opened = notify::OutboxSmsSender::open(path, clock);
    EXPECT_TRUE(opened.ok());
    if (opened.ok()) sms = std::move(*opened);
  }
  testing::TempDirectory directory;
  ManualClock clock{1'795'000'000LL * 1'000'000'000};
  std::string path = directory.path() + "/sms-outbox.jsonl";
  std::unique_ptr<notify::OutboxSmsSender> sms;
};

TEST(TransferNotices, EveryTransferTellsBothPartiesInOrder) {
  ScratchOutbox outbox;
  ASSERT_TRUE(outbox.sms);
  const std::string& path = outbox.path;
  {
    BackgroundWorker background;
    TransferNotices notices(*outbox.sms, background, *currency_by_code("CNY"));
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

TEST(TransferNotices, InACommitGroupOneFlushIsPostedWhenTheGroupEnds) {
  ScratchOutbox outbox;
  ASSERT_TRUE(outbox.sms);
  const std::string& path = outbox.path;
  BackgroundWorker background;
  TransferNotices notices(*outbox.sms, background, *currency_by_code("CNY"));
  {
    DeferredHandOffs group;
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(notices.enqueue({"+8613900000001", "+8613900000002", 100 + i}));
    }
    background.drain();
    EXPECT_TRUE(outbox_lines(path).empty()) << "nothing is posted before the group ends";
  }
  background.drain();
  std::vector<nlohmann::json> lines = outbox_lines(path);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0]["text"], "mpay: you sent 1.00 CNY to +86 139****0002.");
  EXPECT_EQ(lines[5]["text"], "mpay: you received 1.02 CNY from +86 139****0001.");
}

}  // namespace
}  // namespace mpay::wallet
