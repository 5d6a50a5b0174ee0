// The SMS notices of completed transfers ("you sent", "you received"). A transfer's completion
// (on the ledger's completer thread) only queues its notice, and its commit group posts one flush
// (core/deferred_hand_offs.h); the background worker formats whatever has piled up and hands it
// to the SMS gateway in one go, so a busy platform pays one hand-over per batch of payments
// instead of two per payment. Notices are best effort: the money has moved whatever happens to
// them; a full queue drops and logs them.
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
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

class TransferNotices {
 public:
  static constexpr size_t kPendingMax = 100'000;

  TransferNotices(notify::SmsSender& sms, BackgroundWorker& background, Currency currency)
      : sms_(sms), background_(background), currency_(currency) {}

  // False when the queue is full: the notice is dropped.
  bool enqueue(TransferNotice notice);

  // The two messages of one notice (exposed for tests).
  std::vector<notify::SmsMessage> messages_of(const TransferNotice& notice) const;

 private:
  void post_flush();
  void flush();

  notify::SmsSender& sms_;
  BackgroundWorker& background_;
  const Currency currency_;
  std::mutex mutex_;
  std::vector<TransferNotice> pending_;
  bool flush_posted_ = false;
};

}  // namespace mpay::wallet
