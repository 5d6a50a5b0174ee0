#include "identity/identity_document.h"

#include <algorithm>
#include <utility>

#include "core/check.h"
#include "identity/gb11643_internal.h"

namespace mpay::identity {

namespace {

constexpr std::string_view kField = "document_number";

// Indexed by DocumentType; the names are the enumerators' names, used in JSON.
constexpr std::array<std::string_view, kDocumentTypes.size()> kTypeNames = {
    "mainland_id_card", "passport", "hk_macau_permit", "taiwan_permit",
    "foreign_permanent_residence_card"};

Error document_error(std::string_view code, std::string_view message) {
  return Error(std::string(code), std::string(message), std::string(kField));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool all_digits(std::string_view text) { return std::all_of(text.begin(), text.end(), is_digit); }
bool all_upper(std::string_view text) { return std::all_of(text.begin(), text.end(), is_upper); }

// Spaces removed, ASCII letters upper-cased; every other byte kept for the format check to refuse.
Result<std::string> normalize(std::string_view number) {
  if (number.size() > kDocumentNumberInputMax) {
    return document_error("document_format", "the document number is too long");
  }
  std::string normalized;
  normalized.reserve(number.size());
  for (char c : number) {
    if (c == ' ') continue;
    normalized.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  if (normalized.empty()) return document_error("document_empty", "the document number is empty");
  return normalized;
}

// 17 digits and a digit or X: the shape of every GB 11643-style number.
bool has_citizen_number_shape(std::string_view number) {
  return number.size() == detail::kCitizenNumberLength &&
         all_digits(number.substr(0, detail::kCitizenNumberBodyLength)) &&
         (is_digit(number.back()) || number.back() == 'X');
}

// The part GB 11643 numbers and 2023 permanent residence card numbers share: the birth date in
// characters 7-14, the sequence in 15-17 (the 17th odd for men, even for women), the MOD 11-2
// check character in 18. The caller has checked the shape and the characters before them.
Result<ValidatedDocument> check_citizen_number_tail(DocumentType type, std::string number,
                                                    CivilDate today) {
  std::optional<CivilDate> birth_date = detail::parse_compact_date(std::string_view(number).substr(6, 8));
  if (!birth_date || !detail::is_plausible_birth_date(*birth_date, today)) {
    return document_error("document_birth_date",
                          "the birth date in the document number is not a possible birth date");
  }
  std::string_view body = std::string_view(number).substr(0, detail::kCitizenNumberBodyLength);
  if (detail::gb11643_check_character(body) != number.back()) {
    return document_error("document_check_digit",
                          "the check character of the document number does not match");
  }
  char sex = (number[16] - '0') % 2 == 1 ? 'M' : 'F';
  return ValidatedDocument{type, std::move(number), birth_date, sex};
}

// Resident identity card, GB 11643-1999 《公民身份号码》 (18 characters; the standard's own
// examples are 11010519491231002X and 440524188001010014). The address code rule is in
// gb11643_internal.cc. First-generation cards with 15-digit numbers stopped being valid on
// 2013-01-01 (Ministry of Public Security notice on the end of first-generation resident identity
// cards), so a 15-digit number is document_format. The Residence Permit for Hong Kong, Macao and
// Taiwan Residents carries a number of the same standard (address codes 810000/820000/830000).
Result<ValidatedDocument> validate_mainland_id_card(std::string number, CivilDate today) {
  if (!has_citizen_number_shape(number)) {
    return document_error("document_format",
                          "a resident identity card number is 17 digits followed by a digit or X");
  }
  if (!detail::is_citizen_address_code(std::string_view(number).substr(0, 6))) {
    return document_error("document_region",
                          "the address code of the identity card number does not exist");
  }
  return check_citizen_number_tail(DocumentType::mainland_id_card, std::move(number), today);
}

// Passports: any ICAO Doc 9303 machine-readable passport. Part 4 (MRP) gives the document number
// 9 character positions in the MRZ, characters A-Z and 0-9 (shorter numbers are padded with the
// filler '<', longer ones continue in the optional data, which no passport we know of needs).
// We accept 6 to 9 characters with at least one digit: 9 is the field's size, 6 a floor below
// which a typing mistake is far likelier than a passport, and an all-letter "number" is a mistake.
// Without the holder's nationality no country-specific rule can be applied; Chinese passport forms
// are recognised by is_chinese_passport_number().
Result<ValidatedDocument> validate_passport(std::string number) {
  constexpr size_t kLengthMin = 6;
  constexpr size_t kLengthMax = 9;  // ICAO 9303 Part 4: the document number field
  bool alphanumeric = std::all_of(number.begin(), number.end(),
                                  [](char c) { return is_digit(c) || is_upper(c); });
  bool has_digit = std::any_of(number.begin(), number.end(), is_digit);
  if (number.size() < kLengthMin || number.size() > kLengthMax || !alphanumeric || !has_digit) {
    return document_error("document_format",
                          "a passport number is 6 to 9 letters and digits, with at least one digit");
  }
  return ValidatedDocument{DocumentType::passport, std::move(number), std::nullopt, std::nullopt};
}

// Mainland Travel Permit for Hong Kong and Macao Residents (港澳居民来往内地通行证). Ministry of
// Public Security Exit and Entry Administration, 《港澳居民来往内地通行证号码规则》 (published
// 2010-03-10, reported by China News Service the same day): 11 characters, H for Hong Kong or M for
// Macao residents, the holder's 8-digit lifetime number, then 2 digits counting the re-issues (00
// on the first permit). The first 9 characters stay the same across re-issues and are what many
// systems record, so H/M + 8 digits is accepted as well. (Not the permit mainland residents use to
// visit Hong Kong and Macao, 往来港澳通行证, which starts with C.)
Result<ValidatedDocument> validate_hk_macau_permit(std::string number) {
  bool shape = (number.size() == 9 || number.size() == 11) &&
               (number[0] == 'H' || number[0] == 'M') && all_digits(std::string_view(number).substr(1));
  if (!shape) {
    return document_error("document_format",
                          "a Hong Kong or Macao residents' permit number is H or M and 8 or 10 digits");
  }
  return ValidatedDocument{DocumentType::hk_macau_permit, std::move(number), std::nullopt,
                           std::nullopt};
}

// Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆通行证). Since 2008-09-25 the number is
// the holder's 8-digit lifetime number ("一人一号、终身不变"; the issue count and issuing-office code
// that older permits appended moved elsewhere on the document: China News Service, 2008-09-12).
// Booklets with the older 10-character numbers had five-year validity and have all expired; the
// card issued since 2015 keeps the 8-digit number. One-time short-term permits are not accepted
// for KYC.
Result<ValidatedDocument> validate_taiwan_permit(std::string number) {
  constexpr size_t kLength = 8;
  if (number.size() != kLength || !all_digits(number)) {
    return document_error("document_format", "a Taiwan residents' permit number is 8 digits");
  }
  return ValidatedDocument{DocumentType::taiwan_permit, std::move(number), std::nullopt,
                           std::nullopt};
}

// Foreign Permanent Resident ID Card (外国人永久居留身份证). National Immigration Administration,
// 《新版外国人永久居留身份证机读信息规则》 (2023; the new card is issued from 2023-12-01), sections 2-3:
// - the 2017 card's number is 15 characters: 3 Latin letters (the holder's country) + 12 digits.
//   The meaning of the 12 digits is not in that notice; we check only the shape.
// - the 2023 card's number follows the citizen number standard: 17 digits + a MOD 11-2 check
//   character, the first digit 9 (citizen numbers start with 1-8), the country now as a numeric
//   code. Its layout: 9, the 2-digit province code of the accepting office, the 3-digit
//   (ISO 3166-1 numeric) country code, the birth date YYYYMMDD, a 3-digit sequence whose last digit
//   is odd for men, the check character (the notice's table 1, as also read by public validators
//   such as github.com/howardli/CredentialKit). The country code is not checked against a table.
Result<ValidatedDocument> validate_foreign_permanent_residence_card(std::string number,
                                                                    CivilDate today) {
  constexpr size_t kLength2017 = 15;
  constexpr size_t kCountryLetters = 3;
  if (number.size() == kLength2017) {
    std::string_view text = number;
    if (!all_upper(text.substr(0, kCountryLetters)) || !all_digits(text.substr(kCountryLetters))) {
      return document_error("document_format",
                            "a 15-character permanent residence card number is 3 letters and 12 digits");
    }
    return ValidatedDocument{DocumentType::foreign_permanent_residence_card, std::move(number),
                             std::nullopt, std::nullopt};
  }
  if (!has_citizen_number_shape(number) || number[0] != '9') {
    return document_error("document_format",
                          "a permanent residence card number is 3 letters and 12 digits, or 9 and "
                          "16 digits followed by a digit or X");
  }
  if (!detail::is_mainland_province_code(std::string_view(number).substr(1, 2))) {
    return document_error("document_region",
                          "the province code of the permanent residence card number does not exist");
  }
  return check_citizen_number_tail(DocumentType::foreign_permanent_residence_card,
                                   std::move(number), today);
}

}  // namespace

std::string_view document_type_name(DocumentType type) {
  auto index = static_cast<size_t>(type);
  MPAY_CHECK(index < kTypeNames.size(), "document_type_name: not a DocumentType");
  return kTypeNames[index];
}

Result<DocumentType> parse_document_type(std::string_view name) {
  for (DocumentType type : kDocumentTypes) {
    if (document_type_name(type) == name) return type;
  }
  return Error("document_type_unknown", "unknown document type", "document_type");
}

Result<ValidatedDocument> validate_document(DocumentType type, std::string_view number,
                                            CivilDate today) {
  MPAY_CHECK(today.is_valid(), "validate_document: today is not a valid date");
  Result<std::string> normalized = normalize(number);
  if (!normalized.ok()) return normalized.error();
  std::string text = std::move(normalized).value();
  switch (type) {
    case DocumentType::mainland_id_card:
      return validate_mainland_id_card(std::move(text), today);
    case DocumentType::passport:
      return validate_passport(std::move(text));
    case DocumentType::hk_macau_permit:
      return validate_hk_macau_permit(std::move(text));
    case DocumentType::taiwan_permit:
      return validate_taiwan_permit(std::move(text));
    case DocumentType::foreign_permanent_residence_card:
      return validate_foreign_permanent_residence_card(std::move(text), today);
  }
  MPAY_CHECK(false, "validate_document: not a DocumentType");
  return document_error("document_format", "unknown document type");
}

// People's Republic of China passports. Ordinary passports: E + 8 digits since the electronic
// passport of 2012-05-15, then, with the E series used up, E + a second letter + 7 digits (EA, EB,
// ...; I and O reportedly left out as they read as 1 and 0); before 2012, G + 8 digits (ten-year validity,
// so all expired). Diplomatic (D), service (S) and public-affairs ordinary (P) passports: the letter
// + 7 or 8 digits, electronic ones DE, SE, PE + 7 digits. Sources: Passport Law of the PRC (2007)
// for the types; the Exit and Entry Administration's announcements of the electronic passport
// (2012) and public descriptions of the series; ICAO Doc 9303 for the 9-character field.
bool is_chinese_passport_number(std::string_view number) {
  if (number.size() != 9 && number.size() != 8) return false;
  std::string_view rest = number.substr(1);
  char first = number[0];
  if (number.size() == 9 && (first == 'E' || first == 'G' || first == 'D' || first == 'S' ||
                             first == 'P') && all_digits(rest)) {
    return true;
  }
  if (number.size() == 8) return (first == 'D' || first == 'S' || first == 'P') && all_digits(rest);
  char second = number[1];
  bool second_ok = first == 'E' ? is_upper(second) && second != 'I' && second != 'O'
                                : (first == 'D' || first == 'S' || first == 'P') && second == 'E';
  return second_ok && all_digits(number.substr(2));
}

}  // namespace mpay::identity
