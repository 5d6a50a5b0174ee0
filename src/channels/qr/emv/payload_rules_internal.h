// Internal to src/channels/qr/emv: the rules a MerchantPresentedPayload must satisfy, shared by
// build_payload and parse_payload so that both accept exactly the same payloads.
//
// What: presence of mandatory objects, lengths, character sets, known currency, amounts, the tip and
// convenience fee rules, allowed and unique IDs in templates and preserved objects.
// Threads: pure, thread-safe. Failure: the first broken rule, as an Error (codes in error_codes.h).
#pragma once

#include "channels/qr/emv/payload.h"
#include "core/error.h"

namespace mpay::qr::internal {

Status check_payload(const MerchantPresentedPayload& payload);

}  // namespace mpay::qr::internal
