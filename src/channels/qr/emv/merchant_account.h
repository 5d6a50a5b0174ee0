// Finding a payment system's merchant account in a payload and reading its subfields.
//
// What: a payload may carry several merchant accounts (02-51), one per payment system that accepts
// the code. Templates 26-51 name their payment system with a globally unique identifier (subfield
// 00: an AID such as "A000000677010111", a UUID, or a reverse domain name such as "br.gov.bcb.pix").
// Identifiers are compared ignoring ASCII case: "BR.GOV.BCB.PIX" and "br.gov.bcb.pix" both occur in
// the wild for the same system.
// Threads: pure, thread-safe; returned pointers and views point into the payload given, and live as
// long as it does unchanged.
// Failure: nullptr / nullopt when there is no such template or subfield; nothing throws.
#pragma once

#include <optional>
#include <string_view>

#include "channels/qr/emv/payload.h"

namespace mpay::qr {

// The first template (26-51) whose globally unique identifier is `globally_unique_identifier`.
const MerchantAccount* find_merchant_account(const MerchantPresentedPayload& payload,
                                             std::string_view globally_unique_identifier);

// The value of subfield `subfield_id` ("01") of a template, or nullopt.
std::optional<std::string_view> merchant_account_subfield(const MerchantAccount& account,
                                                          std::string_view subfield_id);

// Subfield 00 of a template; nullopt for primitive accounts (02-25).
std::optional<std::string_view> globally_unique_identifier(const MerchantAccount& account);

}  // namespace mpay::qr
