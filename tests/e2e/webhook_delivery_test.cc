// Merchant webhooks end to end: a real mpayd, a merchant onboarded with a webhook URL on a local
// receiver (tests/support/webhook_receiver.h), payment requests driven over HTTP, and the receiver
// checking what docs/webhooks.md promises: every delivery signed with the merchant's webhook
// secret, retried after failures, in order per payment request, and durable across a kill -9.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "support/merchant_client.h"
#include "support/wallet_server_fixture.h"
#include "support/webhook_receiver.h"

namespace mpay {
namespace {

using boost::beast::http::verb;
using nlohmann::json;
using notify::webhooks::testing::ReceivedRequest;
using notify::webhooks::testing::ReceiverReply;
using notify::webhooks::testing::WebhookReceiver;
using testing::HttpReply;
using testing::kTestPin;
using testing::MerchantClient;
using testing::SignedCall;

constexpr auto kDeadline = std::chrono::seconds(20);
constexpr auto kPoll = std::chrono::milliseconds(20);

std::string hmac_sha256_hex(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &length);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

// Header names are case-insensitive; the receiver keeps them as sent.
std::string header_of(const ReceivedRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (std::equal(key.begin(), key.end(), name.begin(), name.end(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                               std::tolower(static_cast<unsigned char>(b)); })) {
      return value;
    }
  }
  return "";
}

// What a merchant's receiver must check (docs/webhooks.md, "Verifying the signature"); returns
// the reasons it would reject the request, empty when it is good.
std::string rejection_of(const ReceivedRequest& request, const std::string& secret) {
  std::string signature = header_of(request, "X-Mpay-Signature");
  if (signature.rfind("t=", 0) != 0) return "no t= in X-Mpay-Signature: " + signature;
  size_t comma = signature.find(",v1=");
  if (comma == std::string::npos) return "no v1= in X-Mpay-Signature: " + signature;
  std::string t = signature.substr(2, comma - 2);
  std::string v1 = signature.substr(comma + 4);
  if (t.empty() || !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "t is not decimal: " + signature;
  }
  std::string expected = hmac_sha256_hex(secret, t + "." + request.body);
  if (v1 != expected) return "v1 " + v1 + " is not HMAC-SHA256(secret, t.body) " + expected;
  int64_t age = testing::unix_now_s() - std::stoll(t);
  if (age < -60 || age > 300) return "t is " + std::to_string(age) + " s away from now";
  json envelope = json::parse(request.body, nullptr, false);
  if (!envelope.is_object() || !envelope.contains("id")) return "the body is not an envelope: " + request.body;
  if (header_of(request, "X-Mpay-Event-Id") != envelope["id"]) return "X-Mpay-Event-Id differs from the envelope's id";
  if (header_of(request, "X-Mpay-Event-Type") != envelope["type"]) return "X-Mpay-Event-Type differs from the envelope's type";
  if (envelope["id"].get<std::string>().rfind("evt_", 0) != 0) return "the event id is not evt_...";
  return "";
}

std::string payment_request_of(const ReceivedRequest& request) {
  json envelope = json::parse(request.body, nullptr, false);
  if (!envelope.is_object()) return "";
  return envelope["data"]["payment_request"].value("id", "");
}

class WebhookDeliveryTest : public testing::WalletServerTest {
 protected:
  void SetUp() override { start_fast(); }
  void start_fast() { start("5", {"--webhook-retry-base-ms", "50"}); }

  struct Merchant {
    std::string id;
    std::unique_ptr<MerchantClient> client;
    std::string key_id, secret, webhook_secret;
  };

  Merchant onboard(const std::string& webhook_url, const std::string& name = "Noodle Bar") {
    json application = testing::merchant_application_json(name);
    application["webhook_url"] = webhook_url;
    HttpReply created = operator_call(verb::post, "/v1/admin/merchants", application);
    EXPECT_EQ(created.status, 201u) << created.body;
    json answer = json::parse(created.body);
    Merchant merchant{answer["merchant"]["merchant_id"],
                      std::make_unique<MerchantClient>(port(), answer["api_key"]["key_id"], answer["api_key"]["secret"]),
                      answer["api_key"]["key_id"], answer["api_key"]["secret"], answer.value("webhook_secret", "")};
    EXPECT_EQ(merchant.webhook_secret.rfind("whsec_", 0), 0u) << created.body;
    return merchant;
  }
  void reconnect(Merchant& merchant) {
    merchant.client = std::make_unique<MerchantClient>(port(), merchant.key_id, merchant.secret);
  }

  static SignedCall call(const std::string& method, const std::string& target, const std::string& body) {
    SignedCall signed_call;
    signed_call.method = method;
    return signed_call.with_target(target).with_body(body);
  }
  HttpReply merchant_post(Merchant& merchant, const std::string& target, const json& body) {
    return merchant.client->send(call("POST", target, body.is_null() ? "" : body.dump()));
  }
  HttpReply merchant_get(Merchant& merchant, const std::string& target) {
    return merchant.client->send(call("GET", target, ""));
  }
  std::string ask(Merchant& merchant, const std::string& phone, const std::string& amount,
                  const std::string& reference, const std::string& capture = "automatic") {
    HttpReply created = merchant_post(merchant, "/v1/payment-requests",
                                      {{"payer_phone", phone}, {"amount", amount}, {"currency", "CNY"},
                                       {"description", "Beef noodles"}, {"merchant_reference", reference},
                                       {"capture", capture}});
    EXPECT_EQ(created.status, 201u) << created.body;
    return json::parse(created.body).value("id", "");
  }
  json deliveries_of(Merchant& merchant, const std::string& payment_request_id) {
    HttpReply listed = merchant_get(merchant, "/v1/webhook-deliveries?payment_request_id=" + payment_request_id + "&limit=100");
    EXPECT_EQ(listed.status, 200u) << listed.body;
    return json::parse(listed.body)["items"];
  }

  // Polls until `done` (true) or the deadline (false).
  template <typename Done>
  static bool eventually(Done done) {
    auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(kPoll);
    }
    return done();
  }

  // The types of the events accepted (answered 200) for a payment request, in arrival order.
  static std::vector<std::string> accepted_types(WebhookReceiver& receiver, const std::string& payment_request_id) {
    std::vector<std::string> types;
    for (const ReceivedRequest& request : receiver.accepted()) {
      if (payment_request_of(request) == payment_request_id) types.push_back(header_of(request, "X-Mpay-Event-Type"));
    }
    return types;
  }
};

TEST_F(WebhookDeliveryTest, AWebhookReceiverThatFailsFirstGetsEveryEventSignedAndInOrder) {
  constexpr int kRefusedFirst = 3;
  WebhookReceiver receiver([](const ReceivedRequest&, int index) {
    return index < kRefusedFirst ? ReceiverReply::server_error : ReceiverReply::ok;
  });
  Merchant merchant = onboard(receiver.url("/hooks"));
  auto alice = app(51);
  alice->open_funded(51, "100.00");

  // Manual capture: authorized, captured (part), refunded (part).
  std::string held = ask(merchant, alice->phone(), "40.00", "wh-1", "manual");
  HttpReply authorized = alice->post("/v1/me/payment-requests/" + held + "/confirm", {{"pin", kTestPin}, {"funding_source", "wallet"}});
  ASSERT_EQ(authorized.status, 200u) << authorized.body;
  ASSERT_EQ(json::parse(authorized.body)["status"], "authorized");
  HttpReply captured = merchant_post(merchant, "/v1/payment-requests/" + held + "/capture", {{"amount", "30.00"}});
  ASSERT_EQ(captured.status, 200u) << captured.body;
  HttpReply refunded = merchant_post(merchant, "/v1/payment-requests/" + held + "/refunds", {{"amount", "10.00"}});
  ASSERT_EQ(refunded.status, 201u) << refunded.body;
  ASSERT_EQ(json::parse(refunded.body)["status"], "succeeded");
  // And one the user declines.
  std::string declined = ask(merchant, alice->phone(), "5.00", "wh-2");
  HttpReply decline = alice->post("/v1/me/payment-requests/" + declined + "/decline", nullptr);
  ASSERT_EQ(decline.status, 200u) << decline.body;

  const std::vector<std::string> held_expected{"payment_request.authorized", "payment_request.captured", "refund.succeeded"};
  const std::vector<std::string> declined_expected{"payment_request.declined"};
  bool all_arrived = eventually([&] {
    return accepted_types(receiver, held).size() >= held_expected.size() &&
           accepted_types(receiver, declined).size() >= declined_expected.size();
  });
  ASSERT_TRUE(all_arrived) << "accepted for " << held << ": " << json(accepted_types(receiver, held)).dump()
                           << ", for " << declined << ": " << json(accepted_types(receiver, declined)).dump()
                           << "; received " << receiver.received().size();
  // Let the dispatcher record the last answers, then take the whole picture.
  ASSERT_TRUE(eventually([&] {
    for (const std::string& id : {held, declined}) {
      for (const json& delivery : deliveries_of(merchant, id)) {
        if (delivery["status"] == "pending") return false;
      }
    }
    return true;
  }));

  // In order per payment request, each event accepted exactly once.
  EXPECT_EQ(accepted_types(receiver, held), held_expected);
  EXPECT_EQ(accepted_types(receiver, declined), declined_expected);

  // Every request (refused or not) is signed with the webhook secret, recent, and names its event.
  std::vector<ReceivedRequest> received = receiver.received();
  std::vector<ReceivedRequest> accepted = receiver.accepted();
  ASSERT_GE(received.size(), accepted.size() + kRefusedFirst);
  for (const ReceivedRequest& request : received) {
    EXPECT_EQ(rejection_of(request, merchant.webhook_secret), "") << request.body;
    EXPECT_EQ(request.target, "/hooks");
    EXPECT_EQ(header_of(request, "Content-Type").rfind("application/json", 0), 0u);
  }
  // Each event id answered 200 exactly once; every other arrival of it was an attempt answered 500,
  // and carried the same body bytes.
  std::map<std::string, int> accepted_count;
  std::map<std::string, std::string> body_of;
  for (const ReceivedRequest& request : accepted) {
    std::string event_id = header_of(request, "X-Mpay-Event-Id");
    ++accepted_count[event_id];
    body_of[event_id] = request.body;
  }
  for (const auto& [event_id, count] : accepted_count) EXPECT_EQ(count, 1) << event_id;
  int refused = 0;
  for (const ReceivedRequest& request : received) {
    std::string event_id = header_of(request, "X-Mpay-Event-Id");
    EXPECT_TRUE(body_of.contains(event_id)) << "never accepted: " << request.body;
    EXPECT_EQ(request.body, body_of[event_id]) << "another body for " << event_id;
  }
  refused = static_cast<int>(received.size() - accepted.size());
  EXPECT_EQ(refused, kRefusedFirst);  // the receiver refused exactly the first three
  std::set<std::string> ids;
  for (const auto& [event_id, count] : accepted_count) ids.insert(event_id);
  EXPECT_EQ(ids.size(), held_expected.size() + declined_expected.size());

  // The refused attempts were of the first event(s): the merchant sees them in the deliveries API.
  std::set<std::string> refused_events;
  for (int i = 0; i < kRefusedFirst; ++i) refused_events.insert(header_of(received[i], "X-Mpay-Event-Id"));
  std::map<std::string, json> delivery_of_event;
  int total_attempts = 0;
  for (const std::string& id : {held, declined}) {
    json items = deliveries_of(merchant, id);
    for (const json& delivery : items) {
      EXPECT_EQ(delivery["payment_request_id"], id);
      EXPECT_EQ(delivery["status"], "delivered") << delivery.dump();
      EXPECT_EQ(delivery["last_http_status"], 200) << delivery.dump();
      EXPECT_TRUE(delivery["last_error"].is_null()) << delivery.dump();
      EXPECT_FALSE(delivery["delivered_at"].is_null()) << delivery.dump();
      EXPECT_TRUE(delivery_of_event.emplace(delivery["event_id"].get<std::string>(), delivery).second)
          << "two deliveries of " << delivery["event_id"];
      total_attempts += delivery["attempts"].get<int>();
    }
  }
  EXPECT_EQ(delivery_of_event.size(), ids.size());
  EXPECT_EQ(total_attempts, static_cast<int>(received.size()));
  for (const std::string& event_id : ids) {
    ASSERT_TRUE(delivery_of_event.contains(event_id)) << event_id;
    const json& delivery = delivery_of_event[event_id];
    int arrivals = static_cast<int>(std::count_if(received.begin(), received.end(), [&](const ReceivedRequest& r) {
      return header_of(r, "X-Mpay-Event-Id") == event_id;
    }));
    EXPECT_EQ(delivery["attempts"], arrivals) << delivery.dump();
    if (refused_events.contains(event_id)) {
      EXPECT_GT(delivery["attempts"].get<int>(), 1) << delivery.dump();
    }
    EXPECT_EQ(delivery["event_type"], header_of(*std::find_if(accepted.begin(), accepted.end(), [&](const ReceivedRequest& r) {
                return header_of(r, "X-Mpay-Event-Id") == event_id;
              }), "X-Mpay-Event-Type"));
  }
  // One delivery in detail: its attempt log shows the refusals, then the success.
  const std::string first_event = header_of(received[0], "X-Mpay-Event-Id");
  HttpReply detail = merchant_get(merchant, "/v1/webhook-deliveries/" + delivery_of_event[first_event]["id"].get<std::string>());
  ASSERT_EQ(detail.status, 200u) << detail.body;
  json log = json::parse(detail.body)["attempt_log"];
  ASSERT_GE(log.size(), 2u) << detail.body;
  EXPECT_EQ(log.front()["http_status"], 500) << detail.body;
  EXPECT_EQ(log.back()["http_status"], 200) << detail.body;
}

TEST_F(WebhookDeliveryTest, AWebhookStillArrivesAfterAKill9BetweenConfirmAndDelivery) {
  std::atomic<bool> answering{false};
  WebhookReceiver receiver([&answering](const ReceivedRequest&, int) {
    return answering ? ReceiverReply::ok : ReceiverReply::server_error;
  });
  Merchant merchant = onboard(receiver.url("/hooks"));
  auto alice = app(52);
  alice->open_funded(52, "100.00");
  std::string id = ask(merchant, alice->phone(), "25.50", "kill-1");
  HttpReply paid = alice->post("/v1/me/payment-requests/" + id + "/confirm", {{"pin", kTestPin}, {"funding_source", "wallet"}});
  ASSERT_EQ(paid.status, 200u) << paid.body;
  ASSERT_EQ(json::parse(paid.body)["status"], "succeeded");
  ASSERT_EQ(alice->wallet()["available"], "74.50");
  // mpayd tried (so the event was queued) and was refused; then it dies without a word.
  // Killed once the refused attempt is on record, so that the attempt count below is exact.
  ASSERT_TRUE(eventually([&] {
    json items = deliveries_of(merchant, id);
    return items.size() == 1u && items[0]["attempts"].get<int>() >= 1;
  })) << "no delivery was attempted: " << deliveries_of(merchant, id).dump();
  json before = deliveries_of(merchant, id);
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(before[0]["last_http_status"], 500) << before.dump();
  ASSERT_EQ(before[0]["status"], "pending") << before.dump();
  server_->kill_now();
  ASSERT_TRUE(receiver.accepted().empty());
  size_t refused_before = receiver.received().size();

  answering = true;
  start_fast();  // the same data directory; a new port
  reconnect(merchant);
  std::string token = alice->token();
  alice = app(52);
  alice->set_token(token);

  ASSERT_TRUE(eventually([&] { return !accepted_types(receiver, id).empty(); }))
      << "received " << receiver.received().size() << " (refused before the kill: " << refused_before << ")";
  std::vector<ReceivedRequest> accepted = receiver.accepted();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(rejection_of(accepted[0], merchant.webhook_secret), "") << accepted[0].body;
  EXPECT_EQ(header_of(accepted[0], "X-Mpay-Event-Type"), "payment_request.succeeded");
  json envelope = json::parse(accepted[0].body);
  EXPECT_EQ(envelope["type"], "payment_request.succeeded");
  EXPECT_EQ(envelope["data"]["payment_request"]["id"], id);
  EXPECT_EQ(envelope["data"]["payment_request"]["status"], "succeeded");
  EXPECT_EQ(envelope["data"]["payment_request"]["amount"], "25.50");
  // The same event as the attempts refused before the kill (not a new one).
  for (const ReceivedRequest& request : receiver.received()) {
    EXPECT_EQ(header_of(request, "X-Mpay-Event-Id"), envelope["id"]);
    EXPECT_EQ(request.body, accepted[0].body);
  }

  // The payment is as it was, and the money moved once.
  HttpReply seen = merchant_get(merchant, "/v1/payment-requests/" + id);
  ASSERT_EQ(seen.status, 200u) << seen.body;
  EXPECT_EQ(json::parse(seen.body)["status"], "succeeded");
  EXPECT_EQ(alice->wallet()["available"], "74.50");
  ASSERT_TRUE(eventually([&] {
    json items = deliveries_of(merchant, id);
    return items.size() == 1u && items[0]["status"] == "delivered";
  })) << deliveries_of(merchant, id).dump();
  EXPECT_GT(deliveries_of(merchant, id)[0]["attempts"].get<int>(), 1);
  // No 200 came back before the kill, so the republish at start must not send it a second time.
  EXPECT_EQ(receiver.accepted().size(), 1u);
}

// The network policy (docs/webhooks.md, "Where webhooks may go"). A merchant onboarded while
// mpayd listened on loopback (auto: private networks allowed) has its URL on this machine. Started
// with --webhook-private-networks refuse, mpayd refuses such URLs at onboarding and never connects
// to the existing one: the delivery stays pending with address_refused attempts. With
// --webhook-https-only, http:// is refused at onboarding and at sending. Back on the default, the
// same delivery arrives: refusals are retried like any failure.
TEST_F(WebhookDeliveryTest, TheNetworkPolicyRefusesPrivateAddressesAtOnboardingAndAtEveryAttempt) {
  WebhookReceiver receiver([](const ReceivedRequest&, int) { return ReceiverReply::ok; });
  Merchant merchant = onboard(receiver.url("/hooks"));
  auto alice = app(53);
  alice->open_funded(53, "50.00");
  std::string token = alice->token();
  auto restart = [&](std::vector<std::string> flags) {
    ASSERT_EQ(stop(), 0);
    flags.insert(flags.begin(), {"--webhook-retry-base-ms", "50"});
    start("5", flags);
    reconnect(merchant);
    alice = app(53);
    alice->set_token(token);
  };
  auto refusal_of = [&](const std::string& url) {
    json application = testing::merchant_application_json("Elsewhere");
    application["webhook_url"] = url;
    HttpReply refused = operator_call(verb::post, "/v1/admin/merchants", application);
    EXPECT_EQ(refused.status, 400u) << url << ": " << refused.body;
    return json::parse(refused.body, nullptr, false);
  };
  auto last_error_of = [&](const std::string& id) -> std::string {
    json items = deliveries_of(merchant, id);
    if (items.size() != 1u || !items[0]["last_error"].is_string()) return "";
    return items[0]["last_error"];
  };

  restart({"--webhook-private-networks", "refuse"});
  for (const std::string& url : {receiver.url("/hooks"), std::string("http://localhost:8090/hooks"),
                                std::string("https://169.254.169.254/latest")}) {
    json refused = refusal_of(url);
    EXPECT_EQ(refused["error"]["code"], "webhook_url_not_allowed") << refused.dump();
    EXPECT_EQ(refused["error"]["field"], "webhook_url") << refused.dump();
  }
  std::string id = ask(merchant, alice->phone(), "12.00", "policy-1");
  HttpReply paid = alice->post("/v1/me/payment-requests/" + id + "/confirm",
                               {{"pin", kTestPin}, {"funding_source", "wallet"}});
  ASSERT_EQ(paid.status, 200u) << paid.body;
  ASSERT_TRUE(eventually([&] {
    json items = deliveries_of(merchant, id);
    return items.size() == 1u && items[0]["attempts"].get<int>() >= 2;
  })) << deliveries_of(merchant, id).dump();
  json refused_delivery = deliveries_of(merchant, id)[0];
  EXPECT_EQ(refused_delivery["status"], "pending") << refused_delivery.dump();
  EXPECT_TRUE(refused_delivery["last_http_status"].is_null()) << refused_delivery.dump();
  EXPECT_EQ(last_error_of(id).rfind("address_refused: ", 0), 0u) << refused_delivery.dump();
  EXPECT_NE(last_error_of(id).find("loopback 127.0.0.0/8"), std::string::npos);
  EXPECT_TRUE(receiver.received().empty()) << "mpayd connected to a refused address";

  restart({"--webhook-https-only"});
  json plain = refusal_of("http://hooks.example.com/mpay");
  EXPECT_EQ(plain["error"]["code"], "webhook_url_not_allowed") << plain.dump();
  ASSERT_TRUE(eventually([&] { return last_error_of(id).rfind("https_required: ", 0) == 0; }))
      << deliveries_of(merchant, id).dump();
  EXPECT_TRUE(receiver.received().empty());

  restart({});
  ASSERT_TRUE(eventually([&] { return !accepted_types(receiver, id).empty(); }))
      << deliveries_of(merchant, id).dump();
  EXPECT_EQ(accepted_types(receiver, id), std::vector<std::string>{"payment_request.succeeded"});
  EXPECT_EQ(rejection_of(receiver.accepted()[0], merchant.webhook_secret), "");
}

// Thread name -> nice value of every thread of a running process, from /proc (field 19 of a
// thread's stat is its nice value; the name in parentheses may hold spaces).
std::multimap<std::string, int> thread_priorities(pid_t pid) {
  std::multimap<std::string, int> found;
  std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    std::ifstream in(task.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t open = stat.find('(');
    size_t close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    std::vector<std::string> fields{std::istream_iterator<std::string>(rest), {}};
    if (fields.size() < 17) continue;
    found.emplace(stat.substr(open + 1, close - open - 1), std::stoi(fields[16]));  // field 19
  }
  return found;
}

// The threads of a running process once `sending` webhook-send threads run at `nice` (mpayd
// starts its webhook sender once the start's republish is stored, a moment after it serves),
// or as they are after 10 s.
std::multimap<std::string, int> threads_once_sending(pid_t pid, size_t sending, int nice) {
  std::multimap<std::string, int> threads;
  for (int tries = 0; tries < 200; ++tries) {
    threads = thread_priorities(pid);
    auto [first, last] = threads.equal_range("webhook-send");
    bool settled = static_cast<size_t>(std::distance(first, last)) == sending &&
                   threads.count("webhook-sched") == 1 &&
                   std::all_of(first, last, [nice](const auto& t) { return t.second == nice; });
    if (settled) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return threads;
}

// Webhook work yields the CPU to payments: its threads run at --webhook-nice (10 unless set), the
// threads that answer requests keep the priority mpayd started with (this test's own); 0 leaves
// the webhook threads at that one too, 20 is refused.
TEST_F(WebhookDeliveryTest, WebhookThreadsRunAtTheWebhookNiceValue) {
  const int inherited = getpriority(PRIO_PROCESS, 0);
  for (int round = 0; round < 2; ++round) {
    int expected = round == 0 ? 10 : inherited;
    if (round == 1) {
      ASSERT_EQ(stop(), 0);
      start("5", {"--webhook-nice", "0"});
    }
    std::multimap<std::string, int> threads = threads_once_sending(pid(), 2, expected);
    for (const char* name : {"webhook-feed", "webhook-store", "webhook-sched", "webhook-send"}) {
      auto [first, last] = threads.equal_range(name);
      ASSERT_NE(first, last) << "no thread named " << name;
      for (auto it = first; it != last; ++it)
        EXPECT_EQ(it->second, expected) << name << " in round " << round;
    }
    for (const char* name : {"ledger-commit", "ledger-writer"}) {
      auto [first, last] = threads.equal_range(name);
      ASSERT_NE(first, last) << "no thread named " << name;
      EXPECT_EQ(first->second, inherited) << name;
    }
  }
  ASSERT_EQ(stop(), 0);
  EXPECT_THROW(start("5", {"--webhook-nice", "20"}), std::runtime_error);
}

// The sending side's flags: --webhook-threads sending threads run, an attempt that outlasts
// --webhook-timeout-ms fails (and is retried), and values out of range are refused.
TEST_F(WebhookDeliveryTest, SendingThreadsAndTheAttemptTimeoutAreFlags) {
  ASSERT_EQ(stop(), 0);
  start("5", {"--webhook-retry-base-ms", "50", "--webhook-threads", "3", "--webhook-concurrency",
              "8", "--webhook-timeout-ms", "300"});
  std::multimap<std::string, int> threads = threads_once_sending(pid(), 3, 10);
  EXPECT_EQ(threads.count("webhook-send"), 3u);

  WebhookReceiver receiver([](const ReceivedRequest&, int index) {
    if (index == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // too slow once
    return ReceiverReply::ok;
  });
  Merchant merchant = onboard(receiver.url("/hooks"));
  auto alice = app(52);
  alice->open_funded(52, "20.00");
  std::string paid = ask(merchant, alice->phone(), "5.00", "wh-timeout");
  ASSERT_EQ(alice
                ->post("/v1/me/payment-requests/" + paid + "/confirm",
                       {{"pin", kTestPin}, {"funding_source", "wallet"}})
                .status,
            200u);
  json delivery;
  ASSERT_TRUE(eventually([&] {
    json items = deliveries_of(merchant, paid);
    if (items.empty() || items[0]["status"] != "delivered") return false;
    delivery = items[0];
    return true;
  }));
  HttpReply detail =
      merchant_get(merchant, "/v1/webhook-deliveries/" + delivery["id"].get<std::string>());
  ASSERT_EQ(detail.status, 200u) << detail.body;
  json log = json::parse(detail.body)["attempt_log"];
  ASSERT_GE(log.size(), 2u) << detail.body;
  EXPECT_TRUE(log.front()["http_status"].is_null()) << detail.body;  // no answer in time
  EXPECT_FALSE(log.front()["error"].is_null()) << detail.body;
  EXPECT_LT(log.front()["duration_ms"].get<int64_t>(), 1000) << detail.body;  // cut at 300 ms
  EXPECT_EQ(log.back()["http_status"], 200) << detail.body;

  ASSERT_EQ(stop(), 0);
  EXPECT_THROW(start("5", {"--webhook-concurrency", "0"}), std::runtime_error);
  EXPECT_THROW(start("5", {"--webhook-threads", "0"}), std::runtime_error);
  EXPECT_THROW(start("5", {"--webhook-timeout-ms", "50"}), std::runtime_error);
}

// Killed while the first attempt is in flight from the fresh lane (the receiver holds the
// request), with the request's later events waiting behind it in memory: nothing of them is
// written yet. The start's republish must bring them all back, each accepted exactly once, in
// order, signed, and the held event with the very bytes it had before the kill, although a
// capture and a refund changed the request since.
TEST_F(WebhookDeliveryTest, AWebhookStillArrivesAfterAKill9DuringItsFirstAttempt) {
  std::atomic<bool> holding{true};
  WebhookReceiver receiver([&holding](const ReceivedRequest&, int) {
    if (!holding) return ReceiverReply::ok;
    for (int i = 0; holding && i < 1000; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return ReceiverReply::server_error;  // the sender is gone by now
  });
  Merchant merchant = onboard(receiver.url("/hooks"));
  auto alice = app(55);
  alice->open_funded(55, "100.00");
  std::string id = ask(merchant, alice->phone(), "40.00", "kill-2", "manual");
  HttpReply authorized = alice->post("/v1/me/payment-requests/" + id + "/confirm",
                                     {{"pin", kTestPin}, {"funding_source", "wallet"}});
  ASSERT_EQ(authorized.status, 200u) << authorized.body;
  ASSERT_TRUE(eventually([&] { return receiver.received().size() == 1u; }));  // held
  HttpReply captured =
      merchant_post(merchant, "/v1/payment-requests/" + id + "/capture", {{"amount", "30.00"}});
  ASSERT_EQ(captured.status, 200u) << captured.body;
  HttpReply refunded =
      merchant_post(merchant, "/v1/payment-requests/" + id + "/refunds", {{"amount", "10.00"}});
  ASSERT_EQ(refunded.status, 201u) << refunded.body;
  ASSERT_TRUE(deliveries_of(merchant, id).empty()) << "the first attempt is on record already";
  ReceivedRequest held = receiver.received().at(0);
  server_->kill_now();
  holding = false;

  start_fast();
  reconnect(merchant);
  const std::vector<std::string> expected{"payment_request.authorized", "payment_request.captured",
                                          "refund.succeeded"};
  ASSERT_TRUE(eventually([&] { return accepted_types(receiver, id).size() >= expected.size(); }))
      << json(accepted_types(receiver, id)).dump();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // room for a duplicate to show
  EXPECT_EQ(accepted_types(receiver, id), expected);
  std::vector<ReceivedRequest> accepted = receiver.accepted();
  for (const ReceivedRequest& request : accepted) {
    EXPECT_EQ(rejection_of(request, merchant.webhook_secret), "") << request.body;
  }
  ASSERT_FALSE(accepted.empty());
  EXPECT_EQ(header_of(accepted[0], "X-Mpay-Event-Id"), header_of(held, "X-Mpay-Event-Id"));
  EXPECT_EQ(accepted[0].body, held.body) << "the same event, the same bytes";
  EXPECT_EQ(json::parse(accepted[0].body)["data"]["payment_request"]["refunded_amount"], "0.00");
}

}  // namespace
}  // namespace mpay
