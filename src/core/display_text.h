// Text that the platform shows to people: merchant names in an SMS and on the payment page,
// payment descriptions, labels on printed codes, lines in the operators' console.
//
// Such text must read as what it is. A C0 control or DEL (a line break, BEL, ESC) can reshape an
// SMS or a console line; a Unicode bidirectional control can make it read in another order: "Shop"
// followed by U+202E (RIGHT-TO-LEFT OVERRIDE) and "lave" is stored as that but shown as "Shopeval".
// has_hidden_control() finds both kinds and the other invisible format characters that serve
// no purpose in a name or a description. Pure functions: safe from any thread.
#pragma once

#include <string_view>

namespace mpay {

// True when UTF-8 `text` holds any of:
// - C0 controls U+0000-U+001F, DEL U+007F and C1 controls U+0080-U+009F;
// - the bidirectional controls: U+061C ARABIC LETTER MARK, U+200E/U+200F LEFT-TO-RIGHT and
//   RIGHT-TO-LEFT MARK, the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069;
// - U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (line breaks by another name);
// - invisible characters with no use in such text: U+200B ZERO WIDTH SPACE, U+2060-U+2064 (word
//   joiner, invisible operators), U+FEFF ZERO WIDTH NO-BREAK SPACE, U+FFF9-U+FFFB (interlinear
//   annotation);
// - bytes that are not valid UTF-8 (the JSON layer refuses those first; here they are not
//   text that can be shown as it is).
// Not refused: U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER, which Persian, Indic
// scripts and emoji sequences need, and ordinary spaces.
bool has_hidden_control(std::string_view text);

}  // namespace mpay
