#include "identity/masking.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace mpay::identity {
namespace {

constexpr CivilDate kToday{2025, 6, 1};

std::string mask_number(std::string number, DocumentType type = DocumentType::passport) {
  ValidatedDocument document;
  document.type = type;
  document.number = std::move(number);
  return mask_document(document);
}

std::string mask_valid(DocumentType type, std::string_view number) {
  Result<ValidatedDocument> document = validate_document(type, number, kToday);
  EXPECT_TRUE(document.ok()) << number;
  return document.ok() ? mask_document(*document) : "<invalid " + std::string(number) + ">";
}

// --- names ---

TEST(MaskName, ExamplesFromTheContract) {
  EXPECT_EQ(mask_name("张三丰"), "张**");
  EXPECT_EQ(mask_name("欧阳娜娜"), "欧***");
  EXPECT_EQ(mask_name("John Smith"), "J*** S****");
  EXPECT_EQ(mask_name("迪丽热巴·迪力木拉提"), "迪***·迪****");
}

TEST(MaskName, OneStarPerCodePointWhateverItsLength) {
  EXPECT_EQ(mask_name("张三"), "张*");
  EXPECT_EQ(mask_name("Zoë"), "Z**");               // 2-byte ë
  EXPECT_EQ(mask_name("𠀀𠀁𠀂"), "𠀀**");           // 4-byte CJK Extension B
  EXPECT_EQ(mask_name("Ωmega"), "Ω****");           // 2-byte first code point shown whole
}

TEST(MaskName, EverySeparatorStartsAWordAndIsKept) {
  EXPECT_EQ(mask_name("Mary-Jane O'Neil"), "M***-J*** O*****");  // an apostrophe is no separator
  EXPECT_EQ(mask_name("マイケル・ジャクソン"), "マ***・ジ****");  // U+30FB
  EXPECT_EQ(mask_name("张　三丰"), "张　三*");                    // U+3000 ideographic space
  EXPECT_EQ(mask_name("Jean Paul Sartre"), "J*** P*** S*****");
}

TEST(MaskName, RepeatedLeadingAndTrailingSeparatorsAreKept) {
  EXPECT_EQ(mask_name("John  Smith"), "J***  S****");
  EXPECT_EQ(mask_name(" John"), " J***");
  EXPECT_EQ(mask_name("John "), "J*** ");
  EXPECT_EQ(mask_name("-·John"), "-·J***");
}

TEST(MaskName, EmptyAndSingleCodePointNames) {
  EXPECT_EQ(mask_name(""), "");
  EXPECT_EQ(mask_name("张"), "*");
  EXPECT_EQ(mask_name("J"), "*");
  EXPECT_EQ(mask_name("𠀀"), "*");
  EXPECT_EQ(mask_name(" 张 "), " * ");  // separators do not count as code points of the name
  EXPECT_EQ(mask_name("   "), "   ");
  EXPECT_EQ(mask_name("·"), "·");
}

// The contract shows the first code point of each word: a name whose words are all one code point
// long is shown whole as soon as it has two of them.
TEST(MaskName, WordsOfOneCodePointAreShownWhenTheNameHasTwo) {
  EXPECT_EQ(mask_name("A B"), "A B");
}

TEST(MaskName, InvalidUtf8IsMaskedBytePerByte) {
  EXPECT_EQ(mask_name("\xFF" "John"), "*****");           // invalid first byte
  EXPECT_EQ(mask_name("\x80" "John"), "*****");           // lone continuation byte
  EXPECT_EQ(mask_name("Jo\xFF" "hn"), "J****");           // invalid byte inside a word
  EXPECT_EQ(mask_name("John \xFF" "Smith"), "J*** ******");  // at the start of a later word
  EXPECT_EQ(mask_name("\xE5\xBC"), "**");                 // 张 cut short
  EXPECT_EQ(mask_name("\xE5\xBC" "三"), "***");            // cut short, then a valid code point
  EXPECT_EQ(mask_name("\xC0\xAF" "ab"), "****");          // overlong '/'
  EXPECT_EQ(mask_name("\xE0\x80\xAF" "a"), "****");       // overlong 3-byte form
  EXPECT_EQ(mask_name("\xED\xA0\x80" "a"), "****");       // UTF-16 surrogate
  EXPECT_EQ(mask_name("\xF4\x90\x80\x80" "a"), "*****");  // above U+10FFFF
  EXPECT_EQ(mask_name("\xF5\x80\x80\x80"), "****");       // never a lead byte
}

TEST(MaskName, InvalidBytesNeverReachTheOutput) {
  for (std::string_view name : {"\xFF" "John", "\xE5\xBC", "\xC0\xAF" "ab", "\xED\xA0\x80" "a",
                                "Li \xFE" "Wei"}) {
    std::string masked = mask_name(name);
    for (char c : {'\xFF', '\xFE', '\xE5', '\xBC', '\xC0', '\xAF', '\xED', '\xA0', '\x80'}) {
      EXPECT_EQ(masked.find(c), std::string::npos) << name;
    }
  }
}

TEST(MaskName, ControlAndInvisibleFirstCodePointsAreMasked) {
  for (std::string_view prefix : {
           std::string_view("\0", 1),  // NUL
           std::string_view("\t"), std::string_view("\n"), std::string_view("\x1B"),
           std::string_view("\x7F"),      // DEL
           std::string_view("\xC2\x85"),  // U+0085 NEXT LINE (C1)
           std::string_view("\u00AD"),    // soft hyphen
           std::string_view("\u115F"),    // Hangul choseong filler
           std::string_view("\u180E"),    // Mongolian vowel separator
           std::string_view("\u200B"),    // zero width space
           std::string_view("\u200D"),    // zero width joiner
           std::string_view("\u200F"),    // right-to-left mark
           std::string_view("\u2028"),    // line separator
           std::string_view("\u202E"),    // right-to-left override
           std::string_view("\u2060"),    // word joiner
           std::string_view("\u2066"),    // left-to-right isolate
           std::string_view("\u3164"),    // Hangul filler
           std::string_view("\uFE0F"),    // variation selector 16
           std::string_view("\uFEFF"),    // byte order mark
           std::string_view("\uFFFC"),    // object replacement character
           std::string_view("\U000E0041"),  // tag latin capital letter A
       }) {
    std::string name = std::string(prefix) + "John";
    EXPECT_EQ(mask_name(name), "*****") << "prefix of " << prefix.size() << " bytes";
    // The same character at the start of a later word.
    EXPECT_EQ(mask_name("Li " + name), "L* *****") << "prefix of " << prefix.size() << " bytes";
  }
}

TEST(MaskName, ControlCharactersInsideAWordAreMaskedToo) {
  std::string masked = mask_name("Jo\nhn \u202ESmith");
  EXPECT_EQ(masked, "J**** ******");
  EXPECT_EQ(masked.find('\n'), std::string::npos);
}

TEST(MaskName, AnInvisibleCharacterCountsAsACodePoint) {
  // Two code points: neither is shown alone, and the invisible one is never shown.
  EXPECT_EQ(mask_name("\u200B张"), "**");
}

// --- document numbers ---

TEST(MaskDocument, ExamplesFromTheContract) {
  EXPECT_EQ(mask_number("11010519491231002X", DocumentType::mainland_id_card),
            "110***********002X");
  EXPECT_EQ(mask_number("E12345678"), "E1*****78");
  EXPECT_EQ(mask_number("12345678", DocumentType::taiwan_permit), "12****78");
}

TEST(MaskDocument, EveryDocumentType) {
  EXPECT_EQ(mask_valid(DocumentType::mainland_id_card, "11010519491231002x"),
            "110***********002X");
  EXPECT_EQ(mask_valid(DocumentType::passport, "G12345678"), "G1*****78");
  EXPECT_EQ(mask_valid(DocumentType::passport, "AB1234"), "A***34");
  EXPECT_EQ(mask_valid(DocumentType::hk_macau_permit, "H1234567801"), "H1******801");
  EXPECT_EQ(mask_valid(DocumentType::hk_macau_permit, "M87654321"), "M8*****21");
  EXPECT_EQ(mask_valid(DocumentType::taiwan_permit, "07257456"), "07****56");
  EXPECT_EQ(mask_valid(DocumentType::foreign_permanent_residence_card, "USA310085061530"),
            "USA********1530");
  EXPECT_EQ(mask_valid(DocumentType::foreign_permanent_residence_card, "931840198506150031"),
            "931***********0031");
}

TEST(MaskDocument, ShortNumbersKeepAtLeastHalfMasked) {
  EXPECT_EQ(mask_number(""), "");
  EXPECT_EQ(mask_number("1"), "*");
  EXPECT_EQ(mask_number("12"), "*2");
  EXPECT_EQ(mask_number("123"), "**3");
  EXPECT_EQ(mask_number("1234"), "1**4");
  EXPECT_EQ(mask_number("12345"), "1***5");
  EXPECT_EQ(mask_number("1234567"), "1****67");
  EXPECT_EQ(mask_number("1234567890"), "12*****890");
  EXPECT_EQ(mask_number("123456789012"), "123******012");
  EXPECT_EQ(mask_number("1234567890123"), "123*******123");
  EXPECT_EQ(mask_number("12345678901234"), "123*******1234");
}

TEST(MaskDocument, ShapeForEveryLength) {
  const std::string digits = "1234567890123456789012345678901234567890123456789012345678901234";
  for (size_t length = 0; length <= kDocumentNumberInputMax; ++length) {
    std::string number = digits.substr(0, length);
    std::string masked = mask_number(number);
    ASSERT_EQ(masked.size(), length);
    size_t prefix = 0;
    while (prefix < length && masked[prefix] != '*') ++prefix;
    size_t suffix = 0;
    while (suffix < length - prefix && masked[length - 1 - suffix] != '*') ++suffix;
    size_t stars = static_cast<size_t>(std::count(masked.begin(), masked.end(), '*'));
    EXPECT_EQ(stars, length - prefix - suffix) << masked << ": the stars are one block";
    EXPECT_GE(stars, (length + 1) / 2) << masked;
    EXPECT_LE(prefix, 3u) << masked;
    EXPECT_LE(suffix, 4u) << masked;
    if (length >= 14) {
      EXPECT_EQ(prefix, 3u) << masked;
      EXPECT_EQ(suffix, 4u) << masked;
    }
    EXPECT_EQ(masked.substr(0, prefix), number.substr(0, prefix));
    EXPECT_EQ(masked.substr(length - suffix), number.substr(length - suffix));
  }
}

TEST(MaskDocument, OnlyAsciiLettersAndDigitsAreShown) {
  EXPECT_EQ(mask_number("1-2345678"), "1******78");
  EXPECT_EQ(mask_number("\n23456789"), "*2*****89");
  EXPECT_EQ(mask_number("E1234567\""), "E1*****7*");
  EXPECT_EQ(mask_number("abcdefgh"), "ab****gh");
  EXPECT_EQ(mask_number("12345678\xC3\xA9"), "12*****8**");  // é as two bytes
  EXPECT_EQ(mask_number("........"), "********");
}

}  // namespace
}  // namespace mpay::identity
