// SandboxBank: a SANDBOX for development and tests that behaves like a bank. It is NOT a bank: no
// money exists outside this process and its files. No real bank is reachable from this project.
//
// It implements BankConnector (bank_connector.h; that contract holds here) and keeps its own ledger
// of sandbox accounts and orders: in memory, plus an append-only file
// `<statement_directory>/sandbox-bank.jsonl` with every linked account and every final order
// result, so that tokens and idempotency survive a restart (open a new SandboxBank on the same
// directory). How accounts behave is decided by the last digits of the account number
// (sandbox_bank_rules.h): not found, holder mismatch, no money, never answers, closed,
// unavailable, ordinary.
//
// Timing. link_account sleeps latency_ms in the caller's thread (one round trip). An order is
// answered by the worker thread latency_ms after it was accepted, or reported timed_out at
// answer_timeout_ms when the bank does not answer by then (never-answering accounts, or
// latency_ms > answer_timeout_ms). `done` is called at the latest answer_timeout_ms after
// acceptance plus scheduling delay and one file sync. A replay of a final order is answered at
// once, from the worker thread.
//
// Durability. Every final result is appended to the file and fdatasynced before any callback or
// status() can see it; results that become due together share one sync. An order still in flight
// when the process dies leaves no trace: after a restart status() says std::nullopt and the same
// order may be submitted again (it did not move money). A failed append stops the process
// (fail-stop, as in the ledger: memory would be ahead of the file).
//
// Shutdown. The destructor refuses new work (bank_unavailable), answers the orders that are already
// due, reports timed_out for every order still in flight (recorded in the file, so it stays
// timed_out after a restart and never moves money), delivers every pending callback from the
// worker thread, and joins it. No callback is dropped. Destroy the SandboxBank before the Clock
// and RandomSource it was given.
//
// Memory grows with linked accounts and orders (about 300 bytes per order): a sandbox keeps all of
// them, as "unique forever" idempotency needs. Fine for development and tests; not for years.
//
// Threads: every public method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/random.h"
#include "payments/bank/bank_connector.h"
#include "payments/bank/sandbox_bank_file_internal.h"
#include "payments/bank/sandbox_bank_rules.h"

namespace mpay::bank {

struct SandboxBankOptions {
  uint32_t latency_ms = 20;           // the bank answers this long after a request
  uint32_t answer_timeout_ms = 5000;  // timed_out when the bank has not answered by then (> 0)
  // Callbacks not yet delivered (orders in flight, replays, duplicate submissions); beyond it
  // debit/credit return bank_busy. > 0.
  size_t queue_max = 10000;
  // Holds sandbox-bank.jsonl and the exported statement-YYYY-MM-DD.csv files; created if missing.
  std::string statement_directory;
  int64_t opening_balance_minor = 100'000'000;   // each sandbox account starts with this (>= 0)
  int64_t order_amount_limit_minor = 5'000'000;  // larger orders are declined limit_exceeded (> 0)
  std::string account_currency = "CNY";          // the one currency sandbox accounts hold
};

inline constexpr std::string_view kSandboxBankFileName = "sandbox-bank.jsonl";
inline constexpr size_t kSandboxWorkerBatchMax = 1024;  // results per file sync

class SandboxBank final : public BankConnector {
  struct OpenTag {
    explicit OpenTag() = default;
  };

 public:
  // Checks the options, creates the directory, reads the file and starts the worker thread.
  // Errors: sandbox_bank_options_invalid (Error::field names the option), sandbox_bank_file_io,
  // sandbox_bank_file_corrupt.
  static Result<std::unique_ptr<SandboxBank>> open(SandboxBankOptions options, Clock& clock,
                                                   RandomSource& random);
  // For open() only: OpenTag cannot be named outside the class.
  SandboxBank(OpenTag, SandboxBankOptions options, Clock& clock, RandomSource& random,
              std::unique_ptr<SandboxBankFile> file);
  ~SandboxBank() override;
  SandboxBank(const SandboxBank&) = delete;
  SandboxBank& operator=(const SandboxBank&) = delete;

  // "sandbox (not a bank)".
  std::string_view connector_name() const override;
  // Tokens look like "sandbox-acct-" followed by 24 hex digits.
  Result<LinkResult> link_account(const BankAccount& account) override;
  Status debit(const BankOrder& order, BankOrderCallback done) override;
  Status credit(const BankOrder& order, BankOrderCallback done) override;
  Result<std::optional<BankOrderResult>> status(const std::string& reference) override;

  // Sandbox only: the balance of a linked sandbox account, after every confirmed order so far.
  // Errors: bank_account_token_unknown.
  Result<int64_t> balance_minor(const std::string& bank_account_token);

  // Sandbox only: writes `<statement_directory>/statement-<day>.csv` (format in
  // sandbox_bank_statement_internal.h) with the orders confirmed on `day` ("YYYY-MM-DD", the UTC
  // day of the Clock when the bank answered) and returns its path. Exporting a day again rewrites
  // the file with what is known by then. Errors: statement_day_invalid (field "day"),
  // statement_write_failed, statement_total_overflow.
  Result<std::string> export_statement(std::string_view day);

  // The append-only file's path.
  std::string file_path() const;

 private:
  struct Account {
    std::string bank_account_token;
    BankAccount account;
    std::string masked_account_number;
    SandboxAccountRule rule = SandboxAccountRule::ordinary;
    int64_t balance_minor = 0;
  };
  struct Order {
    BankOrderDirection direction = BankOrderDirection::debit;
    BankOrder order;
    bool final = false;
    BankOrderResult result;                 // when final
    std::string value_date;                 // when final and answered
    std::vector<BankOrderCallback> waiting;  // while in flight
  };
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct TimerKey {
    SteadyTime due;
    uint64_t sequence = 0;  // first come, first served among equal due times
    friend auto operator<=>(const TimerKey&, const TimerKey&) = default;
  };
  struct TimerEntry {
    std::string reference;
    bool bank_answers = false;     // false: report timed_out when due
    BankOrderCallback replay_done;  // set for a replay of a final order
  };
  struct Delivery {
    BankOrderCallback done;
    BankOrderResult result;
  };

  Status load(std::vector<SandboxRecord> records);
  Status load_order(SandboxOrderRecord record);
  Status submit(BankOrderDirection direction, const BankOrder& order, BankOrderCallback done);
  Result<LinkResult> link_known_account(const BankAccount& account);
  std::string next_token();
  std::string next_bank_transaction_id();
  void apply_confirmed(const Order& order, const std::string& value_date);
  void add_timer(SteadyTime due, TimerEntry entry);

  void worker_loop();
  std::vector<Delivery> answer_due_orders(SteadyTime now, bool shutting_down);
  void finish_order(Order& order, bool bank_answers, std::string* lines,
                    std::vector<Delivery>* deliveries);

  const SandboxBankOptions options_;
  Clock& clock_;
  RandomSource& random_;

  std::mutex mutex_;  // guards everything below, and the file
  std::condition_variable wake_;
  std::unique_ptr<SandboxBankFile> file_;
  bool stopping_ = false;
  std::unordered_map<std::string, Account> accounts_by_token_;
  std::unordered_map<std::string, std::string> tokens_by_account_key_;  // bank_code/account_number
  std::unordered_map<std::string, Order> orders_by_reference_;
  std::map<std::string, std::vector<std::string>> confirmed_references_by_day_;
  std::map<TimerKey, TimerEntry> timers_;
  uint64_t timer_sequence_ = 0;
  uint64_t order_records_ = 0;  // final results recorded so far; numbers bank transaction ids
  size_t undelivered_callbacks_ = 0;

  std::mutex export_mutex_;  // one statement export at a time
  std::thread worker_;
};

}  // namespace mpay::bank
