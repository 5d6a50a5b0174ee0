// Internal to src/channels/qr/emv: the character sets of EMV QRCPS MPM section 4.x.
//
// What: "N" (digits), "ans" (alphanumeric special: the printable ASCII characters 0x20-0x7E) and
// two-digit IDs. Threads: pure, thread-safe. Failure: predicates only, they return false.
#pragma once

#include <optional>
#include <string_view>

namespace mpay::qr::internal {

bool is_digits(std::string_view text);                  // "N", non-empty
bool is_alphanumeric_special(std::string_view text);    // "ans": every byte in 0x20..0x7E
bool is_upper_case_letters(std::string_view text);      // "A".."Z", non-empty
bool is_ascii_letters(std::string_view text);           // "A".."Z", "a".."z", non-empty

// The numeric value of a two-digit ID ("07" -> 7), or nullopt if `id` is not two digits.
std::optional<int> id_number(std::string_view id);

// Two-digit text of an ID number 0..99 ("7" -> "07").
std::string_view id_text(int number);

// ASCII case-insensitive equality (globally unique identifiers: "BR.GOV.BCB.PIX" == "br.gov.bcb.pix").
bool equal_ignoring_ascii_case(std::string_view a, std::string_view b);

}  // namespace mpay::qr::internal
