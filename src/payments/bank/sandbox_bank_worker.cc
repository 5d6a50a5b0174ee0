// SandboxBank's worker thread: answers orders when they are due, records the results, and calls
// the waiting callbacks. See sandbox_bank.h for the contract.
#include <cinttypes>
#include <cstdio>

#include "payments/bank/sandbox_bank.h"
#include "payments/bank/sandbox_bank_statement_internal.h"

namespace mpay::bank {

void SandboxBank::worker_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    SteadyTime now = std::chrono::steady_clock::now();
    if (stopping_ && timers_.empty()) return;
    if (!stopping_) {
      if (timers_.empty()) {
        wake_.wait(lock);
        continue;
      }
      SteadyTime due = timers_.begin()->first.due;
      if (due > now) {
        wake_.wait_until(lock, due);
        continue;
      }
    }
    std::vector<Delivery> deliveries = answer_due_orders(now, stopping_);
    lock.unlock();
    // Outside the lock: a callback may call back into the bank.
    for (Delivery& delivery : deliveries) delivery.done(std::move(delivery.result));
    lock.lock();
  }
}

// Takes up to kSandboxWorkerBatchMax timers that are due (all of them, in due order, when shutting
// down: those not yet due become timed_out), records the new results with one file sync, and
// returns the callbacks to call. Every order in flight has exactly one timer, so when no timer is
// left no callback is waiting.
std::vector<SandboxBank::Delivery> SandboxBank::answer_due_orders(SteadyTime now,
                                                                 bool shutting_down) {
  std::string lines;
  std::vector<Delivery> deliveries;
  size_t taken = 0;
  while (!timers_.empty() && taken < kSandboxWorkerBatchMax) {
    auto first = timers_.begin();
    bool due = first->first.due <= now;
    if (!due && !shutting_down) break;
    TimerEntry entry = std::move(first->second);
    timers_.erase(first);
    ++taken;
    Order& order = orders_by_reference_.at(entry.reference);
    if (entry.replay_done) {
      MPAY_CHECK(order.final, "a replay timer for an order in flight");
      deliveries.push_back(Delivery{std::move(entry.replay_done), order.result});
      continue;
    }
    MPAY_CHECK(!order.final, "an answer timer for a final order");
    finish_order(order, due && entry.bank_answers, &lines, &deliveries);
  }
  if (!lines.empty()) {
    // Durable before anyone sees the results: the lock is held until the sync is done.
    Status written = file_->append(lines);
    MPAY_CHECK(written.ok(), "the sandbox bank cannot append to its file (fail-stop)");
  }
  MPAY_CHECK(undelivered_callbacks_ >= deliveries.size(), "callback count underflow");
  undelivered_callbacks_ -= deliveries.size();
  return deliveries;
}

// Gives an order in flight its final result (the bank's answer, or timed_out), moves the money of
// a confirmed one, appends its record to `lines` and its waiting callbacks to `deliveries`.
void SandboxBank::finish_order(Order& order, bool bank_answers, std::string* lines,
                               std::vector<Delivery>* deliveries) {
  const Account& account = accounts_by_token_.at(order.order.bank_account_token);
  SandboxOrderDecision decision{BankOrderOutcome::timed_out, {}};
  if (bank_answers) {
    decision = decide_sandbox_order(SandboxOrderInput{
        account.rule, order.direction, order.order.amount_minor, order.order.currency,
        account.balance_minor, options_.account_currency, options_.order_amount_limit_minor});
  }
  ++order_records_;
  order.final = true;
  order.result.reference = order.order.reference;
  order.result.outcome = decision.outcome;
  order.result.decline_code = std::string(decision.decline_code);
  if (decision.outcome != BankOrderOutcome::timed_out) {
    order.result.bank_transaction_id = next_bank_transaction_id();
    order.value_date = utc_day_of(clock_.now_ns());
  }
  if (decision.outcome == BankOrderOutcome::confirmed) apply_confirmed(order, order.value_date);
  *lines += encode_sandbox_record(
      SandboxOrderRecord{order.direction, order.order, order.result, order.value_date});
  for (BankOrderCallback& done : order.waiting) {
    deliveries->push_back(Delivery{std::move(done), order.result});
  }
  order.waiting.clear();
  order.waiting.shrink_to_fit();
}

// "SBX" and 12 digits, numbered by the results recorded so far (timed_out results use a number
// too, without showing it), so that numbers stay unique across restarts.
std::string SandboxBank::next_bank_transaction_id() {
  char text[32];
  std::snprintf(text, sizeof(text), "SBX%012" PRIu64, order_records_);
  return text;
}

}  // namespace mpay::bank
