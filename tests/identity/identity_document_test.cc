#include "identity/identity_document.h"

#include <gtest/gtest.h>

#include <string>

namespace mpay::identity {
namespace {

constexpr CivilDate kToday{2025, 6, 1};

// The code of a validation that must fail; "<ok NUMBER>" if it unexpectedly succeeded.
std::string error_code(DocumentType type, std::string_view number, CivilDate today = kToday) {
  Result<ValidatedDocument> result = validate_document(type, number, today);
  if (result.ok()) return "<ok " + result->number + ">";
  EXPECT_EQ(result.error().field, "document_number") << number;
  // Blank input has nothing to leak, and any message "contains" the empty string.
  bool blank = number.find_first_not_of(' ') == std::string_view::npos;
  if (!blank) {
    EXPECT_EQ(result.error().message.find(std::string(number)), std::string::npos)
        << "an error message repeats the input " << number;
  }
  return result.error().code;
}

ValidatedDocument valid(DocumentType type, std::string_view number, CivilDate today = kToday) {
  Result<ValidatedDocument> result = validate_document(type, number, today);
  EXPECT_TRUE(result.ok()) << number << ": " << (result.ok() ? "" : result.error().code);
  return result.ok() ? *result : ValidatedDocument{};
}

// --- names ---

TEST(DocumentTypeNames, RoundTrip) {
  EXPECT_EQ(document_type_name(DocumentType::mainland_id_card), "mainland_id_card");
  EXPECT_EQ(document_type_name(DocumentType::passport), "passport");
  EXPECT_EQ(document_type_name(DocumentType::hk_macau_permit), "hk_macau_permit");
  EXPECT_EQ(document_type_name(DocumentType::taiwan_permit), "taiwan_permit");
  EXPECT_EQ(document_type_name(DocumentType::foreign_permanent_residence_card),
            "foreign_permanent_residence_card");
  for (DocumentType type : kDocumentTypes) {
    Result<DocumentType> parsed = parse_document_type(document_type_name(type));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, type);
  }
}

TEST(DocumentTypeNames, UnknownNames) {
  for (const char* name : {"", "MAINLAND_ID_CARD", "id_card", "passport ", "hk_macao_permit"}) {
    Result<DocumentType> parsed = parse_document_type(name);
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_EQ(parsed.error().code, "document_type_unknown");
    EXPECT_EQ(parsed.error().field, "document_type");
  }
}

// --- mainland resident identity card ---
// Numbers other than the standard's own examples were made up for these tests (address code, date,
// sequence chosen; check character computed with the weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
// check = (12 - sum mod 11) mod 11, 10 written X). The sum is given next to each.

TEST(MainlandIdCard, StandardExample) {
  // GB 11643-1999's example: Beijing Chaoyang (110105), born 1949-12-31, sequence 002 (even:
  // female), check X (sum 167; 167 mod 11 = 2; 12 - 2 = 10).
  ValidatedDocument document = valid(DocumentType::mainland_id_card, "11010519491231002X");
  EXPECT_EQ(document.type, DocumentType::mainland_id_card);
  EXPECT_EQ(document.number, "11010519491231002X");
  EXPECT_EQ(document.birth_date, (CivilDate{1949, 12, 31}));
  EXPECT_EQ(document.sex, 'F');
}

TEST(MainlandIdCard, LowerCaseXAndSpacesAreNormalised) {
  for (const char* form : {"11010519491231002x", "110105 19491231 002x", " 11010519491231002X ",
                           "110105 1949 1231 002 X"}) {
    EXPECT_EQ(valid(DocumentType::mainland_id_card, form).number, "11010519491231002X") << form;
  }
}

TEST(MainlandIdCard, MaleAndEarliestBirthDate) {
  // 1900-01-01, sequence 001 (odd: male); sum 68, 68 mod 11 = 2, check X.
  ValidatedDocument document = valid(DocumentType::mainland_id_card, "11010519000101001X");
  EXPECT_EQ(document.birth_date, (CivilDate{1900, 1, 1}));
  EXPECT_EQ(document.sex, 'M');
}

TEST(MainlandIdCard, LeapDayBirthDates) {
  // 2000-02-29 (a leap year: divisible by 400); sum 130, 130 mod 11 = 9, check 3.
  ValidatedDocument y2000 = valid(DocumentType::mainland_id_card, "110105200002290013");
  EXPECT_EQ(y2000.birth_date, (CivilDate{2000, 2, 29}));
  EXPECT_EQ(y2000.sex, 'M');
  // Hangzhou Xihu (330106), 2024-02-29; sum 192, 192 mod 11 = 5, check 7.
  EXPECT_EQ(valid(DocumentType::mainland_id_card, "330106202402290027").birth_date,
            (CivilDate{2024, 2, 29}));
  // 1900-02-29 never existed (1900 is not a leap year); the check character is right (sum 137,
  // 137 mod 11 = 5, check 7), the date is not.
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "110105190002290017"), "document_birth_date");
}

TEST(MainlandIdCard, AddressCodesWithoutCountyPartAndResidencePermits) {
  // Dongguan (441900) has no counties; 1992-03-15, sequence 004; sum 260, mod 11 = 7, check 5.
  EXPECT_EQ(valid(DocumentType::mainland_id_card, "441900199203150045").sex, 'F');
  // Residence Permit for Hong Kong residents (810000); sum 148, mod 11 = 5, check 7.
  EXPECT_TRUE(validate_document(DocumentType::mainland_id_card, "810000199001010027", kToday).ok());
  // Residence Permit for Taiwan residents (830000); sum 194, mod 11 = 7, check 5.
  EXPECT_EQ(valid(DocumentType::mainland_id_card, "830000198511110035").sex, 'M');
  // Taiwan as GB/T 2260 lists it (710000); sum 139, mod 11 = 7, check 5.
  EXPECT_TRUE(validate_document(DocumentType::mainland_id_card, "710000199001010015", kToday).ok());
}

TEST(MainlandIdCard, Empty) {
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, ""), "document_empty");
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "   "), "document_empty");
}

TEST(MainlandIdCard, Format) {
  for (const char* number : {
           "11010519491231002",     // 17 characters
           "11010519491231002X1",   // 19
           "110105491231002",       // a first-generation 15-digit number
           "1101051949123100X2",    // X not last
           "11010519491231002Y",    // not X
           "1101051949-1231002X",   // a hyphen is not removed
           "11010519491231002X\n",  // nor a newline
           "110105\t19491231002X",  // nor a tab
           "１１０１０５19491231002X",  // nor full-width digits
       }) {
    EXPECT_EQ(error_code(DocumentType::mainland_id_card, number), "document_format") << number;
  }
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, std::string(kDocumentNumberInputMax + 1, ' ')),
            "document_format");
}

TEST(MainlandIdCard, Region) {
  // Each with a correct check character, so only the address code is wrong.
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "16010519900101001X"), "document_region");
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "91010519900101001X"), "document_region");
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "110005199001010015"), "document_region");
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "810100199001010022"), "document_region");
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "710100199001010010"), "document_region");
  // A 2023 permanent residence card number is not a resident identity card number.
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "931840198506150031"), "document_region");
}

TEST(MainlandIdCard, BirthDate) {
  // The standard's second example is valid arithmetic but born in 1880 (sum 195, check 4).
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "440524188001010014"), "document_birth_date");
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "11010520300101001X"), "document_birth_date");
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "110105199013010018"), "document_birth_date");
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "110105199000000013"), "document_birth_date");
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "110105199004310019"), "document_birth_date");
}

TEST(MainlandIdCard, BornTodayButNotTomorrow) {
  // 2025-06-01 (sum 133, check 0) and 2025-06-02 (sum 138, check 6).
  EXPECT_TRUE(validate_document(DocumentType::mainland_id_card, "110105202506010010", kToday).ok());
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "110105202506020016"), "document_birth_date");
  EXPECT_TRUE(
      validate_document(DocumentType::mainland_id_card, "110105202506020016", {2025, 6, 2}).ok());
}

TEST(MainlandIdCard, CheckDigit) {
  for (const char* number : {"110105194912310020", "110105194912310021", "110105194912310029",
                             "440524188001010014" /* fine check, so a date error */}) {
    std::string code = error_code(DocumentType::mainland_id_card, number);
    EXPECT_TRUE(code == "document_check_digit" || code == "document_birth_date") << number;
  }
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "110105194912310020"), "document_check_digit");
  // Two digits swapped: the weights differ, so the check character catches it.
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "11010519491231020X"), "document_check_digit");
  // X where a digit belongs.
  EXPECT_EQ(error_code(DocumentType::mainland_id_card, "11010520000229001X"), "document_check_digit");
}

// --- passports ---

TEST(Passport, ChineseForms) {
  for (const char* number : {"E12345678", "EA1234567", "EH7654321", "G12345678", "DE1234567",
                             "SE1234567", "PE1234567", "D1234567", "S12345678"}) {
    ValidatedDocument document = valid(DocumentType::passport, number);
    EXPECT_EQ(document.number, number);
    EXPECT_FALSE(document.birth_date.has_value());
    EXPECT_FALSE(document.sex.has_value());
    EXPECT_TRUE(is_chinese_passport_number(number)) << number;
  }
  EXPECT_EQ(valid(DocumentType::passport, "e 1234 5678").number, "E12345678");
}

TEST(Passport, OtherCountries) {
  // Shapes of other countries' numbers (made up): a letter and 8 digits, 9 digits, two letters and
  // 7 digits, mixed letters and digits, a letter and 7 digits.
  for (const char* number : {"A12345678", "123456789", "TR1234567", "C01X00T47", "K1234567",
                             "AB12345", "1234567"}) {
    EXPECT_EQ(valid(DocumentType::passport, number).number, number);
  }
  EXPECT_FALSE(is_chinese_passport_number("A12345678"));
  EXPECT_FALSE(is_chinese_passport_number("123456789"));
  EXPECT_FALSE(is_chinese_passport_number("EI1234567"));  // I and O are not used
  EXPECT_FALSE(is_chinese_passport_number("EO1234567"));
  EXPECT_FALSE(is_chinese_passport_number("E1234567"));   // E series: 8 digits
  EXPECT_FALSE(is_chinese_passport_number("GA1234567"));
  EXPECT_FALSE(is_chinese_passport_number("E123456789"));
}

TEST(Passport, Invalid) {
  EXPECT_EQ(error_code(DocumentType::passport, ""), "document_empty");
  for (const char* number : {"E1234", "E123456789", "ABCDEFGH", "E1234567<", "E-1234567",
                             "E12345.67", "护照12345678"}) {
    EXPECT_EQ(error_code(DocumentType::passport, number), "document_format") << number;
  }
}

// --- Mainland Travel Permit for Hong Kong and Macao Residents ---

TEST(HkMacauPermit, Valid) {
  EXPECT_EQ(valid(DocumentType::hk_macau_permit, "H12345678").number, "H12345678");
  EXPECT_EQ(valid(DocumentType::hk_macau_permit, "M87654321").number, "M87654321");
  EXPECT_EQ(valid(DocumentType::hk_macau_permit, "H1234567800").number, "H1234567800");
  EXPECT_EQ(valid(DocumentType::hk_macau_permit, "m 12345678 02").number, "M1234567802");
}

TEST(HkMacauPermit, Invalid) {
  EXPECT_EQ(error_code(DocumentType::hk_macau_permit, " "), "document_empty");
  for (const char* number : {"H1234567", "H123456789", "H123456789012", "C12345678",
                             "12345678", "HA1234567", "H1234567X"}) {
    EXPECT_EQ(error_code(DocumentType::hk_macau_permit, number), "document_format") << number;
  }
}

// --- Mainland Travel Permit for Taiwan Residents ---

TEST(TaiwanPermit, Valid) {
  EXPECT_EQ(valid(DocumentType::taiwan_permit, "07257456").number, "07257456");
  EXPECT_EQ(valid(DocumentType::taiwan_permit, "1234 5678").number, "12345678");
}

TEST(TaiwanPermit, Invalid) {
  EXPECT_EQ(error_code(DocumentType::taiwan_permit, ""), "document_empty");
  for (const char* number : {"1234567", "123456789", "1234567801", "12345678(B)", "T1234567",
                             "F290299977"}) {
    EXPECT_EQ(error_code(DocumentType::taiwan_permit, number), "document_format") << number;
  }
}

// --- Foreign Permanent Resident ID Card ---

TEST(ForeignPermanentResidenceCard, Version2017) {
  ValidatedDocument document =
      valid(DocumentType::foreign_permanent_residence_card, "usa 310085 061530");
  EXPECT_EQ(document.number, "USA310085061530");
  EXPECT_FALSE(document.birth_date.has_value());
  EXPECT_FALSE(document.sex.has_value());
}

TEST(ForeignPermanentResidenceCard, Version2023) {
  // 9, Shanghai (31), the United States (840), 1985-06-15, sequence 003 (odd: male); sum 341,
  // 341 mod 11 = 0, check (12 - 0) mod 11 = 1.
  ValidatedDocument document =
      valid(DocumentType::foreign_permanent_residence_card, "931840198506150031");
  EXPECT_EQ(document.number, "931840198506150031");
  EXPECT_EQ(document.birth_date, (CivilDate{1985, 6, 15}));
  EXPECT_EQ(document.sex, 'M');
  // Beijing (11), Kazakhstan (398), 1990-12-31, sequence 002: sum 330, check 1.
  EXPECT_EQ(valid(DocumentType::foreign_permanent_residence_card, "911398199012310021").sex, 'F');
}

TEST(ForeignPermanentResidenceCard, Invalid) {
  const DocumentType type = DocumentType::foreign_permanent_residence_card;
  EXPECT_EQ(error_code(type, ""), "document_empty");
  for (const char* number : {"US310085061530", "USA31008506153", "U5A310085061530",
                             "USA31008506153X", "11010519491231002X", "93184019850615003",
                             "9318401985061500311", "9318401985061500X1"}) {
    EXPECT_EQ(error_code(type, number), "document_format") << number;
  }
  // Province 99 and 98 do not exist; 81 (Hong Kong) is no mainland office. Checks are right.
  EXPECT_EQ(error_code(type, "991398199012310026"), "document_region");
  EXPECT_EQ(error_code(type, "981398199012310024"), "document_region");
  // 1990-02-31 (sum 323, check 8) and 1899-12-31 (sum 356, check 8); born tomorrow (check 3).
  EXPECT_EQ(error_code(type, "911398199002310028"), "document_birth_date");
  EXPECT_EQ(error_code(type, "911398189912310028"), "document_birth_date");
  EXPECT_EQ(error_code(type, "931840202506020033"), "document_birth_date");
  EXPECT_EQ(error_code(type, "911398199012310022"), "document_check_digit");
  EXPECT_EQ(error_code(type, "91139819901231002X"), "document_check_digit");
}

// --- properties ---

TEST(ValidateDocument, NormalisedNumberRevalidatesToTheSameDocument) {
  struct Case {
    DocumentType type;
    const char* number;
  };
  for (const Case& c : {Case{DocumentType::mainland_id_card, "110105 19491231 002x"},
                        Case{DocumentType::passport, "ea1234567"},
                        Case{DocumentType::hk_macau_permit, "h 12345678"},
                        Case{DocumentType::taiwan_permit, "0725 7456"},
                        Case{DocumentType::foreign_permanent_residence_card, "931840198506150031"}}) {
    ValidatedDocument first = valid(c.type, c.number);
    EXPECT_EQ(valid(c.type, first.number), first) << c.number;
  }
}

TEST(ValidateDocumentDeathTest, TodayMustBeValid) {
  EXPECT_DEATH((void)validate_document(DocumentType::passport, "E12345678", CivilDate{2025, 2, 30}),
               "today");
}

}  // namespace
}  // namespace mpay::identity
