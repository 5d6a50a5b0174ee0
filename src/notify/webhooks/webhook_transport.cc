#include "notify/webhooks/webhook_transport.h"

#include <chrono>

namespace mpay::notify::webhooks {

// One request after the other through post(): for transports that cannot overlap attempts.
std::vector<std::vector<WebhookResponse>> WebhookTransport::post_sequences(
    const std::vector<WebhookSequence>& sequences) {
  using SteadyClock = std::chrono::steady_clock;
  auto nanoseconds = [](SteadyClock::duration d) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  };
  const SteadyClock::time_point began = SteadyClock::now();
  std::vector<std::vector<WebhookResponse>> answers(sequences.size());
  for (size_t i = 0; i < sequences.size(); ++i) {
    for (const WebhookRequest& request : sequences[i]) {
      SteadyClock::time_point started = SteadyClock::now();
      if (started - began > std::chrono::nanoseconds(request.start_within_ns)) break;
      WebhookResponse response = post(request);
      response.started_after_ns = nanoseconds(started - began);
      response.duration_ns = nanoseconds(SteadyClock::now() - started);
      bool answered = response.http_status != 0;
      answers[i].push_back(std::move(response));
      if (!answered) break;
    }
  }
  return answers;
}

}  // namespace mpay::notify::webhooks
