// Debits and credits at the SandboxBank (sandbox, not a bank): latency, decline rules, timeouts,
// idempotency, the queue limit, exactly-once callbacks and shutdown.
#include <gtest/gtest.h>

#include "bank_test_support.h"

namespace mpay::bank::testing {
namespace {

using std::chrono::milliseconds;
using Direction = BankOrderDirection;

class SandboxBankOrderTest : public SandboxBankTest {};

TEST_F(SandboxBankOrderTest, DebitIsConfirmedAfterTheLatencyFromTheBanksThread) {
  SandboxBankOptions options = default_options();
  options.latency_ms = 40;
  auto bank = open_bank(options);
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  ResultRecorder recorder;
  auto submitted_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(bank->debit(make_order("topup-1", token, 2'500), recorder.callback()).ok());
  ASSERT_TRUE(recorder.wait_for(1));
  ResultRecorder::Call call = recorder.calls().front();
  EXPECT_GE(call.at - submitted_at, milliseconds(40));
  // Never from inside debit(): that would be this thread. (Counting calls right after debit()
  // returns would be flaky on a loaded machine, where this thread can sleep past the latency.)
  EXPECT_NE(call.thread, std::this_thread::get_id());
  EXPECT_EQ(call.result.reference, "topup-1");
  EXPECT_EQ(call.result.outcome, BankOrderOutcome::confirmed);
  EXPECT_EQ(call.result.decline_code, "");
  EXPECT_EQ(call.result.bank_transaction_id.rfind("SBX", 0), 0u);
  EXPECT_EQ(balance(*bank, token), 100'000 - 2'500);
  Result<std::optional<BankOrderResult>> status = bank->status("topup-1");
  ASSERT_TRUE(status.ok());
  ASSERT_TRUE(status->has_value());
  EXPECT_EQ(**status, call.result);
}

TEST_F(SandboxBankOrderTest, CreditIsConfirmedAndRaisesTheBalance) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  BankOrderResult result = run(*bank, Direction::credit, make_order("withdraw-1", token, 7'000));
  EXPECT_EQ(result.outcome, BankOrderOutcome::confirmed);
  EXPECT_EQ(balance(*bank, token), 107'000);
}

TEST_F(SandboxBankOrderTest, DebitsBeyondTheBalanceAreDeclinedInsufficientFunds) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  ASSERT_EQ(run(*bank, Direction::debit, make_order("d1", token, 50'000)).outcome,
            BankOrderOutcome::confirmed);
  ASSERT_EQ(run(*bank, Direction::debit, make_order("d2", token, 49'000)).outcome,
            BankOrderOutcome::confirmed);
  BankOrderResult result = run(*bank, Direction::debit, make_order("d3", token, 1'001));
  EXPECT_EQ(result.outcome, BankOrderOutcome::declined);
  EXPECT_EQ(result.decline_code, "insufficient_funds");
  EXPECT_FALSE(result.bank_transaction_id.empty());
  EXPECT_EQ(balance(*bank, token), 1'000);
  EXPECT_EQ(run(*bank, Direction::debit, make_order("d4", token, 1'000)).outcome,
            BankOrderOutcome::confirmed);
  EXPECT_EQ(balance(*bank, token), 0);
}

TEST_F(SandboxBankOrderTest, AccountsEndingIn0002StartEmpty) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "0002");
  EXPECT_EQ(balance(*bank, token), 0);
  BankOrderResult declined = run(*bank, Direction::debit, make_order("d1", token, 1));
  EXPECT_EQ(declined.outcome, BankOrderOutcome::declined);
  EXPECT_EQ(declined.decline_code, "insufficient_funds");
  EXPECT_EQ(run(*bank, Direction::credit, make_order("c1", token, 300)).outcome,
            BankOrderOutcome::confirmed);
  EXPECT_EQ(run(*bank, Direction::debit, make_order("d2", token, 300)).outcome,
            BankOrderOutcome::confirmed);
  EXPECT_EQ(balance(*bank, token), 0);
}

TEST_F(SandboxBankOrderTest, OrdersAboveThePerOrderLimitAreDeclinedLimitExceeded) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  for (Direction direction : {Direction::debit, Direction::credit}) {
    std::string reference = std::string("big-") + std::string(to_string(direction));
    BankOrderResult result = run(*bank, direction, make_order(reference, token, 50'001));
    EXPECT_EQ(result.outcome, BankOrderOutcome::declined);
    EXPECT_EQ(result.decline_code, "limit_exceeded");
  }
  EXPECT_EQ(balance(*bank, token), 100'000);
}

TEST_F(SandboxBankOrderTest, AccountsEndingIn0004AreClosed) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "0004");
  for (Direction direction : {Direction::debit, Direction::credit}) {
    std::string reference = std::string("closed-") + std::string(to_string(direction));
    BankOrderResult result = run(*bank, direction, make_order(reference, token, 10));
    EXPECT_EQ(result.outcome, BankOrderOutcome::declined);
    EXPECT_EQ(result.decline_code, "account_closed");
  }
}

TEST_F(SandboxBankOrderTest, AccountsEndingIn0006PayOutButRefuseCredits) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "0006");
  int64_t opening = balance(*bank, token);
  BankOrderResult debit = run(*bank, Direction::debit, make_order("forbidden-d", token, 30));
  EXPECT_EQ(debit.outcome, BankOrderOutcome::confirmed);
  BankOrderResult credit = run(*bank, Direction::credit, make_order("forbidden-c", token, 30));
  EXPECT_EQ(credit.outcome, BankOrderOutcome::declined);
  EXPECT_EQ(credit.decline_code, "transaction_forbidden");
  EXPECT_EQ(balance(*bank, token), opening - 30);  // the declined credit changed nothing
}

TEST_F(SandboxBankOrderTest, OtherCurrenciesAreDeclined) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  BankOrderResult result = run(*bank, Direction::debit, make_order("usd", token, 10, "USD"));
  EXPECT_EQ(result.outcome, BankOrderOutcome::declined);
  EXPECT_EQ(result.decline_code, "currency_not_supported");
  EXPECT_EQ(balance(*bank, token), 100'000);
}

TEST_F(SandboxBankOrderTest, AnUnansweredOrderTimesOutWithinTheDeadline) {
  SandboxBankOptions options = default_options();
  options.answer_timeout_ms = 150;
  auto bank = open_bank(options);
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "0003");
  ResultRecorder recorder;
  auto submitted_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(bank->credit(make_order("silent-1", token, 100), recorder.callback()).ok());
  Result<std::optional<BankOrderResult>> in_flight = bank->status("silent-1");
  ASSERT_TRUE(in_flight.ok());
  EXPECT_FALSE(in_flight->has_value());
  ASSERT_TRUE(recorder.wait_for(1));
  ResultRecorder::Call call = recorder.calls().front();
  EXPECT_GE(call.at - submitted_at, milliseconds(150));
  EXPECT_LT(call.at - submitted_at, milliseconds(150 + 3000));  // generous: shared machines
  EXPECT_EQ(call.result.outcome, BankOrderOutcome::timed_out);
  EXPECT_EQ(call.result.bank_transaction_id, "");
  EXPECT_EQ(balance(*bank, token), 100'000);
  // Final: the same order again is timed_out again, and never moves money.
  BankOrderResult again = run(*bank, Direction::credit, make_order("silent-1", token, 100));
  EXPECT_EQ(again, call.result);
  EXPECT_EQ(balance(*bank, token), 100'000);
}

TEST_F(SandboxBankOrderTest, ABankSlowerThanTheTimeoutTimesOut) {
  SandboxBankOptions options = default_options();
  options.latency_ms = 500;
  options.answer_timeout_ms = 60;
  std::string token = link_with_a_fast_bank("1234");
  auto bank = open_bank(options);
  ASSERT_NE(bank, nullptr);
  BankOrderResult result = run(*bank, Direction::debit, make_order("slow", token, 100));
  EXPECT_EQ(result.outcome, BankOrderOutcome::timed_out);
  EXPECT_EQ(balance(*bank, token), 100'000);
}

TEST_F(SandboxBankOrderTest, MalformedOrdersAndUnknownTokensAreRefusedAtOnce) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  ResultRecorder recorder;
  Status bad_amount = bank->debit(make_order("r1", token, 0), recorder.callback());
  ASSERT_FALSE(bad_amount.ok());
  EXPECT_EQ(bad_amount.error().code, "bank_order_invalid");
  EXPECT_EQ(bad_amount.error().field, "amount_minor");
  Status unknown = bank->credit(make_order("r2", "sandbox-acct-nope", 10), recorder.callback());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "bank_account_token_unknown");
  Result<std::optional<BankOrderResult>> status = bank->status("bad reference");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "bank_order_invalid");
  Result<std::optional<BankOrderResult>> never = bank->status("never-submitted");
  ASSERT_TRUE(never.ok());
  EXPECT_FALSE(never->has_value());
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(recorder.count(), 0u);
  EXPECT_FALSE(bank->status("r1")->has_value());  // a refused order leaves no trace
}

TEST_F(SandboxBankOrderTest, AFinalOrderReplayedGetsTheSameResultAndMovesMoneyOnce) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  BankOrderResult first = run(*bank, Direction::debit, make_order("topup-7", token, 1'000));
  ASSERT_EQ(first.outcome, BankOrderOutcome::confirmed);
  BankOrderResult second = run(*bank, Direction::debit, make_order("topup-7", token, 1'000));
  EXPECT_EQ(second, first);
  EXPECT_EQ(balance(*bank, token), 99'000);
  // A declined order stays declined, even when it would now succeed.
  BankOrderResult declined = run(*bank, Direction::debit, make_order("topup-8", token, 99'001));
  ASSERT_EQ(declined.outcome, BankOrderOutcome::declined);
  ASSERT_EQ(run(*bank, Direction::credit, make_order("salary", token, 50'000)).outcome,
            BankOrderOutcome::confirmed);
  EXPECT_EQ(run(*bank, Direction::debit, make_order("topup-8", token, 99'001)), declined);
  EXPECT_EQ(balance(*bank, token), 149'000);
}

// Regression: a replay of a final order queued its answer but never woke the idle worker, so the
// callback never came (and the test binary hung on the abandoned callback).
TEST_F(SandboxBankOrderTest, AReplayOfAFinalOrderWakesAnIdleWorker) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  BankOrderResult first = run(*bank, Direction::debit, make_order("idle-1", token, 10));
  std::this_thread::sleep_for(milliseconds(20));  // the worker has no timer left and sleeps
  ResultRecorder recorder;
  ASSERT_TRUE(bank->debit(make_order("idle-1", token, 10), recorder.callback()).ok());
  ASSERT_TRUE(recorder.wait_for(1));
  EXPECT_EQ(recorder.calls().front().result, first);
}

TEST_F(SandboxBankOrderTest, AnOrderReplayedInFlightAnswersBothCallersOnce) {
  SandboxBankOptions options = default_options();
  options.latency_ms = 100;
  auto bank = open_bank(options);
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  ResultRecorder recorder;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(bank->credit(make_order("withdraw-9", token, 4'000), recorder.callback()).ok());
  }
  ASSERT_TRUE(recorder.wait_for(3));
  std::this_thread::sleep_for(milliseconds(30));
  std::vector<ResultRecorder::Call> calls = recorder.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].result.outcome, BankOrderOutcome::confirmed);
  EXPECT_EQ(calls[1].result, calls[0].result);
  EXPECT_EQ(calls[2].result, calls[0].result);
  EXPECT_EQ(balance(*bank, token), 104'000);
}

TEST_F(SandboxBankOrderTest, AReferenceWithOtherFieldsIsReused) {
  auto bank = open_bank();
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  std::string other_token = link(*bank, "5678");
  ASSERT_EQ(run(*bank, Direction::debit, make_order("ref-1", token, 1'000)).outcome,
            BankOrderOutcome::confirmed);
  ResultRecorder recorder;
  std::vector<std::pair<Direction, BankOrder>> changed = {
      {Direction::debit, make_order("ref-1", token, 1'001)},
      {Direction::credit, make_order("ref-1", token, 1'000)},
      {Direction::debit, make_order("ref-1", other_token, 1'000)},
      {Direction::debit, make_order("ref-1", token, 1'000, "USD")},
  };
  for (const auto& [direction, order] : changed) {
    Status status = direction == Direction::debit ? bank->debit(order, recorder.callback())
                                                  : bank->credit(order, recorder.callback());
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, "bank_reference_reused");
    EXPECT_EQ(status.error().field, "reference");
  }
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(recorder.count(), 0u);
  EXPECT_EQ(balance(*bank, token), 99'000);
  EXPECT_EQ(balance(*bank, other_token), 100'000);
}

TEST_F(SandboxBankOrderTest, AFullQueueRefusesWithBankBusy) {
  SandboxBankOptions options = default_options();
  options.queue_max = 3;
  options.latency_ms = 1000;  // the five submissions below must all land before the first answer
  auto bank = open_bank(options);
  ASSERT_NE(bank, nullptr);
  std::string token = link(*bank, "1234");
  ResultRecorder recorder;
  ASSERT_TRUE(bank->debit(make_order("q1", token, 10), recorder.callback()).ok());
  ASSERT_TRUE(bank->debit(make_order("q2", token, 10), recorder.callback()).ok());
  ASSERT_TRUE(bank->debit(make_order("q2", token, 10), recorder.callback()).ok());  // a waiter
  for (const char* reference : {"q3", "q1"}) {
    Status busy = bank->debit(make_order(reference, token, 10), recorder.callback());
    ASSERT_FALSE(busy.ok()) << reference;
    EXPECT_EQ(busy.error().code, "bank_busy");
  }
  ASSERT_TRUE(recorder.wait_for(3));
  EXPECT_TRUE(bank->debit(make_order("q3", token, 10), recorder.callback()).ok());
  ASSERT_TRUE(recorder.wait_for(4));
  EXPECT_EQ(balance(*bank, token), 100'000 - 30);
}

TEST_F(SandboxBankOrderTest, EveryAcceptedCallIsAnsweredExactlyOnce) {
  SandboxBankOptions options = default_options();
  options.answer_timeout_ms = 100;
  auto bank = open_bank(options);
  ASSERT_NE(bank, nullptr);
  std::vector<std::string> tokens = {link(*bank, "1234"), link(*bank, "0002"),
                                     link(*bank, "0003"), link(*bank, "0004")};
  ResultRecorder recorder;
  size_t accepted = 0;
  for (size_t i = 0; i < 40; ++i) {
    const std::string& token = tokens[i % tokens.size()];
    BankOrder order = make_order("once-" + std::to_string(i), token, 100);
    Status status = i % 2 == 0 ? bank->debit(order, recorder.callback())
                               : bank->credit(order, recorder.callback());
    ASSERT_TRUE(status.ok());
    ++accepted;
  }
  ASSERT_TRUE(recorder.wait_for(accepted));
  std::this_thread::sleep_for(milliseconds(150));  // anything extra would show up by now
  EXPECT_EQ(recorder.count(), accepted);
  std::map<std::string, int> counts = recorder.count_by_reference();
  EXPECT_EQ(counts.size(), accepted);
  for (const auto& [reference, count] : counts) EXPECT_EQ(count, 1) << reference;
}

TEST_F(SandboxBankOrderTest, ShutdownTimesOutOrdersInFlightAndKeepsThemTimedOut) {
  std::string token = link_with_a_fast_bank("1234");
  SandboxBankOptions slow = default_options();
  slow.latency_ms = 10'000;
  slow.answer_timeout_ms = 20'000;
  ResultRecorder recorder;
  std::vector<std::string> refused_codes;
  {
    auto bank = open_bank(slow);
    ASSERT_NE(bank, nullptr);
    ASSERT_TRUE(bank->debit(make_order("late-1", token, 500), recorder.callback()).ok());
    ASSERT_TRUE(bank->credit(make_order("late-2", token, 700), recorder.callback()).ok());
    ASSERT_TRUE(bank->credit(make_order("late-2", token, 700), recorder.callback()).ok());
    SandboxBank* raw = bank.get();
    // A callback that calls back into a bank being destroyed is refused, not deadlocked.
    ASSERT_TRUE(bank->debit(make_order("late-3", token, 1), [&, raw](BankOrderResult) {
                      Status again = raw->debit(make_order("late-4", token, 1), [](auto) {});
                      refused_codes.push_back(again.ok() ? "ok" : again.error().code);
                    }).ok());
    auto started = std::chrono::steady_clock::now();
    bank.reset();
    // Far below the 10 s latency: shutdown does not wait for the bank (generous for loaded machines).
    EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(5000));
    EXPECT_EQ(recorder.count(), 3u);  // delivered before the destructor returned
  }
  for (const ResultRecorder::Call& call : recorder.calls()) {
    EXPECT_EQ(call.result.outcome, BankOrderOutcome::timed_out) << call.result.reference;
  }
  EXPECT_EQ(refused_codes, std::vector<std::string>{"bank_unavailable"});
  auto reopened = open_bank();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(balance(*reopened, token), 100'000);
  Result<std::optional<BankOrderResult>> status = reopened->status("late-1");
  ASSERT_TRUE(status.ok() && status->has_value());
  EXPECT_EQ((*status)->outcome, BankOrderOutcome::timed_out);
  EXPECT_EQ(run(*reopened, Direction::debit, make_order("late-1", token, 500)).outcome,
            BankOrderOutcome::timed_out);
  EXPECT_EQ(balance(*reopened, token), 100'000);
}

}  // namespace
}  // namespace mpay::bank::testing
