// Identity documents for real-name KYC: the document types a user may present, their names in
// JSON, and format validation of a document number.
//
// validate_document() checks what can be checked offline: the characters and length of the number
// for its type, and where the number encodes them, its check character, address code and birth
// date. It says nothing about whether the document exists or belongs to the user: that is the
// KycVerifier's job (kyc_verifier.h). The exact rule for each type, with its sources, is next to
// its code in identity_document.cc and summarised in src/identity/README.md:
//
//   mainland_id_card    18 characters: 17 digits + a digit or X (GB 11643-1999): address code,
//                       birth date, sequence (17th digit odd = 'M'), MOD 11-2 check character.
//                       Also the numbers of the Residence Permit for Hong Kong, Macao and Taiwan
//                       Residents (address codes 810000, 820000, 830000). The 15-digit numbers of
//                       first-generation cards (invalid since 2013-01-01) are refused.
//   passport            any ICAO 9303 passport number: 6 to 9 characters A-Z 0-9 with at least one
//                       digit. Chinese passports (E + 8 digits, E + letter + 7 digits, G + 8 digits,
//                       ...) are a subset: is_chinese_passport_number() tells them apart.
//   hk_macau_permit     Mainland Travel Permit for Hong Kong and Macao Residents: H (Hong Kong) or
//                       M (Macao) + the 8-digit lifetime number + the 2-digit issue count (11
//                       characters), or without the issue count (9 characters: the part that
//                       stays the same for the holder, which many systems record alone).
//   taiwan_permit       Mainland Travel Permit for Taiwan Residents: the 8-digit lifetime number.
//   foreign_permanent_residence_card
//                       2017 card: 3 letters + 12 digits (15 characters);
//                       2023 card: 18 characters: 9, province code, 3-digit nationality code,
//                       birth date, sequence (17th digit odd = 'M'), MOD 11-2 check character.
//
// Normalisation: ASCII spaces are removed and ASCII letters upper-cased ("11010519491231002x" and
// "110105 19491231 002X" both give "11010519491231002X"); nothing else is changed, so any other
// character makes the number fail. Error messages never repeat the input.
//
// Pure functions, thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "identity/civil_date.h"

namespace mpay::identity {

enum class DocumentType {
  mainland_id_card,
  passport,
  hk_macau_permit,
  taiwan_permit,
  foreign_permanent_residence_card,
};

inline constexpr std::array<DocumentType, 5> kDocumentTypes = {
    DocumentType::mainland_id_card, DocumentType::passport, DocumentType::hk_macau_permit,
    DocumentType::taiwan_permit, DocumentType::foreign_permanent_residence_card};

// The JSON name: the enumerator's name, e.g. "mainland_id_card".
std::string_view document_type_name(DocumentType type);

// The type named `name`, exactly as document_type_name spells it (case-sensitive).
// Error: document_type_unknown (field "document_type").
Result<DocumentType> parse_document_type(std::string_view name);

struct ValidatedDocument {
  DocumentType type = DocumentType::mainland_id_card;
  std::string number;                   // normalised: upper case, no spaces, only A-Z 0-9
  std::optional<CivilDate> birth_date;  // when the number encodes it
  std::optional<char> sex;              // 'M' or 'F' when the number encodes it

  friend bool operator==(const ValidatedDocument&, const ValidatedDocument&) = default;
};

// Longest input accepted before normalisation (spaces included); longer input is document_format.
inline constexpr size_t kDocumentNumberInputMax = 64;

// Validates `number` as a document of `type`. `today` (the caller's calendar day, e.g.
// civil_date_from_unix_ns(clock.now_ns(), kChinaStandardTimeOffsetMinutes)) bounds birth dates; it
// must be a valid date (MPAY_CHECK). Errors, all with field "document_number", checked in this
// order:
//   document_empty        nothing but spaces
//   document_format       wrong length or characters for the type (including a leading 9 on a
//                         18-character foreign permanent residence card that is not all digits)
//   document_region       the address code (mainland card) or province code (2023 foreign
//                         permanent residence card) cannot exist
//   document_birth_date   the encoded birth date is not a real day, is before 1900-01-01 or is
//                         after `today`
//   document_check_digit  the MOD 11-2 check character does not match
// Success returns the normalised number; validating it again gives the same ValidatedDocument.
Result<ValidatedDocument> validate_document(DocumentType type, std::string_view number,
                                            CivilDate today);

// Whether a normalised passport number has the form of a passport of the People's Republic of
// China (ordinary: E + 8 digits, E + letter other than I and O + 7 digits, or the pre-2012 G + 8
// digits; diplomatic, service and public-affairs: D, S or P + 7 or 8 digits, DE, SE or PE + 7
// digits). Informative only: validate_document(passport, ...) accepts every ICAO passport number,
// since the holder's nationality is not part of the number.
bool is_chinese_passport_number(std::string_view normalized_number);

}  // namespace mpay::identity
