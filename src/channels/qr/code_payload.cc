#include "channels/qr/code_payload.h"
// TEMPORARY until emv/ lands.
namespace mpay::qr {
Result<std::string> build_code_payload(const QrOptions&, const requests::MerchantProfile&,
                                       const MerchantCode&, const NewMerchantCode&) {
  return Error("qr_unavailable", "not yet");
}
Result<std::string> token_of_scanned_text(const QrContext&, std::string_view) {
  return Error("qr_unavailable", "not yet");
}
}  // namespace mpay::qr
