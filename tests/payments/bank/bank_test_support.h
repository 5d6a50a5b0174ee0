// Helpers for the bank tests: a recorder that counts every callback, and a fixture that opens a
// SandboxBank (sandbox, not a bank) on a fresh directory with a manual clock and seeded random.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "payments/bank/sandbox_bank.h"
#include "support/temp_directory.h"

namespace mpay::bank {

// gtest printers, found by argument-dependent lookup: failures show the fields, not a byte dump.
inline void PrintTo(BankOrderOutcome outcome, std::ostream* out) { *out << to_string(outcome); }

inline void PrintTo(const BankOrderResult& result, std::ostream* out) {
  *out << "{reference: \"" << result.reference << "\", outcome: " << to_string(result.outcome)
       << ", decline_code: \"" << result.decline_code << "\", bank_transaction_id: \""
       << result.bank_transaction_id << "\"}";
}

}  // namespace mpay::bank

namespace mpay::bank::testing {

// 2024-06-11T10:00:00Z.
inline constexpr int64_t kTestStartNs = 1'718'100'000'000'000'000;

// Records every call of the callbacks it hands out: the result, the calling thread, the time.
// The callbacks share the records, so one that arrives after the recorder is gone (a test that
// gave up waiting) is harmless instead of a use-after-free that hangs the whole binary.
class ResultRecorder {
 public:
  struct Call {
    BankOrderResult result;
    std::thread::id thread;
    std::chrono::steady_clock::time_point at;
  };

  BankOrderCallback callback() {
    return [state = state_](BankOrderResult result) {
      std::lock_guard lock(state->mutex);
      state->calls.push_back(Call{std::move(result), std::this_thread::get_id(),
                                  std::chrono::steady_clock::now()});
      state->changed.notify_all();
    };
  }

  // True when at least `count` calls arrived within `timeout`.
  bool wait_for(size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout,
                                    [&] { return state_->calls.size() >= count; });
  }

  std::vector<Call> calls() {
    std::lock_guard lock(state_->mutex);
    return state_->calls;
  }

  size_t count() {
    std::lock_guard lock(state_->mutex);
    return state_->calls.size();
  }

  std::map<std::string, int> count_by_reference() {
    std::lock_guard lock(state_->mutex);
    std::map<std::string, int> counts;
    for (const Call& call : state_->calls) ++counts[call.result.reference];
    return counts;
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<Call> calls;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

inline BankOrder make_order(std::string reference, std::string token, int64_t amount_minor,
                            std::string currency = "CNY") {
  return BankOrder{std::move(reference), std::move(token), amount_minor, std::move(currency)};
}

// A 16-digit account number ending in `last_four`.
inline std::string account_number_ending(const std::string& last_four) {
  return "622202123456" + last_four;
}

class SandboxBankTest : public ::testing::Test {
 protected:
  SandboxBankOptions default_options() const {
    SandboxBankOptions options;
    options.latency_ms = 5;
    options.answer_timeout_ms = 2000;
    options.statement_directory = directory_.path() + "/sandbox";
    options.opening_balance_minor = 100'000;
    options.order_amount_limit_minor = 50'000;
    return options;
  }

  std::unique_ptr<SandboxBank> open_bank(const SandboxBankOptions& options) {
    Result<std::unique_ptr<SandboxBank>> bank = SandboxBank::open(options, clock_, random_);
    EXPECT_TRUE(bank.ok()) << (bank.ok() ? "" : bank.error().code + ": " + bank.error().message);
    if (!bank.ok()) return nullptr;
    return std::move(bank).value();
  }

  std::unique_ptr<SandboxBank> open_bank() { return open_bank(default_options()); }

  // Links a sandbox account whose number ends in `last_four`; returns its token.
  std::string link(SandboxBank& bank, const std::string& last_four,
                   const std::string& holder_name = "Li Lei") {
    Result<LinkResult> linked =
        bank.link_account(BankAccount{"ICBC", account_number_ending(last_four), holder_name});
    EXPECT_TRUE(linked.ok()) << (linked.ok() ? "" : linked.error().code);
    return linked.ok() ? linked->bank_account_token : std::string();
  }

  // Links with a bank on default options and closes it: the token stays valid for the next bank
  // opened on the same directory (for tests whose slow options would slow the link down too).
  std::string link_with_a_fast_bank(const std::string& last_four) {
    auto bank = open_bank();
    return bank ? link(*bank, last_four) : std::string();
  }

  // Submits and waits for the one callback.
  BankOrderResult run(SandboxBank& bank, BankOrderDirection direction, const BankOrder& order) {
    ResultRecorder recorder;
    Status submitted = direction == BankOrderDirection::debit
                           ? bank.debit(order, recorder.callback())
                           : bank.credit(order, recorder.callback());
    EXPECT_TRUE(submitted.ok()) << (submitted.ok() ? "" : submitted.error().code);
    if (!submitted.ok()) return BankOrderResult{};
    EXPECT_TRUE(recorder.wait_for(1));
    std::vector<ResultRecorder::Call> calls = recorder.calls();
    return calls.empty() ? BankOrderResult{} : calls.front().result;
  }

  int64_t balance(SandboxBank& bank, const std::string& token) {
    Result<int64_t> balance = bank.balance_minor(token);
    EXPECT_TRUE(balance.ok());
    return balance.ok() ? *balance : -1;
  }

  mpay::testing::TempDirectory directory_;
  ManualClock clock_{kTestStartNs};
  SeededRandom random_{42};
};

}  // namespace mpay::bank::testing
