// The SMS outbox file: one JSON object per line, in the bytes the tree-built line had (a relay
// that compares or hashes lines sees no change), appended whole.
#include "notify/sms_sender.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/clock.h"
#include "core/deferred_hand_offs.h"
#include "support/temp_directory.h"

namespace mpay::notify {
namespace {

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string tree_line(int64_t at_ns, const SmsMessage& message) {
  nlohmann::json line = {{"at_ns", at_ns},
                         {"to", message.to_e164},
                         {"purpose", message.purpose},
                         {"text", message.text}};
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// An outbox in a scratch directory, on a manual clock.
struct ScratchOutbox {
  explicit ScratchOutbox(int64_t now_ns) : clock(now_ns) {
    auto opened = OutboxSmsSender::open(path, clock);
    EXPECT_TRUE(opened.ok());
    if (opened.ok()) sms = std::move(*opened);
  }
  testing::TempDirectory directory;
  ManualClock clock;
  std::string path = directory.path() + "/sms-outbox.jsonl";
  std::unique_ptr<OutboxSmsSender> sms;
};

TEST(OutboxSmsSender, WritesOneLinePerMessageAsTheTreeDumpDid) {
  ScratchOutbox outbox(1'795'000'000'123'456'789LL);
  ASSERT_TRUE(outbox.sms);
  OutboxSmsSender* sms = outbox.sms.get();
  ManualClock& clock = outbox.clock;
  const std::string& path = outbox.path;
  std::vector<SmsMessage> messages = {
      {"+8613800138000", "mpay: pay 12.34 CNY to Caf\xc3\xa9 \"Bench\"?\nReply YES", "payment_request"},
      {"+8613900000002", "tab\there \x01 and broken \xff utf-8", "otp"},
      {"+8613900000003", "", "transfer_received"},
  };
  std::string expected;
  ASSERT_TRUE(sms->send(messages[0]).ok());
  expected += tree_line(clock.now_ns(), messages[0]);
  clock.advance_ns(1'000);
  ASSERT_TRUE(sms->send_all({messages[1], messages[2]}).ok());
  expected += tree_line(clock.now_ns(), messages[1]) + tree_line(clock.now_ns(), messages[2]);
  EXPECT_EQ(file_text(path), expected);
}

TEST(OutboxSmsSender, RefusesATextOverTheLimitAndWritesNothing) {
  ScratchOutbox outbox(1);
  ASSERT_TRUE(outbox.sms);
  OutboxSmsSender* sms = outbox.sms.get();
  const std::string& path = outbox.path;
  SmsMessage ok{"+8613800138000", std::string(kSmsTextBytesMax, 'x'), "otp"};
  SmsMessage too_long{"+8613800138000", std::string(kSmsTextBytesMax + 1, 'x'), "otp"};
  EXPECT_EQ(sms->send(too_long).error().code, "sms_too_long");
  EXPECT_EQ(sms->send_all({ok, too_long}).error().code, "sms_too_long");
  EXPECT_EQ(file_text(path), "");
  EXPECT_TRUE(sms->send(ok).ok());
  EXPECT_EQ(file_text(path), tree_line(1, ok));
}

// On the ledger's completer the messages of a round of completions are queued and appended in one
// write when the group is done: nothing reaches the file before, all of it after, in order.
TEST(OutboxSmsSender, InADeferringScopeTheLinesWaitForItsEndAndGoInOrder) {
  ScratchOutbox outbox(7);
  ASSERT_TRUE(outbox.sms);
  OutboxSmsSender* sms = outbox.sms.get();
  const std::string& path = outbox.path;
  SmsMessage first{"+8613800138000", "first", "payment_request"};
  SmsMessage second{"+8613800138001", "second", "transfer_sent"};
  SmsMessage third{"+8613800138002", "third", "transfer_received"};
  SmsMessage too_long{"+8613800138000", std::string(kSmsTextBytesMax + 1, 'x'), "otp"};
  {
    DeferredHandOffs scope;
    ASSERT_TRUE(sms->send(first).ok());
    EXPECT_EQ(sms->send(too_long).error().code, "sms_too_long");  // still checked at once
    ASSERT_TRUE(sms->send_all({second, third}).ok());
    EXPECT_EQ(file_text(path), "");
  }
  EXPECT_EQ(file_text(path), tree_line(7, first) + tree_line(7, second) + tree_line(7, third));
}

}  // namespace
}  // namespace mpay::notify
