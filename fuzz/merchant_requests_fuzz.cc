// Fuzz target: what a merchant's or an operator's request brings in from outside, on the merchant
// API: the onboarding body (api/merchant_requests.h), the list query, and the four signature
// headers with the request target (merchant::RequestVerifier, against one known key). The first
// input byte picks which; the rest is the body, or "name=value" lines for the query, or
// "key\ntimestamp\nnonce\nsignature\ntarget" for the headers.
//
// Properties:
// - nothing crashes, whatever the bytes;
// - an error has a code from the documented set and a printable-ASCII message (never an echo of
//   client bytes);
// - a decoded application holds strings within their limits; a list limit stays in 1..100;
// - the verifier accepts only a request whose signature is the right one for its parts, and never
//   the same nonce twice.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/merchant_requests.h"
#include "core/check.h"
#include "payments/merchant/merchant_admin.h"
#include "payments/merchant/request_signature.h"
#include "payments/merchant/webhook_url.h"
#include "payments/merchant/request_verifier.h"

namespace {

using namespace mpay;
using namespace mpay::merchant;

constexpr int64_t kNowS = 1'767'225'600;
constexpr std::string_view kKeyId = "mk_000000000000000000000001";
constexpr std::string_view kSecret = "msk_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

bool printable_ascii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

size_t code_points(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

void check_error(const Error& error) {
  MPAY_CHECK(!error.code.empty(), "an error without a code");
  MPAY_CHECK(printable_ascii(error.message), "an error message that is not printable ASCII");
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

class NoStore final : public MerchantRepository {
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
  Status reserve_key_future(const std::string&, int64_t) override { return ok_status(); }
};

void fuzz_application(std::string_view body) {
  Result<MerchantApplication> application = api::decode_merchant_application(body);
  if (!application.ok()) return check_error(application.error());
  MPAY_CHECK(code_points(application->legal_name) <= kLegalNameCharsMax, "legal_name over its limit");
  MPAY_CHECK(code_points(application->display_name) <= kDisplayNameCharsMax, "display_name over its limit");
  MPAY_CHECK(application->mcc.size() <= 4 && application->country.size() <= 2, "mcc or country over its limit");
  MPAY_CHECK(code_points(application->webhook_url) <= kWebhookUrlCharsMax, "webhook_url over its limit");
  Result<std::vector<Currency>> valid = validate_application(*application, *currency_by_code("CNY"));
  if (!valid.ok()) check_error(valid.error());
}

void fuzz_query(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> query;
  for (const std::string& line : lines_of(text)) {
    size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    query.emplace_back(line.substr(0, equals), line.substr(equals + 1));
  }
  Result<api::MerchantListQuery> list = api::decode_merchant_list_query(query);
  if (!list.ok()) {
    MPAY_CHECK(!list.error().code.empty(), "an error without a code");
    return;
  }
  MPAY_CHECK(list->limit >= 1 && list->limit <= kListLimitMax, "a list limit outside 1..100");
}

void fuzz_signature(std::string_view text) {
  static const std::set<std::string> kCodes = {
      "signature_headers_missing", "signature_header_invalid", "timestamp_skew", "timestamp_before_start",
      "key_unknown", "key_revoked", "signature_invalid", "merchant_suspended", "nonce_reused", "store_busy"};
  std::vector<std::string> parts = lines_of(text);
  parts.resize(5);
  // An empty line stands for an absent header.
  auto header = [&](size_t index) -> std::optional<std::string_view> {
    if (parts[index].empty()) return std::nullopt;
    return std::string_view(parts[index]);
  };
  // A signature field of "*" asks for the right signature, so accepted paths get exercised too.
  std::string signature = parts[3] == "*" ? sign_request(kSecret, "POST", parts[4], parts[1], parts[2], "{}") : parts[3];
  ManualClock clock(kNowS * 1'000'000'000);
  SeededRandom random(1);
  MerchantDirectory directory;
  MerchantId merchant(Id128{1, 1});
  MerchantRecord record;
  record.id = merchant;
  directory.put_merchant(record, "whsec_x");
  directory.put_key(ApiKey{std::string(kKeyId), merchant, std::string(kSecret), KeyStatus::active, 0, 0, 0, 0});
  NonceMemory nonces({}, random);
  NoStore store;
  RequestVerifier verifier(directory, nonces, store, clock, kNowS - 600);
  SignedRequest request{"POST", parts[4], "{}", header(0), header(1), header(2),
                        signature.empty() ? std::nullopt : std::optional<std::string_view>(signature)};
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<MerchantId> verified = verifier.verify(request);
    if (!verified.ok()) {
      check_error(verified.error());
      MPAY_CHECK(kCodes.contains(verified.error().code), "an undocumented refusal code");
      return;
    }
    MPAY_CHECK(attempt == 0, "the same nonce was accepted twice");
    MPAY_CHECK(*verified == merchant, "accepted for another merchant");
    MPAY_CHECK(parts[0] == kKeyId && signature == sign_request(kSecret, "POST", parts[4], parts[1], parts[2], "{}"),
               "accepted a request whose signature is not the right one");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: fuzz_application(rest); break;
    case 1: fuzz_query(rest); break;
    default: fuzz_signature(rest); break;
  }
  return 0;
}
