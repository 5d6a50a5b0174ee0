#include "identity/kyc_verifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "identity/sandbox_kyc_verifier.h"

namespace mpay::identity {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr CivilDate kToday{2025, 6, 1};

ValidatedDocument document(DocumentType type, std::string_view number) {
  Result<ValidatedDocument> validated = validate_document(type, number, kToday);
  EXPECT_TRUE(validated.ok()) << number;
  return validated.ok() ? *validated : ValidatedDocument{};
}

KycRequest request(std::string full_name,
                   std::string_view id_number = "11010519491231002X",
                   DocumentType type = DocumentType::mainland_id_card) {
  return KycRequest{std::move(full_name), document(type, id_number), "kyc-1"};
}

SandboxKycOptions with_latency(milliseconds latency) {
  SandboxKycOptions options;
  options.latency = latency;
  return options;
}

SandboxKycOptions in_outage() {
  SandboxKycOptions options;
  options.outage = true;
  return options;
}

// "approved", a refusal's reason code, or "error:" + the error code.
std::string outcome(KycVerifier& verifier, const KycRequest& kyc_request) {
  Result<KycDecision> decision = verifier.verify(kyc_request);
  if (!decision.ok()) return "error:" + decision.error().code;
  EXPECT_EQ(decision->approved, decision->reason_code == "approved") << decision->reason_code;
  return decision->reason_code;
}

// --- describe_for_log ---

TEST(DescribeForLog, ExampleFromTheContract) {
  KycRequest kyc_request{"张三丰", document(DocumentType::mainland_id_card, "11010519491231002X"),
                         "kyc-42"};
  EXPECT_EQ(describe_for_log(kyc_request),
            "name=\"张**\" document=mainland_id_card:110***********002X reference=kyc-42");
}

TEST(DescribeForLog, EveryDocumentTypeIsNamedAndMasked) {
  EXPECT_EQ(describe_for_log({"John Smith", document(DocumentType::passport, "E12345678"), "r1"}),
            "name=\"J*** S****\" document=passport:E1*****78 reference=r1");
  EXPECT_EQ(describe_for_log({"陈大文", document(DocumentType::hk_macau_permit, "H1234567801"),
                              "r2"}),
            "name=\"陈**\" document=hk_macau_permit:H1******801 reference=r2");
  EXPECT_EQ(describe_for_log({"林小明", document(DocumentType::taiwan_permit, "07257456"), "r3"}),
            "name=\"林**\" document=taiwan_permit:07****56 reference=r3");
  EXPECT_EQ(describe_for_log({"Anna Lee", document(DocumentType::foreign_permanent_residence_card,
                                                   "USA310085061530"),
                              "r4"}),
            "name=\"A*** L**\" document=foreign_permanent_residence_card:USA********1530 "
            "reference=r4");
}

TEST(DescribeForLog, NeverContainsTheUnmaskedNameOrNumber) {
  const std::vector<KycRequest> requests = {
      {"张三丰", document(DocumentType::mainland_id_card, "11010519491231002X"), "a"},
      {"欧阳娜娜", document(DocumentType::mainland_id_card, "441900199203150045"), "b"},
      {"迪丽热巴·迪力木拉提", document(DocumentType::passport, "E12345678"), "c"},
      {"Mary-Jane Watson", document(DocumentType::hk_macau_permit, "M1234567802"), "d"},
      {"Li", document(DocumentType::taiwan_permit, "12345678"), "e"},
  };
  for (const KycRequest& kyc_request : requests) {
    std::string line = describe_for_log(kyc_request);
    const std::string& number = kyc_request.document.number;
    EXPECT_EQ(line.find(kyc_request.full_name), std::string::npos) << line;
    EXPECT_EQ(line.find(number), std::string::npos) << line;
    // Nor the masked middle of the number, where a birth date would be.
    std::string middle = number.substr(3, number.size() - 7);
    EXPECT_EQ(line.find(middle), std::string::npos) << line;
  }
}

TEST(DescribeForLog, QuotesAndBackslashesInTheNameAreMasked) {
  KycRequest quoted = request("\"Ace\" Smith");
  EXPECT_EQ(describe_for_log(quoted),
            "name=\"***** S****\" document=mainland_id_card:110***********002X reference=kyc-1");
  KycRequest backslashed = request("\\Bob Lee");
  std::string line = describe_for_log(backslashed);
  EXPECT_EQ(line.find('\\'), std::string::npos) << line;
  EXPECT_EQ(std::count(line.begin(), line.end(), '"'), 2) << line;
}

TEST(DescribeForLog, StaysOneLine) {
  for (std::string name : {std::string("\nJohn"), std::string("Li \r\nWei"),
                           std::string("\xFF" "\xFE"), std::string("\u2028Li")}) {
    KycRequest kyc_request = request(name);
    kyc_request.reference = "ref\nforged=1";
    std::string line = describe_for_log(kyc_request);
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    EXPECT_EQ(line.find("\u2028"), std::string::npos) << line;
    EXPECT_EQ(line.find('\xFF'), std::string::npos) << line;
    EXPECT_NE(line.find("reference=<invalid>"), std::string::npos) << line;
  }
}

TEST(DescribeForLog, ShowsOnlyWellFormedReferences) {
  auto shown_reference = [](std::string reference) {
    KycRequest kyc_request = request("张三丰");
    kyc_request.reference = std::move(reference);
    std::string line = describe_for_log(kyc_request);
    return line.substr(line.find(" reference=") + std::string(" reference=").size());
  };
  EXPECT_EQ(shown_reference("kyc-42"), "kyc-42");
  EXPECT_EQ(shown_reference("x"), "x");
  EXPECT_EQ(shown_reference("01J9Z~!#$%&'()*+,-./:;<=>?@[]^_`{|}"),
            "01J9Z~!#$%&'()*+,-./:;<=>?@[]^_`{|}");
  EXPECT_EQ(shown_reference(std::string(64, 'r')), std::string(64, 'r'));
  for (std::string invalid :
       {std::string(), std::string(65, 'r'), std::string("a b"), std::string("a\"b"),
        std::string("a\\b"), std::string("a\tb"), std::string("a\x7F" "b"),
        std::string("a\0b", 3), std::string("参考")}) {
    EXPECT_EQ(shown_reference(invalid), "<invalid>") << invalid;
  }
}

// --- SandboxKycVerifier ---

TEST(SandboxKycVerifier, ApprovesWhatNoRuleRefuses) {
  SandboxKycVerifier verifier;
  Result<KycDecision> decision = verifier.verify(request("张三丰"));
  ASSERT_TRUE(decision.ok());
  EXPECT_TRUE(decision->approved);
  EXPECT_EQ(decision->reason_code, "approved");
  EXPECT_EQ(outcome(verifier, request("John Smith", "E12345678", DocumentType::passport)),
            "approved");
  // Near misses of the trigger words.
  EXPECT_EQ(outcome(verifier, request("Not Found")), "approved");
  EXPECT_EQ(outcome(verifier, request("Rejec T")), "approved");
  EXPECT_EQ(outcome(verifier, request("OUT AGE")), "approved");
}

TEST(SandboxKycVerifier, OutageSwitchFromOptionsAndAtRunTime) {
  SandboxKycVerifier verifier(in_outage());
  Result<KycDecision> decision = verifier.verify(request("张三丰"));
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.error().code, "kyc_unavailable");

  verifier.set_outage(false);
  EXPECT_EQ(outcome(verifier, request("张三丰")), "approved");
  verifier.set_outage(true);
  EXPECT_EQ(outcome(verifier, request("张三丰")), "error:kyc_unavailable");
  EXPECT_EQ(verifier.verify_calls(), 3u);  // outages are counted too
}

TEST(SandboxKycVerifier, OutageSwitchComesBeforeEveryRefusal) {
  SandboxKycVerifier verifier(SandboxKycOptions{.denied_document_numbers = {"11010519491231002X"},
                                                .outage = true});
  for (const char* name : {"", "   ", "REJECT", "NOTFOUND", "张三丰"}) {
    EXPECT_EQ(outcome(verifier, request(name)), "error:kyc_unavailable") << name;
  }
}

TEST(SandboxKycVerifier, OutageInTheNameInAnyCase) {
  SandboxKycVerifier verifier(SandboxKycOptions{.denied_document_numbers = {"11010519491231002X"}});
  for (const char* name : {"OUTAGE", "outage", "Test Outage", "xoUtAGEx", "REJECT OUTAGE",
                           "NOTFOUND outage"}) {
    EXPECT_EQ(outcome(verifier, request(name)), "error:kyc_unavailable") << name;
  }
  EXPECT_EQ(verifier.verify_calls(), 6u);
}

TEST(SandboxKycVerifier, MissingName) {
  SandboxKycVerifier verifier(SandboxKycOptions{.denied_document_numbers = {"11010519491231002X"}});
  EXPECT_EQ(outcome(verifier, request("")), "name_missing");
  EXPECT_EQ(outcome(verifier, request("    ")), "name_missing");  // before the deny list
}

TEST(SandboxKycVerifier, RejectInTheNameInAnyCase) {
  SandboxKycVerifier verifier(SandboxKycOptions{.denied_document_numbers = {"11010519491231002X"}});
  for (const char* name : {"REJECT", "reject me", "Bob Rejecter", " REJECT NOTFOUND"}) {
    EXPECT_EQ(outcome(verifier, request(name)), "name_mismatch") << name;
  }
}

TEST(SandboxKycVerifier, NotFoundInTheNameInAnyCase) {
  SandboxKycVerifier verifier(SandboxKycOptions{.denied_document_numbers = {"11010519491231002X"}});
  for (const char* name : {"NOTFOUND", "notfound", "Li NotFound"}) {
    EXPECT_EQ(outcome(verifier, request(name)), "identity_not_found") << name;
  }
}

TEST(SandboxKycVerifier, DenyListEntriesAreNormalised) {
  SandboxKycVerifier verifier(
      SandboxKycOptions{.denied_document_numbers = {"110105 19491231 002x", " e1234 5678 "}});
  EXPECT_EQ(outcome(verifier, request("张三丰")), "document_blocked");
  EXPECT_EQ(outcome(verifier, request("John Smith", "E12345678", DocumentType::passport)),
            "document_blocked");
  EXPECT_EQ(outcome(verifier, request("John Smith", "E12345679", DocumentType::passport)),
            "approved");

  verifier.deny_document("g 1234 5678");
  EXPECT_EQ(outcome(verifier, request("John Smith", "G12345678", DocumentType::passport)),
            "document_blocked");
}

TEST(SandboxKycVerifier, DenyListMatchesWholeNumbersOfAnyType) {
  SandboxKycVerifier verifier;
  verifier.deny_document("12345678");
  EXPECT_EQ(outcome(verifier, request("林小明", "12345678", DocumentType::taiwan_permit)),
            "document_blocked");
  EXPECT_EQ(outcome(verifier, request("John Smith", "12345678", DocumentType::passport)),
            "document_blocked");
  EXPECT_EQ(outcome(verifier, request("John Smith", "123456789", DocumentType::passport)),
            "approved");  // a longer number that starts with the denied one
  EXPECT_EQ(outcome(verifier, request("John Smith", "1234567", DocumentType::passport)),
            "approved");
}

TEST(SandboxKycVerifier, LatencyDelaysDecisionsButNotOutages) {
  constexpr milliseconds kLatency{200};
  SandboxKycVerifier verifier(with_latency(kLatency));

  auto started = steady_clock::now();
  EXPECT_EQ(outcome(verifier, request("张三丰")), "approved");
  EXPECT_GE(steady_clock::now() - started, kLatency);

  started = steady_clock::now();
  EXPECT_EQ(outcome(verifier, request("REJECT")), "name_mismatch");
  EXPECT_GE(steady_clock::now() - started, kLatency);

  // Outages answer before the sleep: two of them together take less than one latency.
  started = steady_clock::now();
  EXPECT_EQ(outcome(verifier, request("OUTAGE")), "error:kyc_unavailable");
  verifier.set_outage(true);
  EXPECT_EQ(outcome(verifier, request("张三丰")), "error:kyc_unavailable");
  EXPECT_LT(steady_clock::now() - started, kLatency);
}

TEST(SandboxKycVerifierDeathTest, LatencyOutOfRange) {
  EXPECT_DEATH(
      {
        SandboxKycVerifier verifier(with_latency(kSandboxKycLatencyMax + milliseconds{1}));
      },
      "latency");
  EXPECT_DEATH({ SandboxKycVerifier verifier(with_latency(milliseconds{-1})); },
               "latency");
}

TEST(SandboxKycVerifier, ConcurrentVerifyAndDeny) {
  constexpr int kThreads = 4;
  constexpr int kCallsPerThread = 500;
  SandboxKycVerifier verifier;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&verifier, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        std::string number = "E" + std::to_string(10'000'000 + t * kCallsPerThread + i);
        verifier.deny_document(number);
        KycRequest kyc_request{"John Smith", ValidatedDocument{DocumentType::passport, number,
                                                               std::nullopt, std::nullopt},
                               "kyc"};
        Result<KycDecision> decision = verifier.verify(kyc_request);
        // Denied by this thread just before: every thread must see its own deny.
        EXPECT_TRUE(decision.ok() && decision->reason_code == "document_blocked") << number;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(verifier.verify_calls(), static_cast<uint64_t>(kThreads * kCallsPerThread));
}

TEST(SandboxKycVerifier, UsableThroughTheInterface) {
  SandboxKycVerifier sandbox(SandboxKycOptions{.denied_document_numbers = {"E12345678"}});
  KycVerifier& verifier = sandbox;
  EXPECT_EQ(outcome(verifier, request("John Smith", "E12345678", DocumentType::passport)),
            "document_blocked");
}

}  // namespace
}  // namespace mpay::identity
