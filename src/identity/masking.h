// Masking personal data for display: every API response and every log line shows names and
// document numbers only through these functions (the unmasked values go to the KycVerifier and
// to storage, nowhere else).
//
// Both functions accept any input and never fail: bytes that are not valid UTF-8, control and
// invisible formatting characters are never shown, only masked. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "identity/identity_document.h"

namespace mpay::identity {

// A name with the first code point of each word shown and every other code point replaced by one
// '*': "张三丰" -> "张**", "欧阳娜娜" -> "欧***", "John Smith" -> "J*** S****",
// "迪丽热巴·迪力木拉提" -> "迪***·迪****". Words are separated by ASCII space, '-', the middle dots
// U+00B7 '·' and U+30FB '・', and the ideographic space U+3000; separators are kept as they are, so
// the shape of the name stays readable. A name of a single code point is masked entirely ("*").
// A first code point that is not valid UTF-8, a control character or an invisible formatting
// character (zero-width, bidirectional controls) is masked too. "" stays "".
std::string mask_name(std::string_view utf8_name);

// The document number with its middle masked, one '*' per character, the same length as the
// number: the first 3 and last 4 characters are shown when at least half of the number stays
// masked ("11010519491231002X" -> "110***********002X", 11 of 18 masked); shorter numbers show
// fewer, always masking ceil(length / 2) characters ("E12345678" -> "E1*****78",
// "12345678" -> "12****78"). Only ASCII letters and digits are ever shown; any other character in a
// shown position becomes '*' (a ValidatedDocument from validate_document has none).
std::string mask_document(const ValidatedDocument& document);

}  // namespace mpay::identity
