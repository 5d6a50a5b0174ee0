// Outgoing SMS: the interface every part of mpay sends text messages through (one-time codes,
// payment notices), and the zero-configuration implementation that appends them to a file.
//
// The real gateway (Kannel) is a later implementation of the same interface. OutboxSmsSender is the
// embedded default: it writes one JSON line per message to DATA/sms-outbox.jsonl, which is what a
// developer (or an end-to-end test) reads to see what a phone would have received. The outbox holds
// message texts, one-time codes included, because it *is* the delivery channel: protect it like
// the SMS gateway's own spool (mode 0600), and never copy it into logs.
//
// Inside a DeferredHandOffs scope (the ledger's completer running a round of completions), send()
// and send_all() only queue their lines, and the scope's end appends them all in one write():
// such a send answers ok once the message is checked and queued, and a failing write is logged.
// Outside a scope (one-time codes, on the HTTP threads) they write at once and report failure.
//
// Thread-safe: send() may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"

namespace mpay::notify {

struct SmsMessage {
  std::string to_e164;  // "+8613800138000"
  std::string text;
  std::string purpose;  // "otp", "transfer_received", ... (for routing and metrics)
};

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  // Errors: "sms_unavailable" when the message could not be handed over.
  virtual Status send(const SmsMessage& message) = 0;
  // Several messages at once (notices that piled up): a gateway may hand them over together.
  // Stops at the first failure. The default sends them one by one.
  virtual Status send_all(const std::vector<SmsMessage>& messages);
};

inline constexpr size_t kSmsTextBytesMax = 1024;  // a few concatenated SMS parts at most

class OutboxSmsSender final : public SmsSender {
 public:
  // Creates (mode 0600) or appends to `path`.
  static Result<std::unique_ptr<OutboxSmsSender>> open(const std::string& path, Clock& clock);
  ~OutboxSmsSender() override;
  Status send(const SmsMessage& message) override;
  // One write() for all of them (each line whole, in order).
  Status send_all(const std::vector<SmsMessage>& messages) override;

 private:
  Result<std::string> line_of(const SmsMessage& message);
  // Writes `lines` now, or queues them for the open DeferredHandOffs scope.
  Status append_or_defer(std::string lines);
  Status append(const std::string& lines);
  void append_deferred();

  OutboxSmsSender(int fd, Clock& clock) : fd_(fd), clock_(clock) {}
  int fd_;
  Clock& clock_;
  std::mutex mutex_;
  std::mutex deferred_mutex_;
  std::string deferred_lines_;
};

}  // namespace mpay::notify
