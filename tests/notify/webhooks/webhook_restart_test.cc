// The outbox survives a restart: deliveries pending when it closed are sent after it reopens,
// each exactly once more, in order per subject, and re-enqueued events do not add deliveries.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>

#include "notify/webhooks/beast_webhook_transport.h"
#include "notify/webhooks/webhook_dispatcher.h"
#include "support/webhook_receiver.h"
#include "notify/webhooks/webhook_test_support.h"
#include "support/temp_directory.h"

namespace mpay::notify::webhooks {
namespace {

using namespace testing;

const Id128 kMerchant{0x0190f4c27a3e7c41ULL, 0x77};

DispatcherOptions fast_options() {
  DispatcherOptions options;
  options.concurrency = 2;
  options.poll_interval_ns = 5'000'000;
  options.attempt_timeout_ns = 2 * kSecondNs;
  options.retry.base_ns = 1'000'000;
  options.retry.cap_ns = 10'000'000;
  return options;
}

std::vector<WebhookEvent> events() {
  std::vector<WebhookEvent> all;
  for (int i = 1; i <= 3; ++i) {
    all.push_back(make_event(kMerchant, "pr_a", i));
    all.push_back(make_event(kMerchant, "pr_b", i));
  }
  return all;
}

TEST(WebhookRestart, PendingDeliveriesArriveOnceAfterReopening) {
  mpay::testing::TempDirectory directory;
  SystemClock clock;
  SystemRandom random;
  UuidV7Generator ids(clock, random);
  InTestEndpoints endpoints;
  BeastWebhookTransport transport;

  // First life: the receiver is down (answers 500 to everything); attempts pile up, nothing lands.
  {
    WebhookReceiver down([](const ReceivedRequest&, int) { return ReceiverReply::server_error; });
    endpoints.set(kMerchant, down.url(), "whsec_restart");
    Result<std::unique_ptr<WebhookOutbox>> outbox = WebhookOutbox::open(directory.path(), clock, ids);
    ASSERT_TRUE(outbox.ok());
    WebhookDispatcher dispatcher(**outbox, endpoints, transport, clock, random, fast_options());
    dispatcher.start();
    ASSERT_TRUE((*outbox)->enqueue(events()).ok());
    dispatcher.wake();
    ASSERT_TRUE(eventually([&] { return down.received().size() >= 4; }));
    dispatcher.stop();
    EXPECT_EQ((*outbox)->pending_count().value(), 6);
  }

  // Second life: the producer re-derives and re-enqueues the same events (a no-op), the receiver
  // is up, and each event arrives exactly once, in order per subject.
  WebhookReceiver up([](const ReceivedRequest&, int) { return ReceiverReply::ok; });
  endpoints.set(kMerchant, up.url(), "whsec_restart");
  Result<std::unique_ptr<WebhookOutbox>> outbox = WebhookOutbox::open(directory.path(), clock, ids);
  ASSERT_TRUE(outbox.ok());
  ASSERT_TRUE((*outbox)->enqueue(events()).ok());
  EXPECT_EQ((*outbox)->pending_count().value(), 6);
  WebhookDispatcher dispatcher(**outbox, endpoints, transport, clock, random, fast_options());
  dispatcher.start();
  ASSERT_TRUE(eventually([&] { return (*outbox)->pending_count().value() == 0; }));
  dispatcher.stop();

  std::map<std::string, std::vector<std::string>> by_subject;
  for (const ReceivedRequest& request : up.received()) {
    std::string event_id = request.header("X-Mpay-Event-Id");
    by_subject[event_id.substr(4, 4)].push_back(event_id);
  }
  EXPECT_EQ(up.received().size(), 6u);
  EXPECT_EQ(by_subject["pr_a"], (std::vector<std::string>{"evt_pr_a_1", "evt_pr_a_2", "evt_pr_a_3"}));
  EXPECT_EQ(by_subject["pr_b"], (std::vector<std::string>{"evt_pr_b_1", "evt_pr_b_2", "evt_pr_b_3"}));
}

// kill -9 right after enqueue() returned: what it acknowledged is in webhooks.db.
TEST(WebhookRestart, AnAcknowledgedEnqueueSurvivesSigkill) {
  mpay::testing::TempDirectory directory;
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    SystemClock clock;
    SystemRandom random;
    UuidV7Generator ids(clock, random);
    Result<std::unique_ptr<WebhookOutbox>> outbox = WebhookOutbox::open(directory.path(), clock, ids);
    if (!outbox.ok() || !(*outbox)->enqueue(events()).ok()) _exit(1);
    raise(SIGKILL);
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;

  SystemClock clock;
  SystemRandom random;
  UuidV7Generator ids(clock, random);
  Result<std::unique_ptr<WebhookOutbox>> outbox = WebhookOutbox::open(directory.path(), clock, ids);
  ASSERT_TRUE(outbox.ok());
  EXPECT_EQ((*outbox)->pending_count().value(), 6);
  WebhookReceiver up([](const ReceivedRequest&, int) { return ReceiverReply::ok; });
  InTestEndpoints endpoints;
  endpoints.set(kMerchant, up.url(), "whsec_restart");
  BeastWebhookTransport transport;
  WebhookDispatcher dispatcher(**outbox, endpoints, transport, clock, random, fast_options());
  dispatcher.start();
  ASSERT_TRUE(eventually([&] { return (*outbox)->pending_count().value() == 0; }));
  dispatcher.stop();
  EXPECT_EQ(up.received().size(), 6u);
}

}  // namespace
}  // namespace mpay::notify::webhooks
