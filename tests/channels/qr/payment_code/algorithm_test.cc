// The public algorithm against published vectors (RFC 6238 Appendix B SHA-256, RFC 4648 section 10,
// the classic Luhn example) and against the worked example in README.md.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "channels/qr/payment_code/base32.h"
#include "channels/qr/payment_code/hotp.h"
#include "channels/qr/payment_code/luhn.h"
#include "channels/qr/payment_code/payment_code_format.h"
#include "channels/qr/payment_code/payment_code_limits.h"

namespace mpay::qr {
namespace {

std::string hex(const Sha256Mac& mac) {
  std::string text;
  char buffer[3];
  for (uint8_t byte : mac) {
    std::snprintf(buffer, sizeof buffer, "%02x", byte);
    text += buffer;
  }
  return text;
}

std::string worked_example_secret() {
  std::string secret(32, '\0');
  for (size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<char>(i);
  return secret;
}

// RFC 6238 Appendix B, SHA-256 column: time step 30 s, 8 digits.
struct TotpVector {
  int64_t unix_seconds;
  uint32_t totp;
};
constexpr TotpVector kRfc6238Sha256[] = {
    {59, 46119246},         {1111111109, 68084774}, {1111111111, 67062674},
    {1234567890, 91819424}, {2000000000, 90698825}, {20000000000, 77737706},
};
constexpr std::string_view kRfc6238Sha256Seed = "12345678901234567890123456789012";

TEST(HotpSha256, MatchesRfc6238AppendixBWithEightDigits) {
  for (const TotpVector& vector : kRfc6238Sha256) {
    EXPECT_EQ(hotp_sha256(kRfc6238Sha256Seed, static_cast<uint64_t>(vector.unix_seconds / 30), 8), vector.totp)
        << vector.unix_seconds;
  }
}

TEST(HotpSha256, SevenDigitsAreTheLastSevenOfTheRfcValue) {
  for (const TotpVector& vector : kRfc6238Sha256) {
    EXPECT_EQ(hotp_sha256(kRfc6238Sha256Seed, static_cast<uint64_t>(vector.unix_seconds / 30), 7),
              vector.totp % 10'000'000)
        << vector.unix_seconds;
  }
  // Spelled out, for app developers comparing by eye: T = 59 s -> 46119246 -> 6119246.
  EXPECT_EQ(hotp_sha256(kRfc6238Sha256Seed, 1, 7), 6119246u);
}

TEST(HotpSha256, WorkedExampleIntermediateValues) {
  std::string message("\x00\x00\x00\x00\x06\xc1\x54\x55", 8);  // counter 113333333
  Sha256Mac mac = hmac_sha256(worked_example_secret(), message);
  EXPECT_EQ(hex(mac), "84cc4e6be9f6e255d36a977033182b00bc2a00a5762381276162ab09fa931204");
  EXPECT_EQ(mac.back() & 0x0F, 4);
  EXPECT_EQ(dynamic_truncation(mac), 1777787477u);
  EXPECT_EQ(payment_code_otp(worked_example_secret(), 113333333), 7787477u);
}

TEST(Base32, EncodesRfc4648Section10VectorsWithoutPadding) {
  EXPECT_EQ(base32_encode(""), "");
  EXPECT_EQ(base32_encode("f"), "MY");
  EXPECT_EQ(base32_encode("fo"), "MZXQ");
  EXPECT_EQ(base32_encode("foo"), "MZXW6");
  EXPECT_EQ(base32_encode("foob"), "MZXW6YQ");
  EXPECT_EQ(base32_encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
}

TEST(Base32, DecodesRfc4648Section10Vectors) {
  for (std::string_view plain : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    Result<std::string> decoded = base32_decode(base32_encode(plain));
    ASSERT_TRUE(decoded.ok()) << plain;
    EXPECT_EQ(*decoded, plain);
  }
  EXPECT_EQ(*base32_decode("MZXW6YTBOI"), "foobar");
}

TEST(Base32, RoundTripsADeviceSecret) {
  std::string secret = worked_example_secret();
  std::string text = base32_encode(secret);
  EXPECT_EQ(text, "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ");
  EXPECT_EQ(text.size(), 52u);
  EXPECT_EQ(*base32_decode(text), secret);
}

TEST(Base32, RefusesWhatIsNotCanonical) {
  for (std::string_view bad : {"my", "MY======", "M", "MZX", "MZXW6Y", "MZ", "MY1", "MY 8"}) {
    Result<std::string> decoded = base32_decode(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error().code, "base32_invalid") << bad;
  }
}

TEST(Luhn, ComputesTheClassicExample) {
  EXPECT_EQ(luhn_check_digit("7992739871"), '3');
  EXPECT_TRUE(luhn_valid("79927398713"));
  EXPECT_FALSE(luhn_valid("79927398714"));
  EXPECT_TRUE(luhn_valid("4539148803436467"));
  EXPECT_EQ(luhn_check_digit("0"), '0');
  EXPECT_EQ(luhn_check_digit("88314159267787477"), '3');
}

TEST(Luhn, CatchesEverySingleDigitChangeAndAdjacentSwapInACode) {
  const std::string code = "883141592677874773";
  ASSERT_TRUE(luhn_valid(code));
  for (size_t i = 0; i < code.size(); ++i) {
    for (char digit = '0'; digit <= '9'; ++digit) {
      if (digit == code[i]) continue;
      std::string typo = code;
      typo[i] = digit;
      EXPECT_FALSE(luhn_valid(typo)) << typo;
    }
  }
  for (size_t i = 0; i + 1 < code.size(); ++i) {
    std::string swapped = code;
    std::swap(swapped[i], swapped[i + 1]);
    bool is_09_pair = (code[i] == '0' && code[i + 1] == '9') || (code[i] == '9' && code[i + 1] == '0');
    if (swapped != code && !is_09_pair) {
      EXPECT_FALSE(luhn_valid(swapped)) << swapped;
    }
  }
}

TEST(PaymentCodeFormat, CounterIsUnixSecondsOverFifteen) {
  EXPECT_EQ(counter_at(0), 0u);
  EXPECT_EQ(counter_at(14'999'999'999), 0u);
  EXPECT_EQ(counter_at(15'000'000'000), 1u);
  EXPECT_EQ(counter_at(1'700'000'000'000'000'000), 113333333u);
}

TEST(PaymentCodeFormat, PublishedTestVectors) {
  // README.md lists these; phone apps check themselves against them.
  std::string secret = worked_example_secret();
  EXPECT_EQ(make_payment_code(secret, 31415926, 113333333), "883141592677874773");
  EXPECT_EQ(make_payment_code(secret, 31415926, 113333334), "883141592677281995");
  EXPECT_EQ(make_payment_code(secret, 10000000, 0), make_payment_code(secret, 10000000, 0));
  std::string rfc_seed(kRfc6238Sha256Seed);
  EXPECT_EQ(make_payment_code(rfc_seed, 12345678, 1).substr(0, 17), "88123456786119246");
}

TEST(PaymentCodeFormat, CodesAreEighteenDigitsAndParseBack) {
  std::string secret = worked_example_secret();
  for (uint64_t counter = 113333000; counter < 113334000; ++counter) {
    std::string code = make_payment_code(secret, 99999999, counter);
    ASSERT_EQ(code.size(), kPaymentCodeDigits);
    Result<ParsedPaymentCode> parsed = parse_payment_code(code);
    ASSERT_TRUE(parsed.ok()) << code;
    EXPECT_EQ(parsed->device_number, 99999999u);
    EXPECT_EQ(parsed->otp, payment_code_otp(secret, counter));
  }
}

TEST(PaymentCodeFormat, MalformedCodesAreRefused) {
  const std::string good = "883141592677874773";
  ASSERT_TRUE(parse_payment_code(good).ok());
  std::string wrong_prefix = "87314159267787477";
  wrong_prefix.push_back(luhn_check_digit(wrong_prefix));
  std::string leading_zero_device = "88014159267787477";
  leading_zero_device.push_back(luhn_check_digit(leading_zero_device));
  for (const std::string& bad :
       {std::string(""), good.substr(0, 17), good + "0", std::string("88314159267787477X"),
        std::string("8831 4159 2677 8747 73"), std::string(" 883141592677874773"),
        std::string("883141592677874774"), wrong_prefix, leading_zero_device}) {
    Result<ParsedPaymentCode> parsed = parse_payment_code(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, "payment_code_malformed") << bad;
    EXPECT_EQ(parsed.error().field, "code");
  }
}

}  // namespace
}  // namespace mpay::qr
