// The SMS notices that follow a ledger commit: those of completed transfers ("you sent", "you
// received") and those their producers wrote (a payment request's "... asks you to pay").
// The completion (on the ledger's committer thread) only queues its notice; the background worker
// formats whatever has piled up and hands it to the SMS gateway in one go, so a busy platform pays
// one hand-over per batch of payments instead of one or two per payment, and the committer never
// waits for the gateway. Notices keep the order they were queued in. They are best effort: the
// money has moved (or the request stands, visible in the app) whatever happens to them; a full
// queue drops them and the caller logs it.
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "core/currency.h"
#include "notify/sms_sender.h"
#include "payments/wallet/background_worker.h"

namespace mpay::wallet {

struct TransferNotice {
  std::string payer_e164;
  std::string payee_e164;
  int64_t amount_minor = 0;
};

class SmsNotices {
 public:
  static constexpr size_t kPendingMax = 100'000;

  SmsNotices(notify::SmsSender& sms, BackgroundWorker& background, Currency currency)
      : sms_(sms), background_(background), currency_(currency) {}

  // False when the queue is full: the notice is dropped.
  bool enqueue(TransferNotice notice);
  bool enqueue(notify::SmsMessage message);

  // The two messages of one notice (exposed for tests).
  std::vector<notify::SmsMessage> messages_of(const TransferNotice& notice) const;

 private:
  using Notice = std::variant<TransferNotice, notify::SmsMessage>;
  bool enqueue_notice(Notice notice);
  void flush();

  notify::SmsSender& sms_;
  BackgroundWorker& background_;
  const Currency currency_;
  std::mutex mutex_;
  std::vector<Notice> pending_;
  bool flush_posted_ = false;
};

}  // namespace mpay::wallet
