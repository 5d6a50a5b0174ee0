// Internal to src/identity: the pieces of the citizen identity number standard that more than one
// document type uses. GB 11643-1999 《公民身份号码》 (Citizen identification number) defines the
// 18-character number: a 6-digit address code (GB/T 2260 administrative division code), an 8-digit
// birth date YYYYMMDD (GB/T 7408), a 3-digit sequence code whose last digit is odd for men and even
// for women, and a check character computed with ISO 7064:1983 MOD 11-2. The 2023 Foreign Permanent
// Resident ID Card reuses the birth date, sequence and check character positions (see
// identity_document.cc).
//
// Pure functions, thread-safe. Callers check lengths and digits first: a precondition violation is
// a programmer error (MPAY_CHECK).
#pragma once

#include <optional>
#include <string_view>

#include "identity/civil_date.h"

namespace mpay::identity::detail {

inline constexpr size_t kCitizenNumberLength = 18;
inline constexpr size_t kCitizenNumberBodyLength = 17;  // everything but the check character

// The MOD 11-2 check character for the first 17 characters, which must be ASCII digits: '0'..'9',
// or 'X' standing for the value 10.
char gb11643_check_character(std::string_view body);

// Whether two ASCII digits are the code of a mainland province-level division in GB/T 2260
// (provinces, autonomous regions and municipalities: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65).
bool is_mainland_province_code(std::string_view two_digits);

// Whether six ASCII digits can be the address code of a citizen identity number (the rule and its
// sources are in gb11643_internal.cc).
bool is_citizen_address_code(std::string_view six_digits);

// The date written as eight ASCII digits YYYYMMDD, if they are digits and name a real day.
std::optional<CivilDate> parse_compact_date(std::string_view yyyymmdd);

// A birth date the numbers accept: on or after 1900-01-01 and not after `today`.
bool is_plausible_birth_date(CivilDate birth_date, CivilDate today);

}  // namespace mpay::identity::detail
