// One focused test per rule of the state machine, driven the way the writer drives it: begin_batch,
// then create_accounts / create_transfers into the batch's JournalBatchBuffer, results read from
// the entries. After every batch the entries are applied to a MoneyState, which must hold the
// zero-sum invariant and agree with the state machine's own image.
#include "ledger/state_machine.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <vector>

#include "ledger/money_state.h"
#include "ledger/replay.h"
#include "ledger/snapshot_format.h"
#include "test_support.h"

namespace mpay::ledger {
namespace {

using namespace mpay::ledger::testing;  // NOLINT: test helpers
using R = CreateTransferResult;
using A = CreateAccountResult;

constexpr int64_t kStart = 1'700'000'000'000'000'000;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// The accounts most tests start with.
constexpr uint64_t kSource = 1;    // CNY, no limits (a system account that funds the others)
constexpr uint64_t kSink = 2;      // CNY, no limits
constexpr uint64_t kWallet = 3;    // CNY, debits must not exceed credits
constexpr uint64_t kClearing = 4;  // CNY, credits must not exceed debits
constexpr uint64_t kUsdA = 5;      // USD, no limits
constexpr uint64_t kUsdB = 6;      // USD, no limits
constexpr uint64_t kThird = 7;     // CNY, no limits
constexpr uint64_t kMissing = 99;  // never created

AccountBalances balance_of(int64_t debits_pending, int64_t debits_posted, int64_t credits_pending,
                           int64_t credits_posted) {
  return AccountBalances{debits_pending, debits_posted, credits_pending, credits_posted};
}

class StateMachineTest : public ::testing::Test {
 protected:
  StateMachineTest() : StateMachineTest(StateMachineOptions{1u << 20, 1u << 16}, false) {}
  StateMachineTest(StateMachineOptions options, bool with_archive)
      : machine_(options, with_archive ? &archive_ : nullptr), with_archive_(with_archive) {}

  void TearDown() override { EXPECT_FALSE(open_) << "a batch was left open"; }

  void begin_at(int64_t timestamp) {
    ASSERT_FALSE(open_);
    out_.clear();
    now_ = timestamp;
    ++seq_;
    // Without an archive nothing may leave memory; with one, everything before this batch is in it
    // (unless the test holds the archive back, as when the projections fall behind).
    uint64_t evictable = with_archive_ && !archive_behind_ ? seq_ - 1 : 0;
    ASSERT_TRUE(machine_.begin_batch(seq_, now_, evictable, &out_).ok());
    open_ = true;
  }
  void begin(int64_t advance_ns = 1'000'000) { begin_at(now_ + advance_ns); }

  std::vector<A> accounts(const std::vector<Account>& accounts) {
    EXPECT_TRUE(open_);
    size_t first = out_.size();
    machine_.create_accounts(accounts, &out_);
    EXPECT_EQ(out_.size(), first + accounts.size());
    std::vector<A> results;
    for (size_t i = first; i < out_.size(); ++i)
      results.push_back(static_cast<A>(out_.entry(i).result));
    return results;
  }

  std::vector<R> transfers(const std::vector<Transfer>& transfers) {
    EXPECT_TRUE(open_);
    size_t first = out_.size();
    Status status = machine_.create_transfers(transfers, &out_);
    EXPECT_TRUE(status.ok()) << status.error().code;
    EXPECT_EQ(out_.size(), first + transfers.size());
    std::vector<R> results;
    for (size_t i = first; i < out_.size(); ++i)
      results.push_back(static_cast<R>(out_.entry(i).result));
    return results;
  }

  void end() {
    ASSERT_TRUE(open_);
    for (const JournalEntry& e : out_.entries()) money_.apply(seq_, e);
    money_.finish_batch(seq_);
    EXPECT_TRUE(money_.zero_sum_holds()) << "after batch " << seq_;
    LedgerImage from_entries = money_.image();
    from_entries.last_timestamp = machine_.last_timestamp();  // an empty batch hands out none
    EXPECT_TRUE(images_equal(from_entries, machine_.image())) << "after batch " << seq_;
    if (with_archive_ && !archive_behind_) archive_.record(seq_, out_.entries());
    // Keep the sealed record: replaying the whole journal must reproduce every entry.
    std::span<const std::byte> record = out_.seal(seq_, now_);
    journal_.emplace_back(record.begin(), record.end());
    open_ = false;
  }

  A account(const Account& a) {
    begin();
    A r = accounts({a})[0];
    end();
    return r;
  }
  R transfer(const Transfer& t) {
    begin();
    R r = transfers({t})[0];
    end();
    return r;
  }
  std::vector<R> submit(const std::vector<Transfer>& ts) {
    begin();
    std::vector<R> r = transfers(ts);
    end();
    return r;
  }

  const JournalEntry& entry(size_t index) const { return out_.entry(index); }
  const JournalEntry& last_entry() const { return out_.entry(out_.size() - 1); }

  ::testing::AssertionResult balances_are(uint64_t id, const AccountBalances& want) {
    const AccountState* a = machine_.find_account(account_id(id));
    if (a == nullptr) return ::testing::AssertionFailure() << "account " << id << " not found";
    const AccountBalances& b = a->balances;
    if (b.debits_pending == want.debits_pending && b.debits_posted == want.debits_posted &&
        b.credits_pending == want.credits_pending && b.credits_posted == want.credits_posted) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "account " << id << " has (dp " << b.debits_pending << ", dP " << b.debits_posted
           << ", cp " << b.credits_pending << ", cP " << b.credits_posted << "), want (dp "
           << want.debits_pending << ", dP " << want.debits_posted << ", cp "
           << want.credits_pending << ", cP " << want.credits_posted << ")";
  }

  void open_standard_accounts() {
    begin_at(kStart);
    std::vector<A> results = accounts({
        make_account(kSource, kCny, 0, AccountKind::system),
        make_account(kSink, kCny, 0, AccountKind::system),
        make_account(kWallet, kCny, account_flags::debits_must_not_exceed_credits),
        make_account(kClearing, kCny, account_flags::credits_must_not_exceed_debits,
                     AccountKind::bank_clearing),
        make_account(kUsdA, kUsd, 0, AccountKind::system),
        make_account(kUsdB, kUsd, 0, AccountKind::system),
        make_account(kThird, kCny, 0, AccountKind::merchant),
    });
    end();
    for (A r : results) ASSERT_EQ(r, A::created);
  }

  // Replays the whole journal into a fresh machine: it must reproduce every entry and end equal.
  void expect_replay_reproduces() {
    StateMachine fresh(StateMachineOptions{1u << 20, 1u << 16}, nullptr);
    JournalBatchBuffer scratch;
    for (const std::vector<std::byte>& record : journal_) {
      Result<DecodedBatch> batch = decode_batch(record);
      ASSERT_TRUE(batch.ok()) << batch.error().message;
      Status replayed = replay_batch(fresh, *batch, 0, &scratch);
      ASSERT_TRUE(replayed.ok()) << replayed.error().message;
    }
    EXPECT_TRUE(images_equal(fresh.image(), machine_.image()));
  }

  MemoryArchive archive_;
  StateMachine machine_;
  bool with_archive_;
  MoneyState money_;
  JournalBatchBuffer out_;
  std::vector<std::vector<std::byte>> journal_;
  uint64_t seq_ = 0;
  int64_t now_ = kStart - 1'000'000'000;
  bool open_ = false;
  bool archive_behind_ = false;
};

// ---------------------------------------------------------------------------------------------
// Accounts

TEST_F(StateMachineTest, AccountIsCreatedWithTheEventTimestampAndZeroBalances) {
  begin_at(kStart);
  Account a =
      make_account(10, kJpy, account_flags::debits_must_not_exceed_credits, AccountKind::merchant);
  a.user_data = 77;
  a.code = 5;
  EXPECT_EQ(accounts({a})[0], A::created);
  EXPECT_EQ(entry(0).type, EntryType::create_account);
  EXPECT_EQ(entry(0).timestamp, kStart);
  end();
  const AccountState* state = machine_.find_account(account_id(10));
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->account.user_data, 77u);
  EXPECT_EQ(state->account.currency, kJpy);
  EXPECT_EQ(state->account.kind, AccountKind::merchant);
  EXPECT_EQ(state->account.flags, account_flags::debits_must_not_exceed_credits);
  EXPECT_EQ(state->account.code, 5);
  EXPECT_EQ(state->timestamp, kStart);
  EXPECT_TRUE(balances_are(10, balance_of(0, 0, 0, 0)));
}

TEST_F(StateMachineTest, AccountWithTheSameIdAndFieldsExists) {
  Account a = make_account(10);
  a.user_data = 3;
  ASSERT_EQ(account(a), A::created);
  EXPECT_EQ(account(a), A::exists);
  EXPECT_EQ(machine_.account_count(), 1u);
}

TEST_F(StateMachineTest, AccountWithTheSameIdAndDifferentFieldsIsRejected) {
  Account original = make_account(10, kCny, 0, AccountKind::user_wallet);
  ASSERT_EQ(account(original), A::created);
  std::vector<Account> variants(5, original);
  variants[0].user_data = 1;
  variants[1].currency = kUsd;
  variants[2].kind = AccountKind::merchant;
  variants[3].flags = account_flags::credits_must_not_exceed_debits;
  variants[4].code = 9;
  for (const Account& v : variants) EXPECT_EQ(account(v), A::exists_with_different_fields);
  EXPECT_EQ(machine_.find_account(account_id(10))->account.currency, kCny);
  EXPECT_EQ(machine_.account_count(), 1u);
}

TEST_F(StateMachineTest, AccountIdMustNotBeZero) {
  EXPECT_EQ(account(make_account(0)), A::id_must_not_be_zero);
  EXPECT_EQ(machine_.account_count(), 0u);
}

TEST_F(StateMachineTest, AccountReservedFlagIsRejected) {
  EXPECT_EQ(account(make_account(10, kCny, 1u << 2)), A::reserved_flag);
  EXPECT_EQ(account(make_account(11, kCny, 1u << 15)), A::reserved_flag);
  EXPECT_EQ(machine_.account_count(), 0u);
}

TEST_F(StateMachineTest, AccountBalanceFlagsAreMutuallyExclusive) {
  EXPECT_EQ(account(make_account(10, kCny, account_flags::all)), A::flags_are_mutually_exclusive);
  EXPECT_EQ(machine_.account_count(), 0u);
}

TEST_F(StateMachineTest, AccountCurrencyMustBeKnown) {
  EXPECT_EQ(account(make_account(10, 0)), A::currency_unknown);
  EXPECT_EQ(account(make_account(11, kNoSuchCurrency)), A::currency_unknown);
  EXPECT_EQ(machine_.account_count(), 0u);
}

TEST_F(StateMachineTest, AccountKindMustBeKnown) {
  EXPECT_EQ(account(make_account(10, kCny, 0, static_cast<AccountKind>(0))), A::kind_unknown);
  EXPECT_EQ(account(make_account(11, kCny, 0, static_cast<AccountKind>(kAccountKindMax + 1))),
            A::kind_unknown);
  EXPECT_EQ(machine_.account_count(), 0u);
}

TEST_F(StateMachineTest, RejectedAccountIdIsNotRemembered) {
  EXPECT_EQ(account(make_account(10, kNoSuchCurrency)), A::currency_unknown);
  EXPECT_EQ(account(make_account(10, kCny)), A::created);
}

// ---------------------------------------------------------------------------------------------
// Transfers: the command's own fields. These rejections are not remembered against the id.

struct FieldCase {
  const char* name;
  Transfer transfer;
  R expected;
};

TEST_F(StateMachineTest, EveryFieldValidationHasItsOwnResultAndIsNotRemembered) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(50, kSource, kSink, 100)), R::created);

  auto with = [](Transfer t, auto change) {
    change(t);
    return t;
  };
  const Transfer ok = make_transfer(200, kSource, kSink, 10);
  const Transfer post = make_post(200, 50);
  std::vector<FieldCase> cases = {
      {"zero id", with(ok, [](Transfer& t) { t.id = TransferId(); }), R::id_must_not_be_zero},
      {"reserved flag", with(ok, [](Transfer& t) { t.flags = 1u << 4; }), R::reserved_flag},
      {"high reserved flag", with(ok, [](Transfer& t) { t.flags = 1u << 15; }), R::reserved_flag},
      {"pending and post", with(post, [](Transfer& t) { t.flags |= transfer_flags::pending; }),
       R::flags_are_mutually_exclusive},
      {"post and void",
       with(post, [](Transfer& t) { t.flags |= transfer_flags::void_pending_transfer; }),
       R::flags_are_mutually_exclusive},
      {"pending and void",
       with(ok,
            [](Transfer& t) {
              t.flags = transfer_flags::pending | transfer_flags::void_pending_transfer;
            }),
       R::flags_are_mutually_exclusive},
      {"zero debit", with(ok, [](Transfer& t) { t.debit_account_id = AccountId(); }),
       R::debit_account_id_must_not_be_zero},
      {"zero credit", with(ok, [](Transfer& t) { t.credit_account_id = AccountId(); }),
       R::credit_account_id_must_not_be_zero},
      {"same accounts", with(ok, [](Transfer& t) { t.credit_account_id = t.debit_account_id; }),
       R::accounts_must_be_different},
      {"post naming the same account twice",
       with(post,
            [](Transfer& t) {
              t.debit_account_id = account_id(kSource);
              t.credit_account_id = account_id(kSource);
            }),
       R::accounts_must_be_different},
      {"single-phase with pending id",
       with(ok, [](Transfer& t) { t.pending_id = transfer_id(50); }), R::pending_id_must_be_zero},
      {"post without pending id", with(post, [](Transfer& t) { t.pending_id = TransferId(); }),
       R::pending_id_must_not_be_zero},
      {"void without pending id",
       with(make_void(200, 50), [](Transfer& t) { t.pending_id = TransferId(); }),
       R::pending_id_must_not_be_zero},
      {"post resolving itself", with(post, [](Transfer& t) { t.pending_id = t.id; }),
       R::pending_id_must_be_different},
      {"timeout on single-phase", with(ok, [](Transfer& t) { t.timeout_s = 5; }),
       R::timeout_reserved_for_pending_transfer},
      {"timeout on post", with(post, [](Transfer& t) { t.timeout_s = 5; }),
       R::timeout_reserved_for_pending_transfer},
      {"zero amount", with(ok, [](Transfer& t) { t.amount = 0; }), R::amount_must_not_be_zero},
      {"zero pending amount", make_pending(200, kSource, kSink, 0), R::amount_must_not_be_zero},
      {"negative amount", with(ok, [](Transfer& t) { t.amount = -1; }),
       R::amount_must_not_be_negative},
      {"most negative amount",
       with(ok, [](Transfer& t) { t.amount = std::numeric_limits<int64_t>::min(); }),
       R::amount_must_not_be_negative},
      {"negative post amount", with(post, [](Transfer& t) { t.amount = -5; }),
       R::amount_must_not_be_negative},
      {"unknown currency", with(ok, [](Transfer& t) { t.currency = kNoSuchCurrency; }),
       R::currency_unknown},
      {"zero currency on single-phase", with(ok, [](Transfer& t) { t.currency = 0; }),
       R::currency_unknown},
      {"unknown currency on post", with(post, [](Transfer& t) { t.currency = kNoSuchCurrency; }),
       R::currency_unknown},
  };
  for (const FieldCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_FALSE(is_transient(c.expected));
    EXPECT_EQ(transfer(c.transfer), c.expected);
    // Nothing moved, and the rejection is the same when sent again (not id_already_failed).
    EXPECT_TRUE(balances_are(kSource, balance_of(100, 0, 0, 0)));
    EXPECT_EQ(transfer(c.transfer), c.expected);
  }
  // Not remembered: the id is still free for a valid transfer.
  EXPECT_EQ(transfer(ok), R::created);
  EXPECT_TRUE(balances_are(kSource, balance_of(100, 10, 0, 0)));
  EXPECT_EQ(machine_.pending_count(), 1u);
}

// ---------------------------------------------------------------------------------------------
// Transfers: the ledger's state. These rejections are remembered: a retry gets id_already_failed.

class StateRejectionTest : public StateMachineTest {
 protected:
  // Sends `t`, expects `expected`, then checks that the failure is remembered against the id:
  // the same command, and a corrected one with the same id, both get id_already_failed.
  void expect_remembered_failure(const Transfer& t, R expected, const Transfer& corrected) {
    AccountBalances before = machine_.find_account(account_id(kSource))->balances;
    EXPECT_TRUE(is_transient(expected));
    EXPECT_EQ(transfer(t), expected);
    EXPECT_TRUE(balances_are(kSource, before));
    EXPECT_EQ(transfer(t), R::id_already_failed);
    EXPECT_EQ(transfer(corrected), R::id_already_failed);
    EXPECT_TRUE(balances_are(kSource, before));
  }
};

TEST_F(StateRejectionTest, DebitAccountNotFound) {
  open_standard_accounts();
  expect_remembered_failure(make_transfer(200, kMissing, kSink, 10), R::debit_account_not_found,
                            make_transfer(200, kSource, kSink, 10));
  // Even once the account exists, the id stays failed.
  ASSERT_EQ(account(make_account(kMissing)), A::created);
  EXPECT_EQ(transfer(make_transfer(200, kMissing, kSink, 10)), R::id_already_failed);
}

TEST_F(StateRejectionTest, CreditAccountNotFound) {
  open_standard_accounts();
  expect_remembered_failure(make_transfer(200, kSource, kMissing, 10), R::credit_account_not_found,
                            make_transfer(200, kSource, kSink, 10));
}

TEST_F(StateRejectionTest, AccountsMustHaveTheSameCurrency) {
  open_standard_accounts();
  expect_remembered_failure(make_transfer(200, kSource, kUsdA, 10, kCny),
                            R::accounts_must_have_the_same_currency,
                            make_transfer(200, kSource, kSink, 10));
}

TEST_F(StateRejectionTest, TransferMustHaveTheSameCurrencyAsAccounts) {
  open_standard_accounts();
  expect_remembered_failure(make_transfer(200, kSource, kSink, 10, kUsd),
                            R::transfer_must_have_the_same_currency_as_accounts,
                            make_transfer(200, kSource, kSink, 10));
}

TEST_F(StateRejectionTest, PendingTransferNotFound) {
  open_standard_accounts();
  expect_remembered_failure(make_post(200, 12345), R::pending_transfer_not_found,
                            make_void(200, 12345));
  // A transfer that failed is not a pending transfer either, even with the pending flag.
  ASSERT_EQ(transfer(make_pending(300, kMissing, kSink, 10)), R::debit_account_not_found);
  EXPECT_EQ(transfer(make_post(301, 300)), R::pending_transfer_not_found);
}

TEST_F(StateRejectionTest, PendingTransferNotPending) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_transfer(100, kSource, kSink, 10)), R::created);
  expect_remembered_failure(make_post(200, 100), R::pending_transfer_not_pending,
                            make_void(200, 100));
  EXPECT_TRUE(balances_are(kSink, balance_of(0, 0, 0, 10)));
}

TEST_F(StateRejectionTest, PendingTransferHasDifferentDebitAccount) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 10)), R::created);
  Transfer post = make_post(200, 100);
  post.debit_account_id = account_id(kThird);
  expect_remembered_failure(post, R::pending_transfer_has_different_debit_account_id,
                            make_post(200, 100));
  EXPECT_EQ(machine_.pending_count(), 1u);
}

TEST_F(StateRejectionTest, PendingTransferHasDifferentCreditAccount) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 10)), R::created);
  Transfer void_ = make_void(200, 100);
  void_.credit_account_id = account_id(kThird);
  expect_remembered_failure(void_, R::pending_transfer_has_different_credit_account_id,
                            make_void(200, 100));
}

TEST_F(StateRejectionTest, PendingTransferHasDifferentCurrency) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 10)), R::created);
  Transfer post = make_post(200, 100);
  post.currency = kUsd;
  expect_remembered_failure(post, R::pending_transfer_has_different_currency, make_post(200, 100));
}

TEST_F(StateRejectionTest, PostMustNotExceedThePendingAmount) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 10)), R::created);
  expect_remembered_failure(make_post(200, 100, 11), R::exceeds_pending_transfer_amount,
                            make_post(200, 100, 10));
  EXPECT_TRUE(balances_are(kSource, balance_of(10, 0, 0, 0)));
}

TEST_F(StateRejectionTest, VoidMustNameTheFullAmountOrNone) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 10)), R::created);
  Transfer partial = make_void(200, 100);
  partial.amount = 4;
  expect_remembered_failure(partial, R::pending_transfer_has_different_amount, make_void(200, 100));
  Transfer full = make_void(201, 100);
  full.amount = 10;
  EXPECT_EQ(transfer(full), R::created);
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 0, 0, 0)));
}

TEST_F(StateRejectionTest, DebitsMustNotExceedCredits) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_transfer(100, kSource, kWallet, 100)), R::created);
  expect_remembered_failure(make_transfer(200, kWallet, kSink, 101), R::exceeds_credits,
                            make_transfer(200, kWallet, kSink, 100));
  // Exactly the credits is fine; pending debits count against the limit too.
  ASSERT_EQ(transfer(make_pending(201, kWallet, kSink, 60)), R::created);
  EXPECT_EQ(transfer(make_transfer(202, kWallet, kSink, 41)), R::exceeds_credits);
  EXPECT_EQ(transfer(make_pending(203, kWallet, kSink, 41)), R::exceeds_credits);
  EXPECT_EQ(transfer(make_transfer(204, kWallet, kSink, 40)), R::created);
  EXPECT_TRUE(balances_are(kWallet, balance_of(60, 40, 0, 100)));
  // Posting a reservation does not need new room: it was counted when reserved.
  EXPECT_EQ(transfer(make_post(205, 201)), R::created);
  EXPECT_TRUE(balances_are(kWallet, balance_of(0, 100, 0, 100)));
}

TEST_F(StateRejectionTest, CreditsMustNotExceedDebits) {
  open_standard_accounts();
  expect_remembered_failure(make_transfer(200, kSource, kClearing, 1), R::exceeds_debits,
                            make_transfer(200, kClearing, kSource, 1));
  ASSERT_EQ(transfer(make_transfer(201, kClearing, kSink, 50)), R::created);
  ASSERT_EQ(transfer(make_pending(202, kSource, kClearing, 30)), R::created);
  EXPECT_EQ(transfer(make_transfer(203, kSource, kClearing, 21)), R::exceeds_debits);
  EXPECT_EQ(transfer(make_transfer(204, kSource, kClearing, 20)), R::created);
  EXPECT_TRUE(balances_are(kClearing, balance_of(0, 50, 30, 20)));
}

// ---------------------------------------------------------------------------------------------
// Overflow at INT64_MAX: every sum is checked before it is made.

TEST_F(StateRejectionTest, OverflowsDebitsPosted) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_transfer(100, kSource, kSink, kMax)), R::created);
  EXPECT_TRUE(balances_are(kSource, balance_of(0, kMax, 0, 0)));
  expect_remembered_failure(make_transfer(200, kSource, kThird, 1), R::overflows_debits_posted,
                            make_transfer(200, kThird, kSource, 1));
}

TEST_F(StateRejectionTest, OverflowsCreditsPosted) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_transfer(100, kSource, kSink, kMax)), R::created);
  expect_remembered_failure(make_transfer(200, kThird, kSink, 1), R::overflows_credits_posted,
                            make_transfer(200, kSink, kThird, 1));
  EXPECT_TRUE(balances_are(kSink, balance_of(0, 0, 0, kMax)));
}

TEST_F(StateRejectionTest, OverflowsDebitsPending) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, kMax)), R::created);
  expect_remembered_failure(make_pending(200, kSource, kThird, 1), R::overflows_debits_pending,
                            make_pending(200, kThird, kSource, 1));
}

TEST_F(StateRejectionTest, OverflowsCreditsPending) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, kMax)), R::created);
  expect_remembered_failure(make_pending(200, kThird, kSink, 1), R::overflows_credits_pending,
                            make_pending(200, kSink, kThird, 1));
}

TEST_F(StateRejectionTest, OverflowsDebitsWhenPendingPlusPostedWouldNotFit) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_transfer(100, kSource, kThird, 10)), R::created);
  // Neither the pending nor the posted debits overflow on their own; their sum would.
  expect_remembered_failure(make_pending(200, kSource, kSink, kMax - 5), R::overflows_debits,
                            make_pending(200, kSource, kSink, kMax - 10));
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 10, 0, 0)));
  // The same from the other side: posted on top of pending.
  ASSERT_EQ(transfer(make_pending(201, kSource, kSink, kMax - 10)), R::created);
  EXPECT_TRUE(balances_are(kSource, balance_of(kMax - 10, 10, 0, 0)));
  EXPECT_EQ(transfer(make_transfer(202, kSource, kThird, 1)), R::overflows_debits);
}

TEST_F(StateRejectionTest, OverflowsCreditsWhenPendingPlusPostedWouldNotFit) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_transfer(100, kThird, kSink, 10)), R::created);
  expect_remembered_failure(make_pending(200, kSource, kSink, kMax - 5), R::overflows_credits,
                            make_pending(200, kSource, kSink, kMax - 10));
  EXPECT_TRUE(balances_are(kSink, balance_of(0, 0, 0, 10)));
}

TEST_F(StateMachineTest, AmountsUpToExactlyInt64MaxFit) {
  open_standard_accounts();
  EXPECT_EQ(transfer(make_transfer(100, kSource, kSink, kMax - 1)), R::created);
  EXPECT_EQ(transfer(make_transfer(101, kSource, kSink, 1)), R::created);
  EXPECT_TRUE(balances_are(kSource, balance_of(0, kMax, 0, 0)));
  EXPECT_TRUE(balances_are(kSink, balance_of(0, 0, 0, kMax)));
  // A full reservation of the largest amount fits on the debit side, but the credit account's
  // pending plus posted credits would pass the top.
  EXPECT_EQ(transfer(make_pending(102, kThird, kSink, kMax)), R::overflows_credits);
  // A clearing account cannot take a credit it has no debits for, however large.
  EXPECT_EQ(transfer(make_pending(103, kThird, kClearing, kMax)), R::exceeds_debits);
}

// ---------------------------------------------------------------------------------------------
// Balances through the phases.

TEST_F(StateMachineTest, SinglePhaseMovesPostedBalances) {
  open_standard_accounts();
  begin();
  ASSERT_EQ(transfers({make_transfer(100, kSource, kSink, 250)})[0], R::created);
  EXPECT_EQ(entry(0).amount, 250);
  EXPECT_EQ(entry(0).amount_applied, 250);
  EXPECT_EQ(entry(0).amount_released, 0);
  EXPECT_EQ(entry(0).defaulted, 0);
  end();
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 250, 0, 0)));
  EXPECT_TRUE(balances_are(kSink, balance_of(0, 0, 0, 250)));
  EXPECT_EQ(machine_.pending_count(), 0u);
}

TEST_F(StateMachineTest, PendingReservesWithoutPosting) {
  open_standard_accounts();
  begin();
  ASSERT_EQ(transfers({make_pending(100, kSource, kSink, 250)})[0], R::created);
  EXPECT_EQ(entry(0).amount_applied, 250);
  EXPECT_EQ(entry(0).amount_released, 0);
  end();
  EXPECT_TRUE(balances_are(kSource, balance_of(250, 0, 0, 0)));
  EXPECT_TRUE(balances_are(kSink, balance_of(0, 0, 250, 0)));
  EXPECT_EQ(machine_.pending_count(), 1u);
  EXPECT_EQ(machine_.next_expiry(), std::nullopt);  // no timeout: never expires
}

TEST_F(StateMachineTest, PartialPostMovesThePartAndReleasesTheWhole) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 100)), R::created);
  begin();
  ASSERT_EQ(transfers({make_post(200, 100, 30)})[0], R::created);
  EXPECT_EQ(entry(0).amount, 30);
  EXPECT_EQ(entry(0).amount_applied, 30);
  EXPECT_EQ(entry(0).amount_released, 100);
  end();
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 30, 0, 0)));
  EXPECT_TRUE(balances_are(kSink, balance_of(0, 0, 0, 30)));
  EXPECT_EQ(machine_.pending_count(), 0u);
  // The remaining 70 is not available for a second post.
  EXPECT_EQ(transfer(make_post(201, 100, 70)), R::pending_transfer_already_posted);
}

TEST_F(StateMachineTest, PostOfExactlyThePendingAmount) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 100)), R::created);
  EXPECT_EQ(transfer(make_post(200, 100, 100)), R::created);
  EXPECT_EQ(last_entry().defaulted & defaulted_fields::amount, 0);
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 100, 0, 0)));
}

TEST_F(StateMachineTest, PostWithAmountZeroPostsTheFullAmount) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 100)), R::created);
  begin();
  ASSERT_EQ(transfers({make_post(200, 100, 0)})[0], R::created);
  EXPECT_EQ(entry(0).amount_applied, 100);
  EXPECT_EQ(entry(0).amount_released, 100);
  end();
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 100, 0, 0)));
  EXPECT_TRUE(balances_are(kSink, balance_of(0, 0, 0, 100)));
  EXPECT_EQ(machine_.pending_count(), 0u);
}

TEST_F(StateMachineTest, VoidReleasesWithoutPosting) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_transfer(99, kSource, kSink, 5)), R::created);
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 100)), R::created);
  begin();
  ASSERT_EQ(transfers({make_void(200, 100)})[0], R::created);
  EXPECT_EQ(entry(0).amount_applied, 0);
  EXPECT_EQ(entry(0).amount_released, 100);
  end();
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 5, 0, 0)));
  EXPECT_TRUE(balances_are(kSink, balance_of(0, 0, 0, 5)));
  EXPECT_EQ(machine_.pending_count(), 0u);
}

TEST_F(StateMachineTest, PendingCanBeResolvedOnlyOnce) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 100)), R::created);
  ASSERT_EQ(transfer(make_pending(101, kSource, kSink, 100)), R::created);
  ASSERT_EQ(transfer(make_post(200, 100)), R::created);
  ASSERT_EQ(transfer(make_void(201, 101)), R::created);
  EXPECT_EQ(transfer(make_post(202, 100)), R::pending_transfer_already_posted);
  EXPECT_EQ(transfer(make_void(203, 100)), R::pending_transfer_already_posted);
  EXPECT_EQ(transfer(make_post(204, 101)), R::pending_transfer_already_voided);
  EXPECT_EQ(transfer(make_void(205, 101)), R::pending_transfer_already_voided);
  EXPECT_TRUE(is_transient(R::pending_transfer_already_posted));
  EXPECT_EQ(transfer(make_post(202, 100)), R::id_already_failed);
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 100, 0, 0)));
  // Within one submission too: the second resolution sees the first.
  ASSERT_EQ(transfer(make_pending(102, kSource, kSink, 7)), R::created);
  std::vector<R> both = submit({make_void(206, 102), make_post(207, 102)});
  EXPECT_EQ(both[0], R::created);
  EXPECT_EQ(both[1], R::pending_transfer_already_voided);
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 100, 0, 0)));
}

TEST_F(StateMachineTest, PendingCreatedAndPostedInTheSameSubmission) {
  open_standard_accounts();
  std::vector<R> r = submit({make_pending(100, kSource, kSink, 40), make_post(101, 100, 25)});
  EXPECT_EQ(r, (std::vector<R>{R::created, R::created}));
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 25, 0, 0)));
  EXPECT_EQ(machine_.pending_count(), 0u);
}

// ---------------------------------------------------------------------------------------------
// Defaulted fields: a post or void may leave debit, credit, currency (and for a post, amount) zero.

TEST_F(StateMachineTest, PostLeavingFieldsZeroTakesThemFromThePendingTransfer) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kUsdA, kUsdB, 80, 0, kUsd)), R::created);
  begin();
  Transfer post = make_post(200, 100);
  ASSERT_EQ(transfers({post})[0], R::created);
  const JournalEntry& e = entry(0);
  EXPECT_EQ(e.defaulted, defaulted_fields::debit_account_id | defaulted_fields::credit_account_id |
                             defaulted_fields::currency | defaulted_fields::amount);
  EXPECT_EQ(AccountId(e.debit_account_id), account_id(kUsdA));
  EXPECT_EQ(AccountId(e.credit_account_id), account_id(kUsdB));
  EXPECT_EQ(e.currency, kUsd);
  EXPECT_EQ(e.amount_applied, 80);
  // The journal still says what the client sent.
  EXPECT_EQ(submitted_transfer(e), post);
  end();
  EXPECT_TRUE(balances_are(kUsdA, balance_of(0, 80, 0, 0)));
  // A retry with the same (zero) fields exists; spelling the fields out is a different command.
  EXPECT_EQ(transfer(post), R::exists);
  Transfer spelled = post;
  spelled.debit_account_id = account_id(kUsdA);
  EXPECT_EQ(transfer(spelled), R::exists_with_different_fields);
}

TEST_F(StateMachineTest, PostSpellingFieldsOutHasNoDefaultedBits) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kUsdA, kUsdB, 80, 0, kUsd)), R::created);
  begin();
  Transfer post = make_post(200, 100, 80);
  post.debit_account_id = account_id(kUsdA);
  post.credit_account_id = account_id(kUsdB);
  post.currency = kUsd;
  ASSERT_EQ(transfers({post})[0], R::created);
  EXPECT_EQ(entry(0).defaulted, 0);
  EXPECT_EQ(submitted_transfer(entry(0)), post);
  end();
}

TEST_F(StateMachineTest, PostLeavingSomeFieldsZeroMarksExactlyThose) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kUsdA, kUsdB, 80, 0, kUsd)), R::created);
  begin();
  Transfer post = make_post(200, 100, 50);
  post.credit_account_id = account_id(kUsdB);
  ASSERT_EQ(transfers({post})[0], R::created);
  EXPECT_EQ(entry(0).defaulted, defaulted_fields::debit_account_id | defaulted_fields::currency);
  EXPECT_EQ(submitted_transfer(entry(0)), post);
  end();
}

TEST_F(StateMachineTest, VoidLeavingFieldsZeroMarksThemButNotTheAmount) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kUsdA, kUsdB, 80, 0, kUsd)), R::created);
  begin();
  Transfer void_ = make_void(200, 100);
  ASSERT_EQ(transfers({void_})[0], R::created);
  EXPECT_EQ(entry(0).defaulted, defaulted_fields::debit_account_id |
                                    defaulted_fields::credit_account_id |
                                    defaulted_fields::currency);
  EXPECT_EQ(entry(0).currency, kUsd);
  EXPECT_EQ(submitted_transfer(entry(0)), void_);
  end();
}

TEST_F(StateMachineTest, RejectedPostHasNoDefaultedBits) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kUsdA, kUsdB, 80, 0, kUsd)), R::created);
  begin();
  ASSERT_EQ(transfers({make_post(200, 100, 81)})[0], R::exceeds_pending_transfer_amount);
  EXPECT_EQ(entry(0).defaulted, 0);
  EXPECT_TRUE(entry(0).debit_account_id.is_zero());
  EXPECT_EQ(entry(0).amount_applied, 0);
  EXPECT_EQ(entry(0).amount_released, 0);
  end();
}

// ---------------------------------------------------------------------------------------------
// Expiry.

TEST_F(StateMachineTest, ExpiryHappensAtTheFirstBatchReachingTheDeadline) {
  open_standard_accounts();
  begin();
  const int64_t created_at = now_;
  ASSERT_EQ(transfers({make_pending(100, kSource, kSink, 100, 2)})[0], R::created);
  end();
  const int64_t deadline = created_at + 2 * kSecond;
  EXPECT_EQ(machine_.next_expiry(), deadline);

  begin_at(deadline - 1);
  EXPECT_EQ(out_.size(), 0u);
  end();
  EXPECT_TRUE(balances_are(kSource, balance_of(100, 0, 0, 0)));

  begin_at(deadline);
  ASSERT_EQ(out_.size(), 1u);
  const JournalEntry& e = entry(0);
  EXPECT_EQ(e.type, EntryType::expire_pending);
  EXPECT_EQ(e.timestamp, deadline);
  EXPECT_EQ(TransferId(e.id), transfer_id(100));
  EXPECT_EQ(AccountId(e.debit_account_id), account_id(kSource));
  EXPECT_EQ(AccountId(e.credit_account_id), account_id(kSink));
  EXPECT_EQ(e.amount, 100);
  EXPECT_EQ(e.amount_released, 100);
  EXPECT_EQ(e.amount_applied, 0);
  EXPECT_EQ(e.currency, kCny);
  EXPECT_EQ(e.flags, 0);
  // Commands in the same batch come after the expiry, and see it.
  std::vector<R> r = transfers({make_post(200, 100), make_void(201, 100)});
  EXPECT_EQ(r, (std::vector<R>{R::pending_transfer_expired, R::pending_transfer_expired}));
  EXPECT_EQ(entry(1).timestamp, deadline + 1);
  end();
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 0, 0, 0)));
  EXPECT_TRUE(balances_are(kSink, balance_of(0, 0, 0, 0)));
  EXPECT_EQ(machine_.pending_count(), 0u);
  EXPECT_EQ(machine_.next_expiry(), std::nullopt);
  EXPECT_EQ(transfer(make_post(202, 100)), R::pending_transfer_expired);
  EXPECT_EQ(transfer(make_post(200, 100)), R::id_already_failed);
}

TEST_F(StateMachineTest, ExpiredPendingIsRefusedAtPostTimeBeforeItsExpiryEntry) {
  open_standard_accounts();
  begin();
  const int64_t deadline = now_ + 1 * kSecond;
  ASSERT_EQ(transfers({make_pending(100, kSource, kSink, 100, 1)})[0], R::created);
  end();
  // The batch starts one nanosecond before the deadline; its second event is at the deadline.
  begin_at(deadline - 1);
  std::vector<R> r = transfers({make_transfer(150, kThird, kSink, 1), make_post(200, 100)});
  EXPECT_EQ(out_.size(), 2u);  // no expiry entry yet
  EXPECT_EQ(entry(1).timestamp, deadline);
  EXPECT_EQ(r[0], R::created);
  EXPECT_EQ(r[1], R::pending_transfer_expired);
  end();
  // The reservation stands until the next batch releases it.
  EXPECT_TRUE(balances_are(kSource, balance_of(100, 0, 0, 0)));
  EXPECT_EQ(machine_.pending_count(), 1u);
  begin();
  ASSERT_EQ(out_.size(), 1u);
  EXPECT_EQ(entry(0).type, EntryType::expire_pending);
  EXPECT_EQ(entry(0).amount_released, 100);
  end();
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 0, 0, 0)));
}

TEST_F(StateMachineTest, PostJustBeforeTheDeadlineSucceeds) {
  open_standard_accounts();
  begin();
  const int64_t deadline = now_ + 1 * kSecond;
  ASSERT_EQ(transfers({make_pending(100, kSource, kSink, 100, 1)})[0], R::created);
  end();
  begin_at(deadline - 1);
  EXPECT_EQ(transfers({make_post(200, 100)})[0], R::created);
  end();
  begin_at(deadline + 10 * kSecond);
  EXPECT_EQ(out_.size(), 0u);  // resolved: nothing left to expire
  end();
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 100, 0, 0)));
}

TEST_F(StateMachineTest, ExpiriesComeInDeadlineOrderWithConsecutiveTimestamps) {
  open_standard_accounts();
  begin();
  const int64_t t0 = now_;
  ASSERT_EQ(
      transfers({make_pending(100, kSource, kSink, 1, 3), make_pending(101, kSource, kSink, 2, 1),
                 make_pending(102, kSource, kSink, 4, 2), make_pending(103, kSource, kSink, 8, 0)}),
      std::vector<R>(4, R::created));
  end();
  begin_at(t0 + 10 * kSecond);
  ASSERT_EQ(out_.size(), 3u);
  EXPECT_EQ(entry(0).id, raw_id(101));
  EXPECT_EQ(entry(1).id, raw_id(102));
  EXPECT_EQ(entry(2).id, raw_id(100));
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(entry(i).timestamp, now_ + static_cast<int64_t>(i));
  ASSERT_EQ(transfers({make_transfer(104, kThird, kSink, 1)})[0], R::created);
  EXPECT_EQ(entry(3).timestamp, now_ + 3);
  end();
  EXPECT_TRUE(balances_are(kSource, balance_of(8, 0, 0, 0)));  // the one without a timeout
  EXPECT_EQ(machine_.pending_count(), 1u);
}

TEST_F(StateMachineTest, AtMostABatchWorthOfExpiriesPerBatchTheRestInTheNext) {
  open_standard_accounts();
  const size_t pending_total = kExpiriesPerBatchMax + 10;
  begin();
  const int64_t created_at = now_;
  for (size_t done = 0; done < pending_total; done += 4000) {
    std::vector<Transfer> holds;
    for (size_t i = done; i < std::min(pending_total, done + 4000); ++i) {
      holds.push_back(make_pending(1000 + i, kSource, kSink, 1, 1));
    }
    for (R r : transfers(holds)) ASSERT_EQ(r, R::created);
  }
  end();
  begin_at(created_at + 2 * kSecond);
  EXPECT_EQ(out_.size(), kExpiriesPerBatchMax);
  end();
  EXPECT_EQ(machine_.pending_count(), 10u);
  // The rest are still due (the writer cuts another batch for them) and expire in the next one.
  ASSERT_TRUE(machine_.next_expiry().has_value());
  EXPECT_LE(*machine_.next_expiry(), created_at + 2 * kSecond);
  begin();
  EXPECT_EQ(out_.size(), 10u);
  end();
  EXPECT_EQ(machine_.pending_count(), 0u);
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 0, 0, 0)));
}

TEST_F(StateMachineTest, PendingWithoutTimeoutNeverExpires) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_pending(100, kSource, kSink, 100)), R::created);
  begin(10LL * 365 * 24 * 3600 * kSecond);
  EXPECT_EQ(out_.size(), 0u);
  EXPECT_EQ(transfers({make_post(200, 100)})[0], R::created);
  end();
}

// ---------------------------------------------------------------------------------------------
// Linked chains.

TEST_F(StateMachineTest, LinkedChainSucceedsAsAUnit) {
  open_standard_accounts();
  std::vector<R> r = submit({linked(make_transfer(100, kSource, kWallet, 50)),
                             linked(make_pending(101, kWallet, kSink, 30)),
                             make_transfer(102, kWallet, kThird, 20)});
  EXPECT_EQ(r, std::vector<R>(3, R::created));
  EXPECT_TRUE(balances_are(kWallet, balance_of(30, 20, 0, 50)));
  EXPECT_EQ(machine_.pending_count(), 1u);
}

TEST_F(StateMachineTest, FailureInTheMiddleOfAChainRollsEverythingBack) {
  open_standard_accounts();
  ASSERT_EQ(transfer(make_transfer(90, kSource, kWallet, 100)), R::created);
  ASSERT_EQ(transfer(make_pending(91, kSource, kSink, 10, 1)), R::created);
  const LedgerImage before = machine_.image();

  begin();
  std::vector<R> r = transfers({
      linked(make_pending(100, kSource, kSink, 40, 1)),  // a pending transfer, then...
      linked(make_transfer(101, kWallet, kThird, 60)),   // ...a move that fits...
      linked(make_post(102, 91)),                        // ...a post of an older pending...
      linked(make_transfer(103, kWallet, kThird, 41)),   // ...and one that no longer fits
      make_transfer(104, kSource, kThird, 1),
  });
  EXPECT_EQ(r,
            (std::vector<R>{R::linked_event_failed, R::linked_event_failed, R::linked_event_failed,
                            R::exceeds_credits, R::linked_event_failed}));
  // Rolled-back entries carry no effect.
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(entry(i).amount_applied, 0);
    EXPECT_EQ(entry(i).amount_released, 0);
    EXPECT_EQ(entry(i).defaulted, 0);
  }
  end();
  LedgerImage after = machine_.image();
  after.seq = before.seq;
  after.last_timestamp = before.last_timestamp;
  EXPECT_TRUE(images_equal(before, after));

  // The pending transfer made inside the chain does not exist; the older one is still pending.
  EXPECT_EQ(transfer(make_post(200, 100)), R::pending_transfer_not_found);
  EXPECT_EQ(transfer(make_post(201, 91)), R::created);
  // The events that only failed with the chain may be sent again; the failing one is remembered.
  EXPECT_EQ(transfer(make_pending(100, kSource, kSink, 40)), R::created);
  EXPECT_EQ(transfer(make_transfer(101, kWallet, kThird, 60)), R::created);
  EXPECT_EQ(transfer(make_transfer(103, kWallet, kThird, 1)), R::id_already_failed);
  EXPECT_EQ(transfer(make_post(102, 91)), R::pending_transfer_already_posted);
  EXPECT_TRUE(balances_are(kWallet, balance_of(0, 60, 0, 100)));
  // The chain's pending transfer with a timeout left nothing behind to expire.
  begin(5 * kSecond);
  EXPECT_EQ(out_.size(), 0u);
  end();
  EXPECT_EQ(machine_.pending_count(), 1u);
}

TEST_F(StateMachineTest, ChainFailingOnAFieldErrorRemembersNothing) {
  open_standard_accounts();
  std::vector<R> r = submit({linked(make_transfer(100, kSource, kSink, 10)),
                             linked(make_transfer(101, kSource, kSink, 0)),
                             make_transfer(102, kSource, kSink, 10)});
  EXPECT_EQ(r, (std::vector<R>{R::linked_event_failed, R::amount_must_not_be_zero,
                               R::linked_event_failed}));
  EXPECT_EQ(submit({linked(make_transfer(100, kSource, kSink, 10)),
                    linked(make_transfer(101, kSource, kSink, 10)),
                    make_transfer(102, kSource, kSink, 10)}),
            std::vector<R>(3, R::created));
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 30, 0, 0)));
}

TEST_F(StateMachineTest, ChainFailureDoesNotAffectNeighbours) {
  open_standard_accounts();
  std::vector<R> r =
      submit({make_transfer(100, kSource, kSink, 1), linked(make_transfer(101, kSource, kSink, 2)),
              make_transfer(102, kMissing, kSink, 4), make_transfer(103, kSource, kSink, 8)});
  EXPECT_EQ(r, (std::vector<R>{R::created, R::linked_event_failed, R::debit_account_not_found,
                               R::created}));
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 9, 0, 0)));
}

TEST_F(StateMachineTest, ChainLeftOpenAtTheEndOfASubmissionFails) {
  open_standard_accounts();
  std::vector<R> r =
      submit({make_transfer(100, kSource, kSink, 1), linked(make_transfer(101, kSource, kSink, 2)),
              linked(make_transfer(102, kSource, kSink, 4))});
  EXPECT_EQ(r, (std::vector<R>{R::created, R::linked_event_failed, R::linked_event_chain_open}));
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 1, 0, 0)));
  EXPECT_FALSE(is_transient(R::linked_event_chain_open));
  // Nothing is remembered: the same ids go through once the chain is closed.
  EXPECT_EQ(submit({linked(make_transfer(101, kSource, kSink, 2)),
                    make_transfer(102, kSource, kSink, 4)}),
            std::vector<R>(2, R::created));
}

TEST_F(StateMachineTest, SingleLinkedEventAtTheEndIsAnOpenChain) {
  open_standard_accounts();
  EXPECT_EQ(transfer(linked(make_transfer(100, kSource, kSink, 1))), R::linked_event_chain_open);
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 0, 0, 0)));
}

TEST_F(StateMachineTest, OpenChainReportsChainOpenOnItsLastEventEvenAfterAnEarlierFailure) {
  open_standard_accounts();
  std::vector<R> r = submit({linked(make_transfer(100, kSource, kSink, 1)),
                             linked(make_transfer(101, kMissing, kSink, 2)),
                             linked(make_transfer(102, kSource, kSink, 4)),
                             linked(make_transfer(103, kSource, kSink, 8))});
  EXPECT_EQ(r, (std::vector<R>{R::linked_event_failed, R::debit_account_not_found,
                               R::linked_event_failed, R::linked_event_chain_open}));
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 0, 0, 0)));
  EXPECT_EQ(transfer(make_transfer(101, kSource, kSink, 2)), R::id_already_failed);
}

TEST_F(StateMachineTest, ChainRetriedWholeReportsExistsAndMovesNothingMore) {
  open_standard_accounts();
  std::vector<Transfer> chain = {linked(make_transfer(100, kSource, kSink, 1)),
                                 make_pending(101, kSource, kSink, 2)};
  ASSERT_EQ(submit(chain), std::vector<R>(2, R::created));
  EXPECT_EQ(submit(chain), std::vector<R>(2, R::exists));
  EXPECT_TRUE(balances_are(kSource, balance_of(2, 1, 0, 0)));
}

// ---------------------------------------------------------------------------------------------
// Idempotency.

TEST_F(StateMachineTest, SameIdAndFieldsExistsWithoutMovingMoney) {
  open_standard_accounts();
  Transfer t = make_transfer(100, kSource, kSink, 10);
  t.user_data = 42;
  t.code = 3;
  ASSERT_EQ(transfer(t), R::created);
  begin();
  EXPECT_EQ(transfers({t})[0], R::exists);
  EXPECT_EQ(entry(0).amount_applied, 0);
  end();
  Transfer p = make_pending(101, kSource, kSink, 10, 60);
  ASSERT_EQ(transfer(p), R::created);
  EXPECT_EQ(transfer(p), R::exists);
  EXPECT_TRUE(balances_are(kSource, balance_of(10, 10, 0, 0)));
  EXPECT_EQ(machine_.pending_count(), 1u);
}

TEST_F(StateMachineTest, SameIdWithAnyFieldDifferentIsRejected) {
  open_standard_accounts();
  Transfer original = make_pending(100, kSource, kSink, 10, 60);
  ASSERT_EQ(transfer(original), R::created);
  std::vector<Transfer> variants(10, original);
  variants[0].debit_account_id = account_id(kThird);
  variants[1].credit_account_id = account_id(kThird);
  variants[2].amount = 11;
  variants[3].user_data = 1;
  variants[4].timeout_s = 61;
  variants[5].currency = kUsd;
  variants[6].code = 1;
  variants[7].flags = 0;
  variants[8].flags |= transfer_flags::linked;  // closes no chain: alone it is an open chain
  variants[9].pending_id = transfer_id(5);
  for (size_t i = 0; i < variants.size(); ++i) {
    SCOPED_TRACE(i);
    R expected = i == 8 ? R::linked_event_chain_open : R::exists_with_different_fields;
    EXPECT_EQ(transfer(variants[i]), expected);
  }
  Transfer linked_variant = variants[8];
  EXPECT_EQ(submit({linked_variant, make_transfer(101, kSource, kSink, 1)}),
            (std::vector<R>{R::exists_with_different_fields, R::linked_event_failed}));
  EXPECT_TRUE(balances_are(kSource, balance_of(10, 0, 0, 0)));
  EXPECT_EQ(transfer(original), R::exists);
}

TEST_F(StateMachineTest, SameIdTwiceInOneSubmission) {
  open_standard_accounts();
  Transfer t = make_transfer(100, kSource, kSink, 10);
  Transfer different = t;
  different.amount = 11;
  EXPECT_EQ(submit({t, t, different}),
            (std::vector<R>{R::created, R::exists, R::exists_with_different_fields}));
  EXPECT_EQ(submit({make_transfer(101, kMissing, kSink, 1), make_transfer(101, kSource, kSink, 1)}),
            (std::vector<R>{R::debit_account_not_found, R::id_already_failed}));
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 10, 0, 0)));
}

TEST_F(StateMachineTest, AccountsAndTransfersHaveSeparateIdSpaces) {
  open_standard_accounts();
  EXPECT_EQ(transfer(make_transfer(kSource, kSource, kSink, 1)), R::created);
}

// ---------------------------------------------------------------------------------------------
// Time, submission marks, the journal.

TEST_F(StateMachineTest, TimestampsStrictlyIncreaseAndTheFirstEventGetsTheBatchTimestamp) {
  open_standard_accounts();
  EXPECT_EQ(machine_.find_account(account_id(kSource))->timestamp, kStart);
  EXPECT_EQ(machine_.find_account(account_id(kThird))->timestamp, kStart + 6);
  EXPECT_EQ(machine_.last_timestamp(), kStart + 6);

  // The next batch may start right after the last event handed out.
  begin_at(kStart + 7);
  accounts({make_account(20), make_account(21)});
  transfers({make_transfer(100, kSource, kSink, 1), make_transfer(101, kMissing, kSink, 1),
             linked(make_transfer(102, kSource, kSink, 1))});
  ASSERT_EQ(out_.size(), 5u);
  for (size_t i = 0; i < out_.size(); ++i) {
    EXPECT_EQ(entry(i).timestamp, kStart + 7 + static_cast<int64_t>(i)) << i;
  }
  end();
  EXPECT_EQ(machine_.last_timestamp(), kStart + 11);
  EXPECT_EQ(machine_.last_seq(), seq_);
}

TEST_F(StateMachineTest, EmptyBatchHandsOutNoTimestamp) {
  open_standard_accounts();
  begin_at(kStart + 100);
  end();
  begin_at(kStart + 101);
  transfers({make_transfer(100, kSource, kSink, 1)});
  EXPECT_EQ(entry(0).timestamp, kStart + 101);
  end();
}

TEST_F(StateMachineTest, LastEventOfEverySubmissionIsMarked) {
  open_standard_accounts();
  begin();
  accounts({make_account(20), make_account(21), make_account(0)});
  transfers({make_transfer(100, kSource, kSink, 1)});
  transfers(
      {linked(make_transfer(101, kSource, kSink, 1)), make_transfer(102, kMissing, kSink, 1)});
  transfers({make_transfer(103, kSource, kSink, 1), linked(make_transfer(104, kSource, kSink, 1))});
  accounts({make_account(22)});
  std::vector<uint8_t> marks;
  for (const JournalEntry& e : out_.entries()) marks.push_back(e.submission_end);
  EXPECT_EQ(marks, (std::vector<uint8_t>{0, 0, 1, 1, 0, 1, 0, 1, 1}));
  end();
}

TEST_F(StateMachineTest, EntriesCarryTheSubmittedFields) {
  open_standard_accounts();
  begin();
  Transfer t = make_pending(100, kSource, kSink, 10, 30);
  t.user_data = 0xABCDEF;
  t.code = 12;
  transfers({t});
  EXPECT_EQ(entry(0).type, EntryType::create_transfer);
  EXPECT_EQ(submitted_transfer(entry(0)), t);
  Account a = make_account(30, kJpy, account_flags::credits_must_not_exceed_debits,
                           AccountKind::settlement);
  a.user_data = 9;
  a.code = 4;
  accounts({a});
  Account back = submitted_account(entry(1));
  EXPECT_EQ(back.id, a.id);
  EXPECT_EQ(back.user_data, a.user_data);
  EXPECT_EQ(back.currency, a.currency);
  EXPECT_EQ(back.kind, a.kind);
  EXPECT_EQ(back.flags, a.flags);
  EXPECT_EQ(back.code, a.code);
  end();
}

TEST_F(StateMachineTest, ZeroSumHoldsPerCurrencyAndReplayReproducesTheJournal) {
  open_standard_accounts();
  submit({make_transfer(100, kSource, kWallet, 500), make_pending(101, kWallet, kThird, 200, 1),
          make_transfer(102, kUsdA, kUsdB, 70, kUsd), make_pending(103, kUsdB, kUsdA, 30, 0, kUsd),
          make_transfer(104, kClearing, kSink, 90)});
  submit({make_post(105, 103, 10), linked(make_transfer(106, kSource, kSink, 5)),
          make_transfer(107, kWallet, kSink, 1000)});
  begin(2 * kSecond);  // expires 101
  EXPECT_EQ(out_.size(), 1u);
  end();
  // end() checked the zero sum after every batch; check the per-currency totals directly too.
  int64_t cny = 0, usd = 0;
  for (const AccountState& a : machine_.image().accounts) {
    int64_t net = a.balances.credits_posted - a.balances.debits_posted;
    (a.account.currency == kCny ? cny : usd) += net;
    EXPECT_EQ(a.balances.debits_pending, 0);
    EXPECT_EQ(a.balances.credits_pending, 0);
  }
  EXPECT_EQ(cny, 0);
  EXPECT_EQ(usd, 0);
  EXPECT_TRUE(balances_are(kUsdB, balance_of(0, 10, 0, 70)));
  expect_replay_reproduces();
}

TEST_F(StateMachineTest, MachineRestoredFromASnapshotCarriesOnIdentically) {
  open_standard_accounts();
  submit({make_transfer(100, kSource, kWallet, 500), make_pending(101, kWallet, kSink, 200, 3),
          make_pending(102, kSource, kSink, 7)});
  Result<LedgerImage> image = decode_snapshot(encode_snapshot(machine_.image()));
  ASSERT_TRUE(image.ok());
  StateMachine restored(StateMachineOptions{1u << 20, 1u << 16}, nullptr);
  restored.restore(*image);
  EXPECT_TRUE(images_equal(restored.image(), machine_.image()));
  EXPECT_EQ(restored.next_expiry(), machine_.next_expiry());

  // The same batch on both: the expiry and the post come out byte for byte the same.
  begin(4 * kSecond);
  transfers({make_post(103, 102), make_transfer(104, kWallet, kSink, 301)});
  ASSERT_EQ(out_.size(), 3u);
  EXPECT_EQ(entry(0).type, EntryType::expire_pending);
  JournalBatchBuffer other;
  ASSERT_TRUE(restored.begin_batch(seq_, now_, 0, &other).ok());
  ASSERT_TRUE(restored
                  .create_transfers(std::vector<Transfer>{make_post(103, 102),
                                                          make_transfer(104, kWallet, kSink, 301)},
                                    &other)
                  .ok());
  ASSERT_EQ(other.size(), out_.size());
  for (size_t i = 0; i < out_.size(); ++i) {
    EXPECT_EQ(std::memcmp(&other.entry(i), &entry(i), sizeof(JournalEntry)), 0) << i;
  }
  end();
  EXPECT_TRUE(images_equal(restored.image(), machine_.image()));
}

// ---------------------------------------------------------------------------------------------
// Ids beyond the in-memory window: answered through the archive.

class ArchiveWindowTest : public StateMachineTest {
 protected:
  // A window of four ids and a filter sized for few, so the archive path is the common one.
  ArchiveWindowTest() : StateMachineTest(StateMachineOptions{4, 16}, true) {}

  // Pushes enough unrelated transfers through separate batches that older ids leave the window.
  void flood(uint64_t first_id, int count) {
    for (int i = 0; i < count; ++i) {
      ASSERT_EQ(transfer(make_transfer(first_id + static_cast<uint64_t>(i), kThird, kSink, 1)),
                R::created);
    }
    begin();  // evicts up to the previous batch
    end();
    EXPECT_LE(machine_.window_size(), 4u);
  }
};

TEST_F(ArchiveWindowTest, IdempotencyAndResolutionsSurviveLeavingTheWindow) {
  open_standard_accounts();
  Transfer single = make_transfer(100, kSource, kSink, 10);
  Transfer failed = make_transfer(101, kMissing, kSink, 10);
  Transfer posted = make_pending(102, kSource, kSink, 20);
  Transfer voided = make_pending(103, kSource, kSink, 30);
  Transfer expiring = make_pending(104, kSource, kSink, 40, 1);
  Transfer open = make_pending(105, kSource, kSink, 50);
  Transfer post = make_post(110, 102);  // all fields defaulted
  Transfer void_ = make_void(111, 103);
  ASSERT_EQ(submit({single, failed, posted, voided, expiring, open}),
            (std::vector<R>{R::created, R::debit_account_not_found, R::created, R::created,
                            R::created, R::created}));
  ASSERT_EQ(submit({post, void_}), std::vector<R>(2, R::created));
  begin(2 * kSecond);
  ASSERT_EQ(out_.size(), 1u);  // 104 expires
  end();
  flood(1000, 12);
  const uint64_t lookups_before = archive_.lookups();

  EXPECT_EQ(transfer(single), R::exists);
  Transfer changed = single;
  changed.amount = 11;
  EXPECT_EQ(transfer(changed), R::exists_with_different_fields);
  EXPECT_EQ(transfer(failed), R::id_already_failed);
  EXPECT_EQ(transfer(make_transfer(101, kSource, kSink, 10)), R::id_already_failed);
  EXPECT_EQ(transfer(post), R::exists);  // rebuilt from the journal's defaulted bits
  EXPECT_EQ(transfer(void_), R::exists);
  EXPECT_EQ(transfer(make_post(120, 102)), R::pending_transfer_already_posted);
  EXPECT_EQ(transfer(make_post(121, 103)), R::pending_transfer_already_voided);
  EXPECT_EQ(transfer(make_post(122, 104)), R::pending_transfer_expired);
  EXPECT_EQ(transfer(make_post(123, 100)), R::pending_transfer_not_pending);
  EXPECT_EQ(transfer(make_post(124, 101)), R::pending_transfer_not_found);
  EXPECT_EQ(transfer(make_post(125, 777)), R::pending_transfer_not_found);
  EXPECT_GT(archive_.lookups(), lookups_before);
  // A pending transfer whose id left the window is still pending and can be posted once.
  EXPECT_EQ(transfer(make_post(126, 105, 5)), R::created);
  flood(2000, 12);
  EXPECT_EQ(transfer(make_void(127, 105)), R::pending_transfer_already_posted);
  EXPECT_EQ(transfer(make_post(126, 105, 5)), R::exists);
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 35, 0, 0)));
  // Failures recorded through the archive path are themselves remembered.
  flood(3000, 12);
  EXPECT_EQ(transfer(make_post(120, 102)), R::id_already_failed);
  EXPECT_EQ(transfer(make_post(124, 101)), R::id_already_failed);
  expect_replay_reproduces();
}

TEST_F(ArchiveWindowTest, IdsTheArchiveDoesNotHoldYetStayInMemory) {
  open_standard_accounts();
  archive_behind_ = true;  // nothing from here on reaches the archive: nothing may be evicted
  Transfer single = make_transfer(100, kSource, kSink, 10);
  Transfer failed = make_transfer(101, kMissing, kSink, 10);
  ASSERT_EQ(submit({single, failed, make_pending(102, kSource, kSink, 5)}),
            (std::vector<R>{R::created, R::debit_account_not_found, R::created}));
  ASSERT_EQ(transfer(make_void(103, 102)), R::created);
  for (uint64_t id = 1000; id < 1012; ++id) {
    ASSERT_EQ(transfer(make_transfer(id, kThird, kSink, 1)), R::created);
  }
  EXPECT_GT(machine_.window_size(), 4u);
  EXPECT_EQ(transfer(single), R::exists);
  EXPECT_EQ(transfer(failed), R::id_already_failed);
  EXPECT_EQ(transfer(make_post(104, 102)), R::pending_transfer_already_voided);
  EXPECT_EQ(archive_.lookups(), 0u);
}

TEST_F(ArchiveWindowTest, NewIdsAreCreatedEvenWhenTheFilterIsFull) {
  open_standard_accounts();
  flood(1000, 40);  // far past the filter's capacity of 16: false positives reach the archive
  for (uint64_t id = 5000; id < 5040; ++id) {
    ASSERT_EQ(transfer(make_transfer(id, kSource, kSink, 1)), R::created);
  }
  EXPECT_TRUE(balances_are(kSource, balance_of(0, 40, 0, 0)));
}

TEST_F(ArchiveWindowTest, ArchiveFailureStopsTheBatchInsteadOfGuessing) {
  open_standard_accounts();
  Transfer single = make_transfer(100, kSource, kSink, 10);
  ASSERT_EQ(transfer(single), R::created);
  flood(1000, 8);
  archive_.set_failing(true);
  begin();
  Status status = machine_.create_transfers(std::vector<Transfer>{single}, &out_);
  EXPECT_FALSE(status.ok());
  if (!status.ok()) {
    EXPECT_EQ(status.error().code, "storage_failed");
  }
  open_ = false;  // fail-stop: this batch is abandoned, as the writer would crash
}


// ---------------------------------------------------------------------------------------------
// Application events

AppEvent make_app_event(uint64_t id, uint16_t status) {
  AppEvent e;
  e.id = Id128{5, id};
  e.subject_id = Id128{6, id};
  e.amount = 100;
  e.kind = 1;
  e.status = status;
  e.currency = kCny;
  return e;
}

TEST_F(StateMachineTest, AppEventsFollowTheirTransfersEndTheSubmissionAndReplayExactly) {
  open_standard_accounts();
  begin();
  size_t first = out_.size();
  transfers({make_transfer(1, kSource, kThird, 100, kCny, transfer_flags::linked),
             make_transfer(2, kThird, kSink, 1)});
  machine_.record_app_events(std::vector<AppEvent>{make_app_event(1, 5), make_app_event(2, 6)},
                             first, &out_);
  ASSERT_EQ(out_.size(), first + 4);
  EXPECT_EQ(entry(first + 1).submission_end, 0);  // the events end the submission, not the transfer
  EXPECT_EQ(entry(first + 2).type, EntryType::app_event);
  EXPECT_EQ(entry(first + 2).result, 0);
  EXPECT_EQ(entry(first + 2).flags, 5);
  EXPECT_EQ(entry(first + 2).debit_account_id, (Id128{6, 1}));
  EXPECT_EQ(entry(first + 2).submission_end, 0);
  EXPECT_EQ(entry(first + 3).submission_end, 1);
  EXPECT_GT(entry(first + 3).timestamp, entry(first + 2).timestamp);

  // A second submission in the same batch whose transfer fails: its event is not applied.
  size_t second = out_.size();
  EXPECT_EQ(transfers({make_transfer(3, kWallet, kSink, 1)})[0], R::exceeds_credits);
  machine_.record_app_events(std::vector<AppEvent>{make_app_event(3, 5)}, second, &out_);
  EXPECT_EQ(last_entry().result, static_cast<uint16_t>(AppEventResult::transfers_not_created));

  // Events alone.
  size_t third = out_.size();
  machine_.record_app_events(std::vector<AppEvent>{make_app_event(4, 2)}, third, &out_);
  EXPECT_EQ(last_entry().result, 0);
  EXPECT_EQ(last_entry().submission_end, 1);
  end();
  EXPECT_TRUE(balances_are(kThird, balance_of(0, 1, 0, 100)));
  expect_replay_reproduces();
}

TEST_F(StateMachineTest, ReplayRefusesATransferAfterAnEventInOneSubmission) {
  open_standard_accounts();
  begin();
  size_t first = out_.size();
  transfers({make_transfer(1, kSource, kSink, 100)});
  machine_.record_app_events(std::vector<AppEvent>{make_app_event(1, 5)}, first, &out_);
  end();
  // Rewrite the record: event first, then the transfer, as one submission.
  std::vector<std::byte>& record = journal_.back();
  Result<DecodedBatch> batch = decode_batch(record);
  ASSERT_TRUE(batch.ok());
  std::swap(batch->entries[0], batch->entries[1]);
  batch->entries[0].submission_end = 0;
  batch->entries[1].submission_end = 1;
  StateMachine fresh(StateMachineOptions{1u << 20, 1u << 16}, nullptr);
  JournalBatchBuffer scratch;
  Result<DecodedBatch> accounts_batch = decode_batch(journal_.front());
  ASSERT_TRUE(accounts_batch.ok());
  ASSERT_TRUE(replay_batch(fresh, *accounts_batch, 0, &scratch).ok());
  Status replayed = replay_batch(fresh, *batch, 0, &scratch);
  ASSERT_FALSE(replayed.ok());
  EXPECT_EQ(replayed.error().code, "journal_replay_diverged");
}

}  // namespace
}  // namespace mpay::ledger
