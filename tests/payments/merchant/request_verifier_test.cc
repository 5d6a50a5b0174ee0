// Every refusal of the signed-request verifier, in its order, with a clock the test turns; and the
// restart rules (timestamps before the start, the durable future reservation).
#include "payments/merchant/request_verifier.h"

#include <gtest/gtest.h>

#include <map>

#include "payments/merchant/request_signature.h"

namespace mpay::merchant {
namespace {

constexpr int64_t kStartS = 1'767'225'600;
constexpr std::string_view kKeyId = "mk_000000000000000000000001";
constexpr std::string_view kSecret = "msk_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// Only the reservation is used by the verifier.
class ReservationRepository final : public MerchantRepository {
 public:
  Status insert_merchant(const MerchantRecord&, const MerchantKeyRecord&) override { return ok_status(); }
  Result<std::optional<MerchantRecord>> find_merchant(const MerchantId&) override { return std::optional<MerchantRecord>(); }
  Result<std::vector<MerchantRecord>> list_merchants(const MerchantId&, size_t) override { return std::vector<MerchantRecord>(); }
  Result<std::vector<MerchantRecord>> all_merchants() override { return std::vector<MerchantRecord>(); }
  Result<std::vector<MerchantKeyRecord>> all_keys() override { return std::vector<MerchantKeyRecord>(); }
  Status update_status(const MerchantId&, MerchantStatus, int64_t) override { return ok_status(); }
  Status update_webhook_secret(const MerchantId&, const std::string&, int64_t) override { return ok_status(); }
  Status insert_key(const MerchantKeyRecord&) override { return ok_status(); }
  Status revoke_key(const std::string&, int64_t) override { return ok_status(); }
  Status reserve_key_future(const std::string& key_id, int64_t until_s) override {
    if (fail) return Error("store_error", "disk on fire");
    reserved[key_id] = until_s;
    ++writes;
    return ok_status();
  }
  std::map<std::string, int64_t> reserved;
  int writes = 0;
  bool fail = false;
};

class RequestVerifierTest : public ::testing::Test {
 protected:
  RequestVerifierTest() {
    MerchantRecord merchant;
    merchant.id = merchant_id_;
    merchant.status = MerchantStatus::active;
    directory_.put_merchant(merchant, "whsec_x");
    directory_.put_key(ApiKey{std::string(kKeyId), merchant_id_, std::string(kSecret), KeyStatus::active, 0, 0, 0, 0});
  }

  // A correctly signed GET of /v1/merchant at `timestamp_s`.
  Result<MerchantId> send(int64_t timestamp_s, std::string nonce, std::string_view secret = kSecret,
                          std::string_view key_id = kKeyId) {
    std::string timestamp = std::to_string(timestamp_s);
    std::string signature = sign_request(secret, "GET", "/v1/merchant", timestamp, nonce, "");
    return verify({"GET", "/v1/merchant", "", key_id, timestamp, nonce, signature});
  }
  Result<MerchantId> verify(SignedRequest request) { return verifier_.verify(request); }
  std::string code_of(const Result<MerchantId>& result) { return result.ok() ? "ok" : result.error().code; }

  MerchantId merchant_id_{Id128{0x0190f4c27a3e7c41, 0x9b2d5e1f00000001}};
  ManualClock clock_{(kStartS + 10) * 1'000'000'000};
  SeededRandom random_{7};
  MerchantDirectory directory_;
  NonceMemory nonces_{{}, random_};
  ReservationRepository repository_;
  RequestVerifier verifier_{directory_, nonces_, repository_, clock_, kStartS};
};

TEST_F(RequestVerifierTest, AGoodRequestNamesItsMerchant) {
  Result<MerchantId> merchant = send(kStartS + 10, "n1");
  ASSERT_TRUE(merchant.ok()) << merchant.error().message;
  EXPECT_EQ(*merchant, merchant_id_);
  EXPECT_EQ(repository_.writes, 0);  // a timestamp at the server's clock writes nothing
}

TEST_F(RequestVerifierTest, MissingAndMalformedHeaders) {
  std::string timestamp = std::to_string(kStartS + 10);
  std::string signature(64, 'a');
  Result<MerchantId> missing = verify({"GET", "/v1/merchant", "", std::nullopt, timestamp, "n", signature});
  EXPECT_EQ(code_of(missing), "signature_headers_missing");
  EXPECT_EQ(missing.error().field, "X-Mpay-Key");
  EXPECT_EQ(verify({"GET", "/v1/merchant", "", kKeyId, std::nullopt, "n", signature}).error().field, "X-Mpay-Timestamp");
  EXPECT_EQ(verify({"GET", "/v1/merchant", "", kKeyId, timestamp, std::nullopt, signature}).error().field, "X-Mpay-Nonce");
  EXPECT_EQ(verify({"GET", "/v1/merchant", "", kKeyId, timestamp, "n", std::nullopt}).error().field, "X-Mpay-Signature");
  for (std::string_view bad_timestamp : {"", "-5", "1.5", "12345678901234", "0x10"}) {
    EXPECT_EQ(code_of(verify({"GET", "/v1/merchant", "", kKeyId, bad_timestamp, "n", signature})),
              "signature_header_invalid") << bad_timestamp;
  }
  EXPECT_EQ(verify({"GET", "/v1/merchant", "", kKeyId, timestamp, "a b", signature}).error().field, "X-Mpay-Nonce");
  EXPECT_EQ(verify({"GET", "/v1/merchant", "", kKeyId, timestamp, "n", std::string(64, 'A')}).error().field,
            "X-Mpay-Signature");
  EXPECT_EQ(verify({"GET", "/v1/merchant", "", kKeyId, timestamp, "n", std::string(63, 'a')}).error().field,
            "X-Mpay-Signature");
}

TEST_F(RequestVerifierTest, ClockSkewOfMoreThanFiveMinutesEitherWay) {
  int64_t now_s = kStartS + 1000;
  clock_.set_ns(now_s * 1'000'000'000);
  EXPECT_EQ(code_of(send(now_s - 300, "edge-past")), "ok");
  EXPECT_EQ(code_of(send(now_s + 300, "edge-future")), "ok");
  EXPECT_EQ(code_of(send(now_s - 301, "late")), "timestamp_skew");
  EXPECT_EQ(code_of(send(now_s + 301, "early")), "timestamp_skew");
}

TEST_F(RequestVerifierTest, UnknownRevokedBadSignatureSuspended) {
  EXPECT_EQ(code_of(send(kStartS + 10, "u", kSecret, "mk_ffffffffffffffffffffffff")), "key_unknown");
  EXPECT_EQ(code_of(send(kStartS + 10, "s", "msk_wrong")), "signature_invalid");
  MerchantRecord suspended = *directory_.find(merchant_id_);
  suspended.status = MerchantStatus::suspended;
  directory_.put_merchant(suspended, "whsec_x");
  EXPECT_EQ(code_of(send(kStartS + 10, "m")), "merchant_suspended");
  ApiKey key = *directory_.key(kKeyId);
  key.status = KeyStatus::revoked;
  directory_.put_key(key);
  EXPECT_EQ(code_of(send(kStartS + 10, "r")), "key_revoked");
}

TEST_F(RequestVerifierTest, ANonceIsUsedOnceAndOnlyByAValidSignature) {
  EXPECT_EQ(code_of(send(kStartS + 10, "n1", "msk_wrong")), "signature_invalid");
  EXPECT_EQ(code_of(send(kStartS + 10, "n1")), "ok");  // the forged try did not burn it
  EXPECT_EQ(code_of(send(kStartS + 10, "n1")), "nonce_reused");
  EXPECT_EQ(code_of(send(kStartS + 11, "n1")), "nonce_reused");  // a new timestamp does not help
}

TEST_F(RequestVerifierTest, AFullNonceMemoryAnswersBusy) {
  NonceMemory small({.per_key_max = 1, .total_max = 1}, random_);
  RequestVerifier verifier(directory_, small, repository_, clock_, kStartS);
  std::string timestamp = std::to_string(kStartS + 10);
  auto signed_request = [&](const std::string& nonce, std::string& signature) {
    signature = sign_request(kSecret, "GET", "/v1/merchant", timestamp, nonce, "");
    return SignedRequest{"GET", "/v1/merchant", "", kKeyId, timestamp, nonce, signature};
  };
  std::string first, second;
  EXPECT_TRUE(verifier.verify(signed_request("a", first)).ok());
  Result<MerchantId> full = verifier.verify(signed_request("b", second));
  EXPECT_EQ(code_of(full), "store_busy");
}

TEST_F(RequestVerifierTest, TimestampsBeforeTheStartAreRefused) {
  EXPECT_EQ(code_of(send(kStartS - 1, "before")), "timestamp_before_start");
  EXPECT_EQ(code_of(send(kStartS + 1, "after")), "ok");
}

// A process killed 0.3 s into second S and restarted 0.6 s into S: a request the first one
// accepted at S must not pass the second one (its nonce is no longer in memory).
TEST_F(RequestVerifierTest, ARequestOfTheStartSecondIsRefusedAfterARestartInThatSecond) {
  clock_.set_ns(kStartS * 1'000'000'000 + 300'000'000);
  NonceMemory before_nonces({}, random_);
  RequestVerifier before(directory_, before_nonces, repository_, clock_, kStartS - 60);
  std::string timestamp = std::to_string(kStartS);
  std::string signature = sign_request(kSecret, "GET", "/v1/merchant", timestamp, "captured", "");
  SignedRequest captured{"GET", "/v1/merchant", "", kKeyId, timestamp, "captured", signature};
  ASSERT_TRUE(before.verify(captured).ok());

  clock_.set_ns(kStartS * 1'000'000'000 + 600'000'000);
  NonceMemory after_nonces({}, random_);
  RequestVerifier after(directory_, after_nonces, repository_, clock_, kStartS);
  Result<MerchantId> replayed = after.verify(captured);
  EXPECT_EQ(code_of(replayed), "timestamp_before_start");
  EXPECT_EQ(replayed.error().field, "X-Mpay-Timestamp");
  clock_.set_ns((kStartS + 1) * 1'000'000'000);
  EXPECT_EQ(code_of(after.verify(captured)), "timestamp_before_start");  // and later on too
  EXPECT_EQ(code_of(send(kStartS + 1, "fresh")), "ok");
}

TEST_F(RequestVerifierTest, AFutureTimestampIsReservedDurablyOncePerLeap) {
  EXPECT_EQ(code_of(send(kStartS + 15, "f1")), "ok");
  EXPECT_EQ(repository_.writes, 1);
  EXPECT_EQ(repository_.reserved[std::string(kKeyId)], kStartS + 15 + kFutureReserveAheadS);
  EXPECT_EQ(code_of(send(kStartS + 20, "f2")), "ok");
  EXPECT_EQ(repository_.writes, 1);  // inside the reservation
  repository_.fail = true;
  EXPECT_EQ(code_of(send(kStartS + 200, "f3")), "store_error");
}

TEST_F(RequestVerifierTest, AfterARestartTheReservationLoadedAtStartIsAFloor) {
  // As if an earlier process had reserved up to start + 40 for this key.
  ApiKey key = *directory_.key(kKeyId);
  key.restart_floor_s = kStartS + 40;
  key.future_reserved_until_s = kStartS + 40;
  directory_.put_key(key);
  EXPECT_EQ(code_of(send(kStartS + 40, "old")), "timestamp_before_start");
  EXPECT_EQ(code_of(send(kStartS + 41, "new")), "ok");
}

}  // namespace
}  // namespace mpay::merchant
