#include "payments/wallet/transfer_notices.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/deferred_hand_offs.h"
#include "core/money.h"
#include "core/phone.h"

namespace mpay::wallet {

bool TransferNotices::enqueue(TransferNotice notice) {
  {
    std::lock_guard lock(mutex_);
    if (pending_.size() >= kPendingMax) return false;
    pending_.push_back(std::move(notice));
  }
  // On the ledger's completer, one flush per round of completions: posted at once, the worker woke
  // on the other core for each notice or two.
  if (!DeferredHandOffs::defer(this, [this] { post_flush(); })) post_flush();
  return true;
}

void TransferNotices::post_flush() {
  std::lock_guard lock(mutex_);
  if (!flush_posted_ && !pending_.empty()) {
    // If the worker's queue is full the notices wait here for the next transfer to try again.
    flush_posted_ = background_.post([this] { flush(); });
  }
}

std::vector<notify::SmsMessage> TransferNotices::messages_of(const TransferNotice& notice) const {
  std::string amount = format_amount(notice.amount_minor, currency_);
  std::string code(currency_.code);
  return {
      {notice.payer_e164,
       fmt::format("mpay: you sent {} {} to {}.", amount, code, mask_phone(notice.payee_e164)),
       "transfer_sent"},
      {notice.payee_e164,
       fmt::format("mpay: you received {} {} from {}.", amount, code, mask_phone(notice.payer_e164)),
       "transfer_received"},
  };
}

void TransferNotices::flush() {
  std::vector<TransferNotice> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
    flush_posted_ = false;
  }
  std::vector<notify::SmsMessage> messages;
  messages.reserve(batch.size() * 2);
  for (const TransferNotice& notice : batch) {
    for (notify::SmsMessage& message : messages_of(notice)) {
      if (!message.to_e164.empty()) messages.push_back(std::move(message));  // a number that did not open
    }
  }
  Status sent = sms_.send_all(messages);
  if (!sent.ok()) {
    spdlog::warn("{} transfer notices not sent: {}", messages.size(), sent.error().code);
  }
}

}  // namespace mpay::wallet
