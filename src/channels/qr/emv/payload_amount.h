// Amounts in a payload (54 transaction amount, 56 fixed convenience fee) and integer minor units.
//
// What: the spec writes amounts as decimal text ("23.72", "98." and "98" are all allowed) of at most
// 13 characters, digits with at most one '.', no sign, and no more fraction digits than the
// currency's ISO 4217 exponent. These functions convert that text to int64 minor units and back
// exactly, without floating point, through core/money.h.
// Threads: pure, thread-safe.
// Failure: qr_amount_invalid (malformed text, too many fraction digits, negative minor units),
// qr_field_length_invalid (more than 13 characters), qr_field_missing (payload without 54),
// qr_currency_unknown (payload currency not in the table). Error::field is "54" unless stated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "channels/qr/emv/payload.h"
#include "core/currency.h"
#include "core/error.h"

namespace mpay::qr {

// "23.72" CNY -> 2372; "98." JPY -> 98; "0.5" KWD -> 500. `field` names the data object in errors.
Result<int64_t> amount_text_to_minor(std::string_view text, const Currency& currency,
                                     std::string_view field = "54");

// 2372 CNY -> "23.72"; 98 JPY -> "98". Refuses negative amounts and texts over 13 characters.
Result<std::string> amount_text_from_minor(int64_t minor, const Currency& currency,
                                           std::string_view field = "54");

// The transaction amount (54) of a payload in minor units of its currency (53).
Result<int64_t> payload_amount_minor(const MerchantPresentedPayload& payload);

}  // namespace mpay::qr
