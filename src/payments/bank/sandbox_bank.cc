#include "payments/bank/sandbox_bank.h"

#include <pthread.h>

#include <cstdio>
#include <filesystem>

#include "core/currency.h"
#include "core/money.h"
#include "payments/bank/bank_account_format.h"
#include "payments/bank/sandbox_bank_statement_internal.h"

namespace mpay::bank {

namespace {

constexpr size_t kTokenRandomBytes = 12;

Error options_invalid(std::string message, std::string field) {
  return Error("sandbox_bank_options_invalid", std::move(message), std::move(field));
}

Status check_options(const SandboxBankOptions& options) {
  if (options.answer_timeout_ms == 0) {
    return options_invalid("answer_timeout_ms must be positive", "answer_timeout_ms");
  }
  if (options.queue_max == 0) return options_invalid("queue_max must be positive", "queue_max");
  if (options.statement_directory.empty()) {
    return options_invalid("statement_directory is required", "statement_directory");
  }
  if (options.opening_balance_minor < 0) {
    return options_invalid("opening_balance_minor must not be negative", "opening_balance_minor");
  }
  if (options.order_amount_limit_minor <= 0) {
    return options_invalid("order_amount_limit_minor must be positive",
                           "order_amount_limit_minor");
  }
  if (!currency_by_code(options.account_currency).has_value()) {
    return options_invalid("account_currency must be a known ISO 4217 code", "account_currency");
  }
  return ok_status();
}

std::string account_key(const BankAccount& account) {
  return account.bank_code + "/" + account.account_number;
}

Error token_unknown() {
  return Error("bank_account_token_unknown", "this bank issued no such account token",
               "bank_account_token");
}

Error unavailable_shutting_down() {
  return Error("bank_unavailable", "the sandbox bank is shutting down");
}

Error file_corrupt(const std::string& path, std::string message) {
  return Error("sandbox_bank_file_corrupt", path + ": " + std::move(message));
}

bool same_fields(const BankOrder& a, BankOrderDirection a_direction, const BankOrder& b,
                 BankOrderDirection b_direction) {
  return a_direction == b_direction && a.bank_account_token == b.bank_account_token &&
         a.amount_minor == b.amount_minor && a.currency == b.currency;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Opening: options, directory, file, worker

Result<std::unique_ptr<SandboxBank>> SandboxBank::open(SandboxBankOptions options, Clock& clock,
                                                       RandomSource& random) {
  Status checked = check_options(options);
  if (!checked.ok()) return checked.error();
  std::error_code error;
  std::filesystem::create_directories(options.statement_directory, error);
  if (error) {
    return Error("sandbox_bank_file_io", "cannot create " + options.statement_directory + ": " +
                                             error.message());
  }
  std::string path =
      (std::filesystem::path(options.statement_directory) / kSandboxBankFileName).string();
  std::vector<SandboxRecord> records;
  Result<std::unique_ptr<SandboxBankFile>> file = SandboxBankFile::open(path, &records);
  if (!file.ok()) return file.error();
  auto bank = std::make_unique<SandboxBank>(OpenTag(), std::move(options), clock, random,
                                            std::move(file).value());
  Status loaded = bank->load(std::move(records));
  if (!loaded.ok()) return loaded.error();
  bank->worker_ = std::thread([raw = bank.get()] {
    pthread_setname_np(pthread_self(), "sandbox-bank");
    raw->worker_loop();
  });
  return bank;
}

SandboxBank::SandboxBank(OpenTag, SandboxBankOptions options, Clock& clock, RandomSource& random,
                         std::unique_ptr<SandboxBankFile> file)
    : options_(std::move(options)), clock_(clock), random_(random), file_(std::move(file)) {}

SandboxBank::~SandboxBank() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::string SandboxBank::file_path() const {
  return (std::filesystem::path(options_.statement_directory) / kSandboxBankFileName).string();
}

std::string_view SandboxBank::connector_name() const { return "sandbox (not a bank)"; }

// Rebuilds accounts, orders and balances from the file. Runs before the worker starts.
Status SandboxBank::load(std::vector<SandboxRecord> records) {
  for (SandboxRecord& record : records) {
    if (auto* link = std::get_if<SandboxLinkRecord>(&record)) {
      if (!validate_bank_account(link->account).ok() ||
          accounts_by_token_.contains(link->bank_account_token) ||
          tokens_by_account_key_.contains(account_key(link->account))) {
        return file_corrupt(file_path(), "bad or repeated link of " + link->bank_account_token);
      }
      SandboxAccountRule rule = sandbox_account_rule(link->account.account_number);
      Account account{link->bank_account_token, link->account,
                      mask_account_number(link->account.account_number), rule,
                      sandbox_opening_balance_minor(rule, options_.opening_balance_minor)};
      tokens_by_account_key_[account_key(link->account)] = link->bank_account_token;
      accounts_by_token_.emplace(link->bank_account_token, std::move(account));
      continue;
    }
    Status loaded = load_order(std::move(std::get<SandboxOrderRecord>(record)));
    if (!loaded.ok()) return loaded;
  }
  return ok_status();
}

Status SandboxBank::load_order(SandboxOrderRecord record) {
  const std::string reference = record.order.reference;
  if (!validate_bank_order(record.order).ok() ||
      !accounts_by_token_.contains(record.order.bank_account_token) ||
      orders_by_reference_.contains(reference)) {
    return file_corrupt(file_path(), "bad or repeated order " + reference);
  }
  Order order;
  order.direction = record.direction;
  order.order = std::move(record.order);
  order.final = true;
  order.result = std::move(record.result);
  order.value_date = std::move(record.value_date);
  if (order.result.outcome == BankOrderOutcome::confirmed) {
    if (!is_valid_day(order.value_date)) return file_corrupt(file_path(), "bad value date");
    apply_confirmed(order, order.value_date);
  }
  orders_by_reference_.emplace(reference, std::move(order));
  ++order_records_;
  return ok_status();
}

// Moves the money of a confirmed order in the sandbox account. The rules made sure it fits.
void SandboxBank::apply_confirmed(const Order& order, const std::string& value_date) {
  Account& account = accounts_by_token_.at(order.order.bank_account_token);
  int64_t amount_minor = order.order.amount_minor;
  bool fits = order.direction == BankOrderDirection::debit
                  ? checked_sub(account.balance_minor, amount_minor, &account.balance_minor)
                  : checked_add(account.balance_minor, amount_minor, &account.balance_minor);
  MPAY_CHECK(fits, "a confirmed sandbox order overflowed its account's balance");
  confirmed_references_by_day_[value_date].push_back(order.order.reference);
}

// ---------------------------------------------------------------------------------------------
// Linking

Result<LinkResult> SandboxBank::link_account(const BankAccount& account) {
  Status valid = validate_bank_account(account);
  if (!valid.ok()) return valid.error();
  std::this_thread::sleep_for(std::chrono::milliseconds(options_.latency_ms));
  switch (sandbox_account_rule(account.account_number)) {
    case SandboxAccountRule::not_found:
      return Error("bank_account_not_found", "the sandbox bank has no such account");
    case SandboxAccountRule::unavailable:
      return Error("bank_unavailable", "the sandbox bank's account service is down (rule 0005)");
    case SandboxAccountRule::holder_mismatch:
      if (normalize_holder_name(account.holder_name) != kSandboxMismatchHolderName) {
        return Error("bank_account_holder_mismatch",
                     "the holder name does not match the bank's records", "holder_name");
      }
      break;
    default:
      break;
  }
  return link_known_account(account);
}

// The account exists at the sandbox bank: returns its token, issuing one on the first link.
Result<LinkResult> SandboxBank::link_known_account(const BankAccount& account) {
  std::lock_guard lock(mutex_);
  if (stopping_) return unavailable_shutting_down();
  auto known = tokens_by_account_key_.find(account_key(account));
  if (known != tokens_by_account_key_.end()) {
    const Account& existing = accounts_by_token_.at(known->second);
    if (normalize_holder_name(existing.account.holder_name) !=
        normalize_holder_name(account.holder_name)) {
      return Error("bank_account_holder_mismatch",
                   "the holder name does not match the bank's records", "holder_name");
    }
    return LinkResult{existing.bank_account_token, existing.masked_account_number};
  }
  std::string token = next_token();
  Status written = file_->append(encode_sandbox_record(SandboxLinkRecord{token, account}));
  MPAY_CHECK(written.ok(), "the sandbox bank cannot append to its file (fail-stop)");
  SandboxAccountRule rule = sandbox_account_rule(account.account_number);
  Account linked{token, account, mask_account_number(account.account_number), rule,
                 sandbox_opening_balance_minor(rule, options_.opening_balance_minor)};
  LinkResult result{token, linked.masked_account_number};
  tokens_by_account_key_[account_key(account)] = token;
  accounts_by_token_.emplace(token, std::move(linked));
  return result;
}

std::string SandboxBank::next_token() {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  while (true) {
    unsigned char bytes[kTokenRandomBytes];
    random_.fill(bytes, sizeof(bytes));
    std::string token = "sandbox-acct-";
    for (unsigned char byte : bytes) {
      token += kHexDigits[byte >> 4];
      token += kHexDigits[byte & 0x0F];
    }
    if (!accounts_by_token_.contains(token)) return token;
  }
}

// ---------------------------------------------------------------------------------------------
// Orders

Status SandboxBank::debit(const BankOrder& order, BankOrderCallback done) {
  return submit(BankOrderDirection::debit, order, std::move(done));
}

Status SandboxBank::credit(const BankOrder& order, BankOrderCallback done) {
  return submit(BankOrderDirection::credit, order, std::move(done));
}

Status SandboxBank::submit(BankOrderDirection direction, const BankOrder& order,
                           BankOrderCallback done) {
  MPAY_CHECK(done != nullptr, "a bank order needs a done callback");
  Status valid = validate_bank_order(order);
  if (!valid.ok()) return valid;
  SteadyTime now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return unavailable_shutting_down();
    auto existing = orders_by_reference_.find(order.reference);
    if (existing != orders_by_reference_.end() &&
        !same_fields(existing->second.order, existing->second.direction, order, direction)) {
      return Error("bank_reference_reused",
                   "this reference was used for a different order", "reference");
    }
    if (undelivered_callbacks_ >= options_.queue_max) {
      return Error("bank_busy", "the sandbox bank's queue is full; retry later");
    }
    if (existing != orders_by_reference_.end() && !existing->second.final) {
      // Answered together with the original when its timer fires: no new timer, no wake-up.
      existing->second.waiting.push_back(std::move(done));
      ++undelivered_callbacks_;
      return ok_status();
    }
    if (existing != orders_by_reference_.end()) {
      // A replay of a final order: due now, so the worker must be woken like for a new order.
      add_timer(now, TimerEntry{order.reference, true, std::move(done)});
      ++undelivered_callbacks_;
      wake_.notify_one();
      return ok_status();
    }
    auto account = accounts_by_token_.find(order.bank_account_token);
    if (account == accounts_by_token_.end()) return token_unknown();
    bool bank_answers = account->second.rule != SandboxAccountRule::never_answers &&
                        options_.latency_ms <= options_.answer_timeout_ms;
    auto wait_ms = bank_answers ? options_.latency_ms : options_.answer_timeout_ms;
    Order accepted;
    accepted.direction = direction;
    accepted.order = order;
    accepted.waiting.push_back(std::move(done));
    orders_by_reference_.emplace(order.reference, std::move(accepted));
    add_timer(now + std::chrono::milliseconds(wait_ms),
              TimerEntry{order.reference, bank_answers, nullptr});
    ++undelivered_callbacks_;
  }
  wake_.notify_one();
  return ok_status();
}

void SandboxBank::add_timer(SteadyTime due, TimerEntry entry) {
  timers_.emplace(TimerKey{due, timer_sequence_++}, std::move(entry));
}

Result<std::optional<BankOrderResult>> SandboxBank::status(const std::string& reference) {
  Status valid = validate_reference(reference);
  if (!valid.ok()) return valid.error();
  std::lock_guard lock(mutex_);
  auto found = orders_by_reference_.find(reference);
  if (found == orders_by_reference_.end() || !found->second.final) {
    return std::optional<BankOrderResult>();
  }
  return std::optional<BankOrderResult>(found->second.result);
}

Result<int64_t> SandboxBank::balance_minor(const std::string& bank_account_token) {
  std::lock_guard lock(mutex_);
  auto found = accounts_by_token_.find(bank_account_token);
  if (found == accounts_by_token_.end()) return token_unknown();
  return found->second.balance_minor;
}

// ---------------------------------------------------------------------------------------------
// Statements

Result<std::string> SandboxBank::export_statement(std::string_view day) {
  if (!is_valid_day(day)) {
    return Error("statement_day_invalid", "day must be a calendar day written YYYY-MM-DD", "day");
  }
  std::vector<StatementLine> lines;
  {
    std::lock_guard lock(mutex_);
    auto confirmed = confirmed_references_by_day_.find(std::string(day));
    if (confirmed != confirmed_references_by_day_.end()) {
      for (const std::string& reference : confirmed->second) {
        const Order& order = orders_by_reference_.at(reference);
        const Account& account = accounts_by_token_.at(order.order.bank_account_token);
        lines.push_back(StatementLine{order.value_date, reference,
                                      order.result.bank_transaction_id, order.direction,
                                      account.masked_account_number, order.order.amount_minor,
                                      order.order.currency});
      }
    }
  }
  Result<std::string> contents = format_statement(lines, options_.account_currency);
  if (!contents.ok()) return contents.error();
  std::string path = (std::filesystem::path(options_.statement_directory) /
                      ("statement-" + std::string(day) + ".csv"))
                         .string();
  std::lock_guard export_lock(export_mutex_);
  Status written = write_file_atomically(path, *contents);
  if (!written.ok()) return written.error();
  return path;
}

}  // namespace mpay::bank
