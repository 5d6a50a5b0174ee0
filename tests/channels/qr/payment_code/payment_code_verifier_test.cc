// The device registry and the verifier on a real mpay.db (SqliteWalletRepository's writer, as mpayd
// wires it) in a temporary directory, with a manual clock: the acceptance window, single use (also
// across a restart and between racing tills), lockout and its durability, revocation, the device
// limit, the per-caller rate limit, and the sealed secret column.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "channels/qr/payment_code/base32.h"
#include "channels/qr/payment_code/luhn.h"
#include "channels/qr/payment_code/payment_code_devices.h"
#include "channels/qr/payment_code/payment_code_format.h"
#include "channels/qr/payment_code/payment_code_verifier.h"
#include "security/key_ring.h"
#include "security/sealer.h"
#include "store/sqlite/sqlite_database.h"
#include "store/sqlite/sqlite_payment_code_repository.h"
#include "store/sqlite/sqlite_wallet_repository.h"
#include "support/temp_directory.h"

namespace mpay::qr {
namespace {

using store::sqlite::SqlitePaymentCodeRepository;
using store::sqlite::SqliteWalletRepository;
using wallet::UserId;

constexpr int64_t kSecondNs = 1'000'000'000;
constexpr int64_t kStepNs = kPaymentCodeStepSeconds * kSecondNs;
constexpr uint64_t kStartCounter = 113'333'334;  // 1700000010 s, the start of a step
constexpr const char* kTill = "0190f4c2-7a3e-7c41-9b2d-5e1f00000001";

const UserId kAlice(Id128{0x0190f4c27a3e7000, 1});
const UserId kBob(Id128{0x0190f4c27a3e7000, 2});

class PaymentCodeVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto keys = security::KeyRing::open(directory_.path() + "/keys", "pii", random_);
    ASSERT_TRUE(keys.ok()) << keys.error().message;
    keys_ = std::make_unique<security::KeyRing>(std::move(*keys));
    sealer_ = std::make_unique<security::Sealer>(*keys_, random_);
    open_stack();
  }

  void open_stack() {
    auto wallet = SqliteWalletRepository::open(directory_.path(), clock_);
    ASSERT_TRUE(wallet.ok()) << wallet.error().message;
    wallet_ = std::move(*wallet);
    repository_ = std::make_unique<SqlitePaymentCodeRepository>(directory_.path(), wallet_->writer());
    auto devices = PaymentCodeDevices::open(*repository_, *sealer_, random_, ids_, options_);
    ASSERT_TRUE(devices.ok()) << devices.error().message;
    devices_ = std::move(*devices);
    verifier_ = std::make_unique<PaymentCodeVerifier>(*devices_);
  }

  // A restart: everything in memory is dropped and loaded again from mpay.db.
  void reopen() {
    verifier_.reset();
    devices_.reset();
    repository_.reset();
    wallet_.reset();
    open_stack();
  }

  int64_t now() { return clock_.now_ns(); }
  uint64_t counter_now() { return counter_at(now()); }

  ProvisionedDevice provision(const UserId& user = kAlice, std::string_view label = "my phone") {
    Result<ProvisionedDevice> provisioned = devices_->provision(user, label, now());
    EXPECT_TRUE(provisioned.ok()) << provisioned.error().code;
    return *provisioned;
  }

  static std::string code_at(const ProvisionedDevice& device, uint64_t counter) {
    return make_payment_code(*base32_decode(device.secret_base32), device.device.device_number, counter);
  }

  // A code with a correct check digit whose OTP matches no counter the verifier looks at.
  std::string wrong_code(const ProvisionedDevice& device) {
    std::string secret = *base32_decode(device.secret_base32);
    uint64_t now_counter = counter_now();
    for (uint32_t otp = 1234567;; otp = (otp + 7919) % 10'000'000) {
      bool matches_any = false;
      for (uint64_t c = now_counter - kExpiredStepsBehind - 1; c <= now_counter + kAcceptStepsAhead + 1; ++c) {
        matches_any = matches_any || payment_code_otp(secret, c) == otp;
      }
      if (matches_any) continue;
      std::string body = "88" + std::to_string(device.device.device_number) + std::to_string(10'000'000 + otp).substr(1);
      return body + luhn_digit_of(body);
    }
  }

  static std::string luhn_digit_of(const std::string& body) { return std::string(1, luhn_check_digit(body)); }

  Result<VerifiedPaymentCode> verify(const std::string& code, std::string_view caller = kTill) {
    return verifier_->verify(code, caller, now());
  }

  template <typename T>
  static std::string code_of(const Result<T>& result) {
    return result.ok() ? "ok" : result.error().code;
  }

  testing::TempDirectory directory_;
  ManualClock clock_{static_cast<int64_t>(kStartCounter) * kStepNs + 3 * kSecondNs};
  SeededRandom random_{42};
  UuidV7Generator ids_{clock_, random_};
  PaymentCodeOptions options_;
  std::unique_ptr<security::KeyRing> keys_;
  std::unique_ptr<security::Sealer> sealer_;
  std::unique_ptr<SqliteWalletRepository> wallet_;
  std::unique_ptr<SqlitePaymentCodeRepository> repository_;
  std::unique_ptr<PaymentCodeDevices> devices_;
  std::unique_ptr<PaymentCodeVerifier> verifier_;
};

TEST_F(PaymentCodeVerifierTest, ProvisionHandsOutARandomNumberAndA32ByteSecret) {
  ProvisionedDevice first = provision();
  ProvisionedDevice second = provision();
  EXPECT_GE(first.device.device_number, kDeviceNumberMin);
  EXPECT_LE(first.device.device_number, kDeviceNumberMax);
  EXPECT_NE(first.device.device_number, second.device.device_number);
  EXPECT_NE(first.device.device_number + 1, second.device.device_number);  // not sequential
  EXPECT_EQ(first.secret_base32.size(), 52u);
  EXPECT_EQ(base32_decode(first.secret_base32)->size(), kDeviceSecretBytes);
  EXPECT_NE(first.secret_base32, second.secret_base32);
  EXPECT_EQ(first.device.user_id, kAlice);
  EXPECT_EQ(first.device.label, "my phone");
  EXPECT_TRUE(first.device.active());
  EXPECT_EQ(devices_->list(kAlice).size(), 2u);
  EXPECT_TRUE(devices_->list(kBob).empty());
}

TEST_F(PaymentCodeVerifierTest, AcceptsEveryCounterInsideTheWindow) {
  ProvisionedDevice device = provision();
  uint64_t t = counter_now();
  for (uint64_t c = t - 3; c <= t + 1; ++c) {  // oldest first: each is newer than the last used
    Result<VerifiedPaymentCode> verified = verify(code_at(device, c));
    ASSERT_TRUE(verified.ok()) << c - t << " " << verified.error().code;
    EXPECT_EQ(verified->counter, c);
    EXPECT_EQ(verified->device_id, device.device.id);
    EXPECT_EQ(verified->user_id, kAlice);
  }
}

TEST_F(PaymentCodeVerifierTest, FourStepsOldIsExpiredAndDoesNotCountTowardTheLock) {
  ProvisionedDevice device = provision();
  uint64_t t = counter_now();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(code_of(verify(code_at(device, t - 4))), "payment_code_expired");
  EXPECT_EQ(code_of(verify(code_at(device, t - kExpiredStepsBehind))), "payment_code_expired");
  EXPECT_EQ(code_of(verify(code_at(device, t - kExpiredStepsBehind - 1))), "payment_code_invalid");
  EXPECT_EQ(code_of(verify(code_at(device, t))), "ok");
}

TEST_F(PaymentCodeVerifierTest, TwoStepsAheadIsInvalid) {
  ProvisionedDevice device = provision();
  EXPECT_EQ(code_of(verify(code_at(device, counter_now() + 2))), "payment_code_invalid");
}

TEST_F(PaymentCodeVerifierTest, ACodeIsSpentOnceAndSoIsEveryOlderOne) {
  ProvisionedDevice device = provision();
  uint64_t t = counter_now();
  std::string code = code_at(device, t);
  EXPECT_EQ(code_of(verify(code)), "ok");
  EXPECT_EQ(code_of(verify(code)), "payment_code_used");
  EXPECT_EQ(code_of(verify(code_at(device, t - 1))), "payment_code_used");
  EXPECT_EQ(code_of(verify(code_at(device, t + 1))), "ok");
  EXPECT_EQ(code_of(verify(code_at(device, t))), "payment_code_used");
}

TEST_F(PaymentCodeVerifierTest, TillsRacingWithOneCodeHaveExactlyOneWinner) {
  ProvisionedDevice device = provision();
  for (int round = 0; round < 5; ++round) {
    std::string code = code_at(device, counter_now());
    std::atomic<int> accepted{0};
    std::atomic<int> used{0};
    std::vector<std::thread> tills;
    for (int till = 0; till < 8; ++till) {
      tills.emplace_back([&, till] {
        Result<VerifiedPaymentCode> result = verifier_->verify(code, "till-" + std::to_string(till), now());
        if (result.ok()) ++accepted;
        if (!result.ok() && result.error().code == "payment_code_used") ++used;
      });
    }
    for (std::thread& till : tills) till.join();
    EXPECT_EQ(accepted.load(), 1) << round;
    EXPECT_EQ(used.load(), 7) << round;
    clock_.advance_ns(kStepNs);
  }
}

TEST_F(PaymentCodeVerifierTest, FiveWrongCodesLockTheDeviceDurablyUntilReprovisioned) {
  ProvisionedDevice device = provision();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(code_of(verify(wrong_code(device))), "payment_code_invalid") << i;
  EXPECT_EQ(code_of(verify(code_at(device, counter_now()))), "payment_code_device_locked");
  EXPECT_TRUE(devices_->list(kAlice).front().locked());

  reopen();
  EXPECT_EQ(code_of(verify(code_at(device, counter_now()))), "payment_code_device_locked");

  Result<ProvisionedDevice> fresh = devices_->reprovision(kAlice, device.device.id, now());
  ASSERT_TRUE(fresh.ok()) << fresh.error().code;
  EXPECT_EQ(fresh->device.device_number, device.device.device_number);
  EXPECT_NE(fresh->secret_base32, device.secret_base32);
  EXPECT_FALSE(fresh->device.locked());
  EXPECT_EQ(code_of(verify(code_at(device, counter_now()))), "payment_code_invalid");  // the old secret
  EXPECT_EQ(code_of(verify(code_at(*fresh, counter_now()))), "ok");
  EXPECT_EQ(code_of(devices_->reprovision(kBob, device.device.id, now())), "payment_code_device_not_found");
}

TEST_F(PaymentCodeVerifierTest, ASuccessResetsTheFailureCount) {
  ProvisionedDevice device = provision();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(code_of(verify(wrong_code(device))), "payment_code_invalid");
  EXPECT_EQ(code_of(verify(code_at(device, counter_now()))), "ok");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(code_of(verify(wrong_code(device))), "payment_code_invalid");
  EXPECT_EQ(code_of(verify(code_at(device, counter_now() + 1))), "ok");
}

TEST_F(PaymentCodeVerifierTest, MalformedIsToldApartFromInvalidAndNeverLocks) {
  ProvisionedDevice device = provision();
  std::string good = code_at(device, counter_now());
  std::string mistyped = good;
  mistyped[12] = mistyped[12] == '9' ? '0' : static_cast<char>(mistyped[12] + 1);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(code_of(verify(mistyped)), "payment_code_malformed");
  EXPECT_EQ(code_of(verify(good.substr(1))), "payment_code_malformed");
  EXPECT_EQ(code_of(verify(good + " ")), "payment_code_malformed");
  EXPECT_EQ(code_of(verify(good)), "ok");

  // An unknown device number and a wrong OTP read the same.
  uint32_t unknown = device.device.device_number == kDeviceNumberMax ? kDeviceNumberMin : device.device.device_number + 1;
  Result<VerifiedPaymentCode> unknown_device = verify(make_payment_code("any secret", unknown, counter_now()));
  Result<VerifiedPaymentCode> wrong_otp = verify(wrong_code(device));
  ASSERT_FALSE(unknown_device.ok());
  ASSERT_FALSE(wrong_otp.ok());
  EXPECT_EQ(unknown_device.error().code, "payment_code_invalid");
  EXPECT_EQ(wrong_otp.error().code, "payment_code_invalid");
  EXPECT_EQ(unknown_device.error().message, wrong_otp.error().message);
}

TEST_F(PaymentCodeVerifierTest, RevokeIsForTheOwnerAndRefusesLaterCodes) {
  ProvisionedDevice device = provision();
  EXPECT_EQ(code_of(devices_->revoke(kBob, device.device.id, now())), "payment_code_device_not_found");
  EXPECT_EQ(code_of(devices_->revoke(kAlice, Id128{1, 2}, now())), "payment_code_device_not_found");
  Result<PaymentCodeDevice> revoked = devices_->revoke(kAlice, device.device.id, now());
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->revoked_at_ns, now());
  EXPECT_TRUE(devices_->list(kAlice).empty());
  EXPECT_EQ(code_of(verify(code_at(device, counter_now()))), "payment_code_device_revoked");
  reopen();
  EXPECT_EQ(code_of(verify(code_at(device, counter_now()))), "payment_code_device_revoked");
  EXPECT_EQ(code_of(devices_->reprovision(kAlice, device.device.id, now())), "payment_code_device_revoked");
}

TEST_F(PaymentCodeVerifierTest, RevokingALockedDeviceFreesItsPlace) {
  options_.active_devices_per_user_max = 1;
  reopen();
  ProvisionedDevice device = provision();
  for (int i = 0; i < 5; ++i) (void)verify(wrong_code(device));
  EXPECT_EQ(code_of(devices_->provision(kAlice, "new phone", now())), "payment_code_device_limit");
  ASSERT_TRUE(devices_->revoke(kAlice, device.device.id, now()).ok());
  ProvisionedDevice replacement = provision(kAlice, "new phone");
  EXPECT_EQ(code_of(verify(code_at(replacement, counter_now()))), "ok");
}

TEST_F(PaymentCodeVerifierTest, AtMostFiveActiveDevicesPerUser) {
  std::vector<ProvisionedDevice> phones;
  for (int i = 0; i < 5; ++i) phones.push_back(provision(kAlice, "phone " + std::to_string(i)));
  Result<ProvisionedDevice> sixth = devices_->provision(kAlice, "phone 5", now());
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(sixth.error().code, "payment_code_device_limit");
  EXPECT_TRUE(devices_->provision(kBob, "bob's phone", now()).ok());
  ASSERT_TRUE(devices_->revoke(kAlice, phones[2].device.id, now()).ok());
  EXPECT_TRUE(devices_->provision(kAlice, "phone 5", now()).ok());
  reopen();
  EXPECT_EQ(devices_->list(kAlice).size(), 5u);
  EXPECT_EQ(code_of(devices_->provision(kAlice, "phone 6", now())), "payment_code_device_limit");
}

TEST_F(PaymentCodeVerifierTest, LabelsAreShortPrintableText) {
  EXPECT_EQ(code_of(devices_->provision(kAlice, "", now())), "payment_code_label_invalid");
  EXPECT_EQ(code_of(devices_->provision(kAlice, std::string(41, 'a'), now())), "payment_code_label_invalid");
  EXPECT_EQ(code_of(devices_->provision(kAlice, "tab\there", now())), "payment_code_label_invalid");
  EXPECT_EQ(code_of(devices_->provision(kAlice, "\xff\xfe", now())), "payment_code_label_invalid");
  std::string forty_chinese;
  for (int i = 0; i < 40; ++i) forty_chinese += "\xe6\x89\x8b";  // 手
  EXPECT_TRUE(devices_->provision(kAlice, forty_chinese, now()).ok());
  EXPECT_TRUE(devices_->provision(kAlice, std::string(40, 'a'), now()).ok());
}

TEST_F(PaymentCodeVerifierTest, ACallerWithTooManyFailuresIsRefusedBeforeChecking) {
  ProvisionedDevice device = provision();
  for (int i = 0; i < 20; ++i) {
    uint32_t guess = kDeviceNumberMin + static_cast<uint32_t>(i) * 7;
    if (guess == device.device.device_number) ++guess;
    EXPECT_EQ(code_of(verify(make_payment_code("guess", guess, counter_now()), "guesser")), "payment_code_invalid");
  }
  std::string good = code_at(device, counter_now());
  EXPECT_EQ(code_of(verify(good, "guesser")), "payment_code_rate_limited");
  EXPECT_EQ(code_of(verify("not a code", "guesser")), "payment_code_rate_limited");
  EXPECT_EQ(code_of(verify(good, "honest till")), "ok");
  clock_.advance_ns(61 * kSecondNs);
  EXPECT_EQ(code_of(verify(code_at(device, counter_now()), "guesser")), "ok");
}

TEST_F(PaymentCodeVerifierTest, RestartKeepsTheLastUsedCounter) {
  ProvisionedDevice device = provision();
  uint64_t t = counter_now();
  EXPECT_EQ(code_of(verify(code_at(device, t))), "ok");
  reopen();
  EXPECT_EQ(code_of(verify(code_at(device, t))), "payment_code_used");
  EXPECT_EQ(code_of(verify(code_at(device, t - 1))), "payment_code_used");
  EXPECT_EQ(code_of(verify(code_at(device, t + 1))), "ok");
}

TEST_F(PaymentCodeVerifierTest, FailureCountsSurviveARestart) {
  ProvisionedDevice device = provision();
  for (int i = 0; i < 3; ++i) (void)verify(wrong_code(device));
  reopen();
  for (int i = 0; i < 2; ++i) EXPECT_EQ(code_of(verify(wrong_code(device))), "payment_code_invalid");
  EXPECT_EQ(code_of(verify(code_at(device, counter_now()))), "payment_code_device_locked");
}

TEST_F(PaymentCodeVerifierTest, TheSecretIsSealedAtRestAndBoundToItsDevice) {
  ProvisionedDevice device = provision();
  ProvisionedDevice other = provision();
  std::string secret = *base32_decode(device.secret_base32);

  auto db = store::sqlite::SqliteDatabase::open(directory_.path() + "/mpay.db", {.read_only = true});
  ASSERT_TRUE(db.ok());
  auto select = (*db)->prepare("SELECT secret_sealed FROM payment_code_devices WHERE id = ?");
  ASSERT_TRUE(select.ok());
  (*select)->bind(1, device.device.id);
  ASSERT_TRUE(*(*select)->step());
  std::span<const std::byte> blob = (*select)->column_blob(0);
  std::string sealed(reinterpret_cast<const char*>(blob.data()), blob.size());
  EXPECT_EQ(sealed.size(), kDeviceSecretBytes + security::kSealedOverheadBytes);
  EXPECT_EQ(sealed.find(secret), std::string::npos);
  EXPECT_EQ(sealed.find(device.secret_base32), std::string::npos);
  select->reset();

  reopen();
  std::vector<PaymentCodeDevice> listed = devices_->list(kAlice);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].secret_sealed, sealed);
  Result<std::string> opened = devices_->open_secret(listed[0]);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, secret);

  PaymentCodeDevice swapped = listed[1];  // the other device's row holding this device's ciphertext
  ASSERT_EQ(swapped.id, other.device.id);
  swapped.secret_sealed = sealed;
  Result<std::string> refused = devices_->open_secret(swapped);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "sealed_data_tampered");
}

}  // namespace
}  // namespace mpay::qr
