// SqliteWalletRepository: every method, every field round-trips, uniqueness rules, persistence
// across reopening, concurrent writers, the audit hash chain (and its detection of tampering),
// and rate counter windows.
#include "store/sqlite/sqlite_wallet_repository.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "support/temp_directory.h"

namespace mpay::store::sqlite {
namespace {

using wallet::AuditEntry;
using wallet::BankAccountRecord;
using wallet::BankOrderKind;
using wallet::BankOrderRecord;
using wallet::BankOrderStatus;
using wallet::Digest;
using wallet::KycLevel;
using wallet::OtpChallenge;
using wallet::SessionRecord;
using wallet::TransferNote;
using wallet::UserId;
using wallet::UserRecord;
using wallet::UserStatus;

constexpr int64_t kStartNs = 1'760'000'000'000'000'000;

Digest digest_of(uint8_t seed) {
  Digest digest{};
  for (size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<uint8_t>(seed * 31 + i);
  return digest;
}

Id128 id_of(uint64_t n) { return Id128{0x0190f4c27a3e7c41ULL, n}; }

// Binary on purpose: sealed fields hold arbitrary bytes, including zeros.
std::string sealed(const std::string& text) { return std::string("\x00\x01\xff", 3) + text; }

UserRecord make_user(uint64_t n) {
  UserRecord user;
  user.id = UserId(id_of(n));
  user.phone_digest = digest_of(static_cast<uint8_t>(n));
  user.phone_key_id = 7;
  user.phone_sealed = sealed("+8613800138000-" + std::to_string(n));
  user.wallet_account_id = AccountId(id_of(1'000'000 + n));
  user.currency = 156;
  user.kyc_level = KycLevel::identity_checked;
  user.status = UserStatus::frozen;
  user.full_name_sealed = sealed("name");
  user.document_type = "mainland_id_card";
  user.document_sealed = sealed("110101199003074514");
  user.document_masked = "1101**********4514";
  user.birth_date = "1990-03-07";
  user.pin_key_id = 3;
  user.pin_digest = digest_of(static_cast<uint8_t>(n + 100));
  user.pin_failures = 2;
  user.pin_locked_until_ns = kStartNs + 5;
  user.created_at_ns = kStartNs + 1;
  return user;
}

void expect_same(const UserRecord& a, const UserRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.phone_digest, b.phone_digest);
  EXPECT_EQ(a.phone_key_id, b.phone_key_id);
  EXPECT_EQ(a.phone_sealed, b.phone_sealed);
  EXPECT_EQ(a.wallet_account_id, b.wallet_account_id);
  EXPECT_EQ(a.currency, b.currency);
  EXPECT_EQ(a.kyc_level, b.kyc_level);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.full_name_sealed, b.full_name_sealed);
  EXPECT_EQ(a.document_type, b.document_type);
  EXPECT_EQ(a.document_sealed, b.document_sealed);
  EXPECT_EQ(a.document_masked, b.document_masked);
  EXPECT_EQ(a.birth_date, b.birth_date);
  EXPECT_EQ(a.pin_key_id, b.pin_key_id);
  EXPECT_EQ(a.pin_digest, b.pin_digest);
  EXPECT_EQ(a.pin_failures, b.pin_failures);
  EXPECT_EQ(a.pin_locked_until_ns, b.pin_locked_until_ns);
  EXPECT_EQ(a.created_at_ns, b.created_at_ns);
}

std::string code_of(const Status& status) { return status.ok() ? "ok" : status.error().code; }

class SqliteWalletRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen() {
    repository_.reset();
    auto opened = SqliteWalletRepository::open(directory_.path(), clock_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    repository_ = std::move(*opened);
  }

  SqliteWalletRepository& repo() { return *repository_; }

  // A second, raw connection for the tampering tests (what an attacker with file access could do).
  std::unique_ptr<SqliteDatabase> raw() {
    auto db = SqliteDatabase::open(directory_.path() + "/mpay.db", OpenOptions{});
    EXPECT_TRUE(db.ok());
    return std::move(*db);
  }

  testing::TempDirectory directory_;
  ManualClock clock_{kStartNs};
  std::unique_ptr<SqliteWalletRepository> repository_;
};

TEST_F(SqliteWalletRepositoryTest, UserRoundTripsEveryFieldByEveryKey) {
  UserRecord user = make_user(1);
  ASSERT_TRUE(repo().insert_user(user).ok());

  auto by_id = repo().find_user(user.id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  expect_same(**by_id, user);
  auto by_phone = repo().find_user_by_phone(user.phone_digest);
  ASSERT_TRUE(by_phone.ok() && by_phone->has_value());
  expect_same(**by_phone, user);
  auto by_wallet = repo().find_user_by_wallet(user.wallet_account_id);
  ASSERT_TRUE(by_wallet.ok() && by_wallet->has_value());
  expect_same(**by_wallet, user);

  // Not found is an empty optional, never an error.
  auto missing = repo().find_user(UserId(id_of(99)));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto missing_phone = repo().find_user_by_phone(digest_of(99));
  ASSERT_TRUE(missing_phone.ok());
  EXPECT_FALSE(missing_phone->has_value());
  auto missing_wallet = repo().find_user_by_wallet(AccountId(id_of(99)));
  ASSERT_TRUE(missing_wallet.ok());
  EXPECT_FALSE(missing_wallet->has_value());
}

TEST_F(SqliteWalletRepositoryTest, FreshUserWithEmptyFieldsRoundTrips) {
  UserRecord user;  // defaults: empty strings, zero digests, phone_verified, active
  user.id = UserId(id_of(5));
  user.phone_digest = digest_of(5);
  user.wallet_account_id = AccountId(id_of(6));
  ASSERT_TRUE(repo().insert_user(user).ok());
  auto found = repo().find_user(user.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  expect_same(**found, user);
}

TEST_F(SqliteWalletRepositoryTest, InsertUserRejectsTakenPhoneIdOrWallet) {
  UserRecord user = make_user(1);
  ASSERT_TRUE(repo().insert_user(user).ok());

  UserRecord same_phone = make_user(2);
  same_phone.phone_digest = user.phone_digest;
  Status status = repo().insert_user(same_phone);
  ASSERT_EQ(code_of(status), "already_exists");
  EXPECT_EQ(status.error().field, "phone");

  UserRecord same_id = make_user(3);
  same_id.id = user.id;
  status = repo().insert_user(same_id);
  ASSERT_EQ(code_of(status), "already_exists");
  EXPECT_EQ(status.error().field, "id");

  UserRecord same_wallet = make_user(4);
  same_wallet.wallet_account_id = user.wallet_account_id;
  status = repo().insert_user(same_wallet);
  ASSERT_EQ(code_of(status), "already_exists");
  EXPECT_EQ(status.error().field, "wallet_account_id");

  // The failed inserts left nothing behind.
  EXPECT_FALSE(repo().find_user(UserId(id_of(2)))->has_value());
  EXPECT_FALSE(repo().find_user_by_phone(digest_of(3))->has_value());
  expect_same(**repo().find_user(user.id), user);
}

TEST_F(SqliteWalletRepositoryTest, UserUpdatesChangeOnlyTheirFields) {
  UserRecord user = make_user(1);
  ASSERT_TRUE(repo().insert_user(user).ok());

  ASSERT_TRUE(repo().update_pin(user.id, 9, digest_of(200)).ok());
  user.pin_key_id = 9;
  user.pin_digest = digest_of(200);
  expect_same(**repo().find_user(user.id), user);

  ASSERT_TRUE(repo().update_pin_failures(user.id, 5, kStartNs + 900).ok());
  user.pin_failures = 5;
  user.pin_locked_until_ns = kStartNs + 900;
  expect_same(**repo().find_user(user.id), user);
  ASSERT_TRUE(repo().update_pin_failures(user.id, 0, 0).ok());
  user.pin_failures = 0;
  user.pin_locked_until_ns = 0;
  expect_same(**repo().find_user(user.id), user);

  ASSERT_TRUE(repo().update_status(user.id, UserStatus::active).ok());
  user.status = UserStatus::active;
  expect_same(**repo().find_user(user.id), user);

  UserRecord kyc = user;
  kyc.kyc_level = KycLevel::bank_linked;
  kyc.full_name_sealed = sealed("other name");
  kyc.document_type = "passport";
  kyc.document_sealed = sealed("E12345678");
  kyc.document_masked = "E1*****78";
  kyc.birth_date = "1985-12-31";
  // update_kyc must not touch anything else, even if the record passed in differs.
  kyc.pin_failures = 77;
  kyc.phone_sealed = "ignored";
  ASSERT_TRUE(repo().update_kyc(kyc).ok());
  user.kyc_level = kyc.kyc_level;
  user.full_name_sealed = kyc.full_name_sealed;
  user.document_type = kyc.document_type;
  user.document_sealed = kyc.document_sealed;
  user.document_masked = kyc.document_masked;
  user.birth_date = kyc.birth_date;
  expect_same(**repo().find_user(user.id), user);
}

TEST_F(SqliteWalletRepositoryTest, UpdatesOfMissingRecordsAreNotFound) {
  UserId nobody(id_of(42));
  EXPECT_EQ(code_of(repo().update_pin(nobody, 1, digest_of(1))), "not_found");
  EXPECT_EQ(code_of(repo().update_pin_failures(nobody, 1, 0)), "not_found");
  EXPECT_EQ(code_of(repo().update_status(nobody, UserStatus::frozen)), "not_found");
  UserRecord ghost = make_user(42);
  EXPECT_EQ(code_of(repo().update_kyc(ghost)), "not_found");
  OtpChallenge otp;
  otp.phone_digest = digest_of(1);
  otp.purpose = "login";
  EXPECT_EQ(code_of(repo().update_otp(otp)), "not_found");
  BankOrderRecord order;
  order.reference = "nope";
  EXPECT_EQ(code_of(repo().update_bank_order(order)), "not_found");
}

TEST_F(SqliteWalletRepositoryTest, OtpPutReplacesFindAndUpdate) {
  OtpChallenge challenge;
  challenge.phone_digest = digest_of(1);
  challenge.purpose = "sign_up";
  challenge.code_digest = digest_of(2);
  challenge.expires_at_ns = kStartNs + 300;
  challenge.attempts = 1;
  challenge.consumed = false;
  ASSERT_TRUE(repo().put_otp(challenge).ok());

  auto found = repo().find_otp(challenge.phone_digest, "sign_up");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->phone_digest, challenge.phone_digest);
  EXPECT_EQ((*found)->purpose, "sign_up");
  EXPECT_EQ((*found)->code_digest, challenge.code_digest);
  EXPECT_EQ((*found)->expires_at_ns, challenge.expires_at_ns);
  EXPECT_EQ((*found)->attempts, 1);
  EXPECT_FALSE((*found)->consumed);

  // Another purpose for the same phone is a separate challenge.
  EXPECT_FALSE(repo().find_otp(challenge.phone_digest, "login")->has_value());

  OtpChallenge updated = challenge;
  updated.attempts = 3;
  updated.consumed = true;
  updated.code_digest = digest_of(9);  // update_otp changes attempts and consumed only
  ASSERT_TRUE(repo().update_otp(updated).ok());
  found = repo().find_otp(challenge.phone_digest, "sign_up");
  EXPECT_EQ((*found)->attempts, 3);
  EXPECT_TRUE((*found)->consumed);
  EXPECT_EQ((*found)->code_digest, challenge.code_digest);

  OtpChallenge replacement = challenge;
  replacement.code_digest = digest_of(5);
  replacement.expires_at_ns = kStartNs + 600;
  replacement.attempts = 0;
  ASSERT_TRUE(repo().put_otp(replacement).ok());
  found = repo().find_otp(challenge.phone_digest, "sign_up");
  EXPECT_EQ((*found)->code_digest, digest_of(5));
  EXPECT_EQ((*found)->expires_at_ns, kStartNs + 600);
  EXPECT_EQ((*found)->attempts, 0);
  EXPECT_FALSE((*found)->consumed);
}

TEST_F(SqliteWalletRepositoryTest, RateCountersUseFixedWindows) {
  constexpr int64_t kMinuteNs = 60'000'000'000;
  int64_t window = (kStartNs / kMinuteNs) * kMinuteNs;
  EXPECT_EQ(*repo().count_rate("otp:phone", kMinuteNs, window), 1);
  EXPECT_EQ(*repo().count_rate("otp:phone", kMinuteNs, window + 10), 2);
  EXPECT_EQ(*repo().count_rate("otp:phone", kMinuteNs, window + kMinuteNs - 1), 3);
  // Another key counts separately.
  EXPECT_EQ(*repo().count_rate("otp:other", kMinuteNs, window + 5), 1);
  // The next window starts again from one.
  EXPECT_EQ(*repo().count_rate("otp:phone", kMinuteNs, window + kMinuteNs), 1);
  EXPECT_EQ(*repo().count_rate("otp:phone", kMinuteNs, window + kMinuteNs + 7), 2);
  // A much later window.
  EXPECT_EQ(*repo().count_rate("otp:phone", kMinuteNs, window + 10 * kMinuteNs + 3), 1);
  // The same key with a different window length is counted in its own windows.
  EXPECT_EQ(*repo().count_rate("otp:hour", 60 * kMinuteNs, window + 10 * kMinuteNs), 1);

  // Old windows of a key are deleted when it is counted again.
  auto db = raw();
  auto rows = db->prepare("SELECT count(*) FROM rate_counters WHERE key = 'otp:phone'");
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE((*rows)->step().ok());
  EXPECT_EQ((*rows)->column_int64(0), 1);
}

TEST_F(SqliteWalletRepositoryTest, RateCounterSweepDeletesExpiredWindowsOfOtherKeys) {
  constexpr int64_t kWindowNs = 1'000'000'000;
  int64_t now = (kStartNs / kWindowNs) * kWindowNs;
  EXPECT_EQ(*repo().count_rate("idle", kWindowNs, now), 1);
  // Enough calls on another key, later, that one of them sweeps every expired window.
  for (uint64_t i = 0; i < SqliteWalletRepository::kRateSweepEvery; ++i) {
    ASSERT_TRUE(repo().count_rate("busy", kWindowNs, now + 5 * kWindowNs).ok());
  }
  auto db = raw();
  auto rows = db->prepare("SELECT count(*) FROM rate_counters WHERE key = 'idle'");
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE((*rows)->step().ok());
  EXPECT_EQ((*rows)->column_int64(0), 0);
  EXPECT_EQ(*repo().count_rate("busy", kWindowNs, now + 5 * kWindowNs),
            static_cast<int>(SqliteWalletRepository::kRateSweepEvery) + 1);
}

TEST_F(SqliteWalletRepositoryTest, RateCountersSurviveReopen) {
  constexpr int64_t kWindowNs = 1'000'000'000;
  int64_t now = (kStartNs / kWindowNs) * kWindowNs;
  EXPECT_EQ(*repo().count_rate("k", kWindowNs, now), 1);
  EXPECT_EQ(*repo().count_rate("k", kWindowNs, now + 1), 2);
  reopen();
  EXPECT_EQ(*repo().count_rate("k", kWindowNs, now + 2), 3);
}

TEST_F(SqliteWalletRepositoryTest, SessionsInsertFindDeleteAndDuplicates) {
  SessionRecord session;
  session.token_digest = digest_of(1);
  session.user_id = UserId(id_of(10));
  session.device_digest = digest_of(2);
  session.created_at_ns = kStartNs;
  session.expires_at_ns = kStartNs + 3600;
  ASSERT_TRUE(repo().insert_session(session).ok());

  auto found = repo().find_session(session.token_digest);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->token_digest, session.token_digest);
  EXPECT_EQ((*found)->user_id, session.user_id);
  EXPECT_EQ((*found)->device_digest, session.device_digest);
  EXPECT_EQ((*found)->created_at_ns, session.created_at_ns);
  EXPECT_EQ((*found)->expires_at_ns, session.expires_at_ns);

  Status duplicate = repo().insert_session(session);
  EXPECT_EQ(code_of(duplicate), "already_exists");

  SessionRecord second = session;
  second.token_digest = digest_of(3);
  ASSERT_TRUE(repo().insert_session(second).ok());
  SessionRecord other_user = session;
  other_user.token_digest = digest_of(4);
  other_user.user_id = UserId(id_of(11));
  ASSERT_TRUE(repo().insert_session(other_user).ok());

  ASSERT_TRUE(repo().delete_session(session.token_digest).ok());
  EXPECT_FALSE(repo().find_session(session.token_digest)->has_value());
  EXPECT_TRUE(repo().delete_session(session.token_digest).ok());  // already gone: still ok

  ASSERT_TRUE(repo().delete_sessions_of(session.user_id).ok());
  EXPECT_FALSE(repo().find_session(second.token_digest)->has_value());
  EXPECT_TRUE(repo().find_session(other_user.token_digest)->has_value());
}

TEST_F(SqliteWalletRepositoryTest, DevicesAreRememberedPerUser) {
  UserId user(id_of(1));
  UserId other(id_of(2));
  EXPECT_FALSE(*repo().device_known(user, digest_of(7)));
  ASSERT_TRUE(repo().add_device(user, digest_of(7), kStartNs).ok());
  EXPECT_TRUE(*repo().device_known(user, digest_of(7)));
  EXPECT_FALSE(*repo().device_known(other, digest_of(7)));
  EXPECT_FALSE(*repo().device_known(user, digest_of(8)));
  EXPECT_TRUE(repo().add_device(user, digest_of(7), kStartNs + 1).ok());  // again: ok
}

TEST_F(SqliteWalletRepositoryTest, NotesIgnoreSecondInsertAndFindReturnsExisting) {
  TransferNote first{TransferId(id_of(1)), sealed("lunch")};
  TransferNote second{TransferId(id_of(2)), sealed("rent")};
  ASSERT_TRUE(repo().insert_note(first).ok());
  ASSERT_TRUE(repo().insert_note(second).ok());
  TransferNote again{first.transfer_id, sealed("changed")};
  EXPECT_TRUE(repo().insert_note(again).ok());

  auto notes = repo().find_notes({second.transfer_id, TransferId(id_of(3)), first.transfer_id});
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ((*notes)[0].transfer_id, second.transfer_id);
  EXPECT_EQ((*notes)[0].note_sealed, second.note_sealed);
  EXPECT_EQ((*notes)[1].transfer_id, first.transfer_id);
  EXPECT_EQ((*notes)[1].note_sealed, first.note_sealed);  // the first insert won
  EXPECT_TRUE(repo().find_notes({})->empty());
}

TEST_F(SqliteWalletRepositoryTest, BankAccountsRoundTripAndRejectDuplicates) {
  BankAccountRecord account;
  account.id = id_of(1);
  account.user_id = UserId(id_of(10));
  account.bank_code = "ICBC";
  account.bank_account_token = "tok_abc";
  account.masked_number = "**** 1234";
  account.created_at_ns = kStartNs + 2;
  BankAccountRecord older = account;
  older.id = id_of(2);
  older.created_at_ns = kStartNs + 1;
  BankAccountRecord elsewhere = account;
  elsewhere.id = id_of(3);
  elsewhere.user_id = UserId(id_of(11));
  ASSERT_TRUE(repo().insert_bank_account(account).ok());
  ASSERT_TRUE(repo().insert_bank_account(older).ok());
  ASSERT_TRUE(repo().insert_bank_account(elsewhere).ok());
  EXPECT_EQ(code_of(repo().insert_bank_account(account)), "already_exists");

  auto found = repo().find_bank_account(account.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, account.id);
  EXPECT_EQ((*found)->user_id, account.user_id);
  EXPECT_EQ((*found)->bank_code, account.bank_code);
  EXPECT_EQ((*found)->bank_account_token, account.bank_account_token);
  EXPECT_EQ((*found)->masked_number, account.masked_number);
  EXPECT_EQ((*found)->created_at_ns, account.created_at_ns);
  EXPECT_FALSE(repo().find_bank_account(id_of(99))->has_value());

  auto of_user = repo().bank_accounts_of(account.user_id);
  ASSERT_TRUE(of_user.ok());
  ASSERT_EQ(of_user->size(), 2u);
  EXPECT_EQ((*of_user)[0].id, older.id);  // oldest first
  EXPECT_EQ((*of_user)[1].id, account.id);
  EXPECT_TRUE(repo().bank_accounts_of(UserId(id_of(12)))->empty());
}

BankOrderRecord make_order(const std::string& reference, int64_t created_at_ns) {
  BankOrderRecord order;
  order.reference = reference;
  order.kind = BankOrderKind::withdrawal;
  order.user_id = UserId(id_of(10));
  order.bank_account_id = id_of(20);
  order.amount_minor = 12'345;
  order.currency = 156;
  order.ledger_transfer_id = TransferId(id_of(30));
  order.status = BankOrderStatus::pending;
  order.decline_code = "";
  order.created_at_ns = created_at_ns;
  order.updated_at_ns = created_at_ns;
  return order;
}

void expect_same(const BankOrderRecord& a, const BankOrderRecord& b) {
  EXPECT_EQ(a.reference, b.reference);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.bank_account_id, b.bank_account_id);
  EXPECT_EQ(a.amount_minor, b.amount_minor);
  EXPECT_EQ(a.currency, b.currency);
  EXPECT_EQ(a.ledger_transfer_id, b.ledger_transfer_id);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.decline_code, b.decline_code);
  EXPECT_EQ(a.created_at_ns, b.created_at_ns);
  EXPECT_EQ(a.updated_at_ns, b.updated_at_ns);
}

TEST_F(SqliteWalletRepositoryTest, BankOrdersRoundTripUpdateAndPendingList) {
  BankOrderRecord late = make_order("ord-2", kStartNs + 20);
  BankOrderRecord early = make_order("ord-1", kStartNs + 10);
  early.kind = BankOrderKind::top_up;
  BankOrderRecord done = make_order("ord-3", kStartNs + 5);
  done.status = BankOrderStatus::confirmed;
  ASSERT_TRUE(repo().insert_bank_order(late).ok());
  ASSERT_TRUE(repo().insert_bank_order(early).ok());
  ASSERT_TRUE(repo().insert_bank_order(done).ok());
  EXPECT_EQ(code_of(repo().insert_bank_order(early)), "already_exists");

  auto found = repo().find_bank_order("ord-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  expect_same(**found, early);
  EXPECT_FALSE(repo().find_bank_order("ord-9")->has_value());

  auto pending = repo().pending_bank_orders();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  expect_same((*pending)[0], early);  // oldest first
  expect_same((*pending)[1], late);

  BankOrderRecord declined = late;
  declined.status = BankOrderStatus::declined;
  declined.decline_code = "insufficient_funds";
  declined.updated_at_ns = kStartNs + 99;
  declined.amount_minor = 1;  // not an updatable field
  ASSERT_TRUE(repo().update_bank_order(declined).ok());
  BankOrderRecord expected = late;
  expected.status = BankOrderStatus::declined;
  expected.decline_code = "insufficient_funds";
  expected.updated_at_ns = kStartNs + 99;
  expect_same(**repo().find_bank_order("ord-2"), expected);

  BankOrderRecord timed_out = early;
  timed_out.status = BankOrderStatus::timed_out;
  ASSERT_TRUE(repo().update_bank_order(timed_out).ok());
  EXPECT_EQ((*repo().find_bank_order("ord-1"))->status, BankOrderStatus::timed_out);
  EXPECT_TRUE(repo().pending_bank_orders()->empty());
}

AuditEntry make_entry(int n) {
  AuditEntry entry;
  entry.at_ns = kStartNs + n;
  entry.actor = "operator";
  entry.action = "user.freeze";
  entry.target = "user:" + std::to_string(n);
  entry.remote_address = "10.0.0." + std::to_string(n % 250);
  entry.request_id = "req-" + std::to_string(n);
  entry.details = "{\"n\":" + std::to_string(n) + "}";
  return entry;
}

TEST_F(SqliteWalletRepositoryTest, AuditAppendsRecentAndVerifies) {
  EXPECT_TRUE(repo().verify_audit_chain().ok());  // empty chain
  for (int n = 1; n <= 5; ++n) ASSERT_TRUE(repo().append_audit(make_entry(n)).ok());
  EXPECT_TRUE(repo().verify_audit_chain().ok());

  auto recent = repo().recent_audit(3);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 3u);
  AuditEntry newest = make_entry(5);
  EXPECT_EQ((*recent)[0].at_ns, newest.at_ns);  // newest first
  EXPECT_EQ((*recent)[0].actor, newest.actor);
  EXPECT_EQ((*recent)[0].action, newest.action);
  EXPECT_EQ((*recent)[0].target, newest.target);
  EXPECT_EQ((*recent)[0].remote_address, newest.remote_address);
  EXPECT_EQ((*recent)[0].request_id, newest.request_id);
  EXPECT_EQ((*recent)[0].details, newest.details);
  EXPECT_EQ((*recent)[2].target, "user:3");
  EXPECT_EQ(repo().recent_audit(100)->size(), 5u);
  EXPECT_TRUE(repo().recent_audit(0)->empty());

  reopen();  // the chain continues after a restart
  ASSERT_TRUE(repo().append_audit(make_entry(6)).ok());
  EXPECT_TRUE(repo().verify_audit_chain().ok());
}

TEST_F(SqliteWalletRepositoryTest, AuditChainDetectsAChangedRow) {
  for (int n = 1; n <= 5; ++n) ASSERT_TRUE(repo().append_audit(make_entry(n)).ok());
  ASSERT_TRUE(raw()->exec("UPDATE audit_log SET actor = 'nobody' WHERE seq = 3").ok());
  Status status = repo().verify_audit_chain();
  ASSERT_EQ(code_of(status), "audit_chain_broken");
  EXPECT_NE(status.error().message.find("seq 3"), std::string::npos) << status.error().message;
}

TEST_F(SqliteWalletRepositoryTest, AuditChainDetectsARemovedRow) {
  for (int n = 1; n <= 5; ++n) ASSERT_TRUE(repo().append_audit(make_entry(n)).ok());
  ASSERT_TRUE(raw()->exec("DELETE FROM audit_log WHERE seq = 2").ok());
  Status status = repo().verify_audit_chain();
  ASSERT_EQ(code_of(status), "audit_chain_broken");
  EXPECT_NE(status.error().message.find("seq 3"), std::string::npos) << status.error().message;
}

TEST_F(SqliteWalletRepositoryTest, AuditChainDetectsAChangedHashOrLink) {
  for (int n = 1; n <= 4; ++n) ASSERT_TRUE(repo().append_audit(make_entry(n)).ok());
  ASSERT_TRUE(raw()->exec("UPDATE audit_log SET hash = zeroblob(32) WHERE seq = 2").ok());
  Status status = repo().verify_audit_chain();
  ASSERT_EQ(code_of(status), "audit_chain_broken");
  EXPECT_NE(status.error().message.find("seq 2"), std::string::npos) << status.error().message;

  ASSERT_TRUE(raw()->exec("UPDATE audit_log SET hash = (SELECT prev_hash FROM audit_log WHERE "
                          "seq = 3) WHERE seq = 2").ok());  // repaired
  EXPECT_TRUE(repo().verify_audit_chain().ok());
  ASSERT_TRUE(raw()->exec("UPDATE audit_log SET prev_hash = zeroblob(32) WHERE seq = 4").ok());
  status = repo().verify_audit_chain();
  ASSERT_EQ(code_of(status), "audit_chain_broken");
  EXPECT_NE(status.error().message.find("seq 4"), std::string::npos) << status.error().message;
}

TEST_F(SqliteWalletRepositoryTest, EverythingPersistsAcrossReopen) {
  UserRecord user = make_user(1);
  ASSERT_TRUE(repo().insert_user(user).ok());
  SessionRecord session;
  session.token_digest = digest_of(50);
  session.user_id = user.id;
  ASSERT_TRUE(repo().insert_session(session).ok());
  ASSERT_TRUE(repo().add_device(user.id, digest_of(51), kStartNs).ok());
  ASSERT_TRUE(repo().insert_note(TransferNote{TransferId(id_of(60)), sealed("hi")}).ok());
  BankAccountRecord account;
  account.id = id_of(70);
  account.user_id = user.id;
  ASSERT_TRUE(repo().insert_bank_account(account).ok());
  ASSERT_TRUE(repo().insert_bank_order(make_order("ord-p", kStartNs)).ok());
  OtpChallenge otp;
  otp.phone_digest = user.phone_digest;
  otp.purpose = "login";
  ASSERT_TRUE(repo().put_otp(otp).ok());
  ASSERT_TRUE(repo().append_audit(make_entry(1)).ok());

  reopen();
  expect_same(**repo().find_user_by_phone(user.phone_digest), user);
  EXPECT_TRUE(repo().find_session(session.token_digest)->has_value());
  EXPECT_TRUE(*repo().device_known(user.id, digest_of(51)));
  EXPECT_EQ(repo().find_notes({TransferId(id_of(60))})->size(), 1u);
  EXPECT_TRUE(repo().find_bank_account(account.id)->has_value());
  EXPECT_EQ(repo().pending_bank_orders()->size(), 1u);
  EXPECT_TRUE(repo().find_otp(user.phone_digest, "login")->has_value());
  EXPECT_EQ(repo().recent_audit(10)->size(), 1u);
  EXPECT_TRUE(repo().verify_audit_chain().ok());
  // Uniqueness still holds against what was there before the restart.
  EXPECT_EQ(code_of(repo().insert_user(user)), "already_exists");
}

TEST_F(SqliteWalletRepositoryTest, ConcurrentInsertsFromEightThreads) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        uint64_t n = static_cast<uint64_t>(t * kPerThread + i);
        UserRecord user = make_user(n);
        // Phone digests from the index (make_user's are one byte and would collide).
        user.phone_digest = digest_of(0);
        user.phone_digest[0] = static_cast<uint8_t>(n >> 8);
        user.phone_digest[1] = static_cast<uint8_t>(n);
        if (!repo().insert_user(user).ok()) ++failures;
        if (!repo().append_audit(make_entry(static_cast<int>(n))).ok()) ++failures;
        if (!repo().insert_note(TransferNote{TransferId(id_of(n)), sealed("n")}).ok()) ++failures;
        // Every thread also races for the same session token: exactly one may win.
        SessionRecord session;
        session.token_digest = digest_of(250);
        session.user_id = user.id;
        Status raced = repo().insert_session(session);
        if (!raced.ok()) {
          if (raced.error().code == "already_exists") ++conflicts;
          else ++failures;
        }
        if (!repo().find_user(user.id)->has_value()) ++failures;  // reads its own write
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(conflicts.load(), kThreads * kPerThread - 1);
  EXPECT_TRUE(repo().verify_audit_chain().ok());
  EXPECT_EQ(repo().recent_audit(SqliteWalletRepository::kRecentAuditMax)->size(),
            static_cast<size_t>(kThreads * kPerThread));

  reopen();
  for (uint64_t n = 0; n < static_cast<uint64_t>(kThreads * kPerThread); ++n) {
    ASSERT_TRUE(repo().find_user(UserId(id_of(n)))->has_value()) << n;
  }
  EXPECT_TRUE(repo().verify_audit_chain().ok());
}

TEST_F(SqliteWalletRepositoryTest, MigrationsAreRecordedOnceAndReopenIsIdempotent) {
  reopen();
  reopen();
  auto db = raw();
  auto versions = db->prepare("SELECT group_concat(version) FROM schema_migrations");
  ASSERT_TRUE(versions.ok());
  ASSERT_TRUE((*versions)->step().ok());
  EXPECT_EQ((*versions)->column_text(0), "1,2,3,4,5,6,7");  // idempotency keys, the wallet, the merchants, payment requests, payment-code devices, QR codes, the request archive
}

}  // namespace
}  // namespace mpay::store::sqlite
