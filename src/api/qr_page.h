// The page a phone's plain camera app opens from a code's URL form (GET /q/{token}): who is asking
// for how much, and the link that opens the mpay app on this payment (mpay://pay?token=...), with
// the token for apps that paste it. Small, self-contained HTML (no scripts, no outside resources);
// every value from a merchant is escaped.
#pragma once

#include <string>

#include "channels/qr/qr_context.h"

namespace mpay::api {

std::string code_landing_page(const qr::QrContext& context, const qr::MerchantCode& code,
                              const requests::MerchantProfile& merchant, int64_t now_ns);
std::string code_missing_page();
std::string html_escape(std::string_view text);

}  // namespace mpay::api
