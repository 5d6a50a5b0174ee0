// Fuzz target: the wallet API's request decoding (api/wallet_requests.h). The first input byte
// picks the decoder, the rest is the request body (for the transaction query: "name=value" lines).
//
// Properties:
// - an error carries a code and, for body errors, names a field or is a whole-body error; its
//   message is printable ASCII (never an echo of client bytes, which may be personal data);
// - a decoded request holds only strings within their documented lengths (in code points);
// - decoding never crashes, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/wallet_requests.h"
#include "core/check.h"
#include "decoder_checks.h"

namespace {

using mpay::Error;

size_t code_points(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

void check_error(const Error& error) {
  MPAY_CHECK(!error.code.empty(), "an error without a code");
  MPAY_CHECK(mpay::fuzz::printable_ascii(error.message), "an error message that is not printable ASCII");
}

template <typename T>
void check(const mpay::Result<T>& result) {
  if (!result.ok()) check_error(result.error());
}

void within(std::string_view text, size_t chars_max) {
  MPAY_CHECK(code_points(text) <= chars_max, "a decoded string is longer than its limit");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace mpay::api;
  switch (data[0] % 11) {
    case 0: check(decode_otp_request(body)); break;
    case 1: {
      auto request = decode_sign_up(body);
      check(request);
      if (request.ok()) {
        within(request->phone, 64);
        within(request->pin, 16);
        within(request->otp, 16);
      }
      break;
    }
    case 2: check(decode_session_request(body)); break;
    case 3: check(decode_pin_reset(body)); break;
    case 4: check(decode_pin_change(body)); break;
    case 5: {
      auto request = decode_kyc(body);
      check(request);
      if (request.ok()) within(request->full_name, mpay::wallet::kFullNameCharsMax);
      break;
    }
    case 6: check(decode_bank_link(body)); break;
    case 7: check(decode_bank_order(body, mpay::wallet::BankOrderKind::top_up)); break;
    case 8: check(decode_bank_order(body, mpay::wallet::BankOrderKind::withdrawal)); break;
    case 9: {
      auto request = decode_transfer(body, 140);
      check(request);
      if (request.ok() && request->note) within(*request->note, 140);
      break;
    }
    case 10: {
      auto query = decode_transaction_query(mpay::fuzz::query_of(body));
      check(query);
      if (query.ok()) {
        MPAY_CHECK(query->limit >= 1 && query->limit <= mpay::wallet::kTransactionsLimitMax, "limit out of range");
      }
      check(decode_freeze(body));
      break;
    }
  }
  return 0;
}
