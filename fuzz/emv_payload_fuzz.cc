// Fuzz target: EMVCo merchant-presented QR payloads (src/channels/qr/emv).
//
// parse_payload on the input as text. Properties:
// - it never crashes, and a rejection carries one of the documented qr_ codes (error_codes.h) and
//   a printable-ASCII message;
// - whatever parses rebuilds with build_payload, the rebuilt text is at most 512 characters and
//   ends with "6304" + its CRC, and it parses to the same model;
// - the same input with its CRC recomputed is parsed too (random damage rarely survives the CRC,
//   and the checks behind it would otherwise go untested).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "channels/qr/emv/emv.h"
#include "core/check.h"

namespace {

bool documented_error(const std::string& code) {
  namespace e = mpay::qr::error_code;
  for (std::string_view known :
       {e::kPayloadEmpty, e::kPayloadTooLong, e::kUtf8Invalid, e::kIdInvalid, e::kLengthInvalid,
        e::kPayloadTruncated, e::kTemplateTruncated, e::kDuplicateId, e::kCrcMissing, e::kCrcNotLast,
        e::kDataAfterCrc, e::kCrcFormatInvalid, e::kCrcMismatch, e::kFormatIndicatorNotFirst,
        e::kFormatIndicatorInvalid, e::kInitiationInvalid, e::kFieldMissing, e::kFieldLengthInvalid,
        e::kFieldCharactersInvalid, e::kCurrencyUnknown, e::kAmountInvalid, e::kMerchantAccountMissing,
        e::kGloballyUniqueIdentifierMissing, e::kTipIndicatorInvalid, e::kConvenienceFeeMissing,
        e::kConvenienceFeeUnexpected, e::kConvenienceFeeInvalid}) {
    if (code == known) return true;
  }
  return false;
}

bool printable_ascii(const std::string& text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

void check_payload_text(std::string_view text) {
  auto parsed = mpay::qr::parse_payload(text);
  if (!parsed.ok()) {
    MPAY_CHECK(documented_error(parsed.error().code), "parse_payload: undocumented error code");
    MPAY_CHECK(printable_ascii(parsed.error().message), "parse_payload: message not printable ASCII");
    return;
  }
  auto rebuilt = mpay::qr::build_payload(*parsed);
  MPAY_CHECK(rebuilt.ok(), "build_payload refused a payload parse_payload accepted");
  const std::string& built = *rebuilt;
  MPAY_CHECK(built.size() >= 8 && built.compare(built.size() - 8, 4, "6304") == 0, "the CRC is not last");
  MPAY_CHECK(built.substr(built.size() - 4) ==
                 mpay::qr::crc_text(mpay::qr::crc16_ccitt_false(std::string_view(built).substr(0, built.size() - 4))),
             "build_payload wrote a wrong CRC");
  auto again = mpay::qr::parse_payload(built);
  MPAY_CHECK(again.ok(), "a rebuilt payload does not parse");
  MPAY_CHECK(*again == *parsed, "a rebuilt payload parses to a different model");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  check_payload_text(text);
  // The same payload with a correct CRC: whatever ends in "6304XXXX" gets XXXX recomputed.
  if (size >= 8 && text.compare(size - 8, 4, "6304") == 0) {
    std::string fixed(text.substr(0, size - 4));
    fixed.append(mpay::qr::crc_text(mpay::qr::crc16_ccitt_false(fixed)));
    check_payload_text(fixed);
  }
  return 0;
}
