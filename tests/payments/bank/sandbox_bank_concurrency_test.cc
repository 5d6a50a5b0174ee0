// Several threads submitting to one SandboxBank (sandbox, not a bank) at once.
#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "bank_test_support.h"

namespace mpay::bank::testing {
namespace {

using Direction = BankOrderDirection;

class SandboxBankConcurrencyTest : public SandboxBankTest {};

TEST_F(SandboxBankConcurrencyTest, ManyThreadsManyOrdersEachAnsweredOnceMovedOnce) {
  constexpr int kThreads = 4;
  constexpr int kOrdersPerThread = 50;
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::vector<std::string> tokens = {link(*bank, "1234"), link(*bank, "5678")};
  ResultRecorder recorder;
  std::atomic<int> accepted{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOrdersPerThread; ++i) {
        // Thread t and thread t+1 (mod kThreads) submit the same orders: replays race with
        // originals.
        int owner = (i % 2 == 0) ? t : (t + kThreads - 1) % kThreads;
        std::string reference = "c-" + std::to_string(owner) + "-" + std::to_string(i);
        const std::string& token = tokens[static_cast<size_t>(owner) % tokens.size()];
        BankOrder order = make_order(reference, token, 100);
        Status status = (owner % 2 == 0) ? bank->debit(order, recorder.callback())
                                         : bank->credit(order, recorder.callback());
        (status.ok() ? accepted : refused)++;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(refused.load(), 0);
  ASSERT_TRUE(recorder.wait_for(static_cast<size_t>(accepted.load())));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::vector<ResultRecorder::Call> calls = recorder.calls();
  ASSERT_EQ(calls.size(), static_cast<size_t>(kThreads * kOrdersPerThread));

  // Each reference answered the same way each time it was submitted, with one transaction id.
  std::map<std::string, BankOrderResult> by_reference;
  for (const ResultRecorder::Call& call : calls) {
    EXPECT_EQ(call.result.outcome, BankOrderOutcome::confirmed);
    auto [it, inserted] = by_reference.emplace(call.result.reference, call.result);
    if (!inserted) {
      EXPECT_EQ(it->second, call.result);
    }
  }
  std::set<std::string> transaction_ids;
  for (const auto& [reference, result] : by_reference) {
    transaction_ids.insert(result.bank_transaction_id);
  }
  EXPECT_EQ(transaction_ids.size(), by_reference.size());

  // Money moved once per distinct reference: debits from owners 0 and 2 (token 0), credits from
  // owners 1 and 3 (token 1).
  int64_t debited_minor = 0;
  int64_t credited_minor = 0;
  for (const auto& [reference, result] : by_reference) {
    int owner = reference[2] - '0';
    (owner % 2 == 0 ? debited_minor : credited_minor) += 100;
  }
  EXPECT_EQ(debited_minor + credited_minor, static_cast<int64_t>(by_reference.size()) * 100);
  EXPECT_EQ(balance(*bank, tokens[0]), 100'000 - debited_minor);
  EXPECT_EQ(balance(*bank, tokens[1]), 100'000 + credited_minor);
}

}  // namespace
}  // namespace mpay::bank::testing
