# Run by mpay_embed_text (MpayEmbedText.cmake) in script mode: INPUT, OUTPUT, FUNCTION.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
# Two hex digits per byte -> "0xNN," with a line break every 16 bytes.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REPEAT "0x[0-9a-f][0-9a-f]," 16 sixteen_bytes)
string(REGEX REPLACE "(${sixteen_bytes})" "\\1\n    " bytes "${bytes}")
string(REGEX MATCH "^(.*)::([^:]+)$" ignored "${FUNCTION}")
set(namespace ${CMAKE_MATCH_1})
set(name ${CMAKE_MATCH_2})
file(WRITE ${OUTPUT}.tmp
"// Generated from ${INPUT} by cmake/embed_text_script.cmake. Do not edit.
#include <cstddef>
#include <string_view>

namespace ${namespace} {
namespace {
constexpr unsigned char kBytes[${byte_count} + 1] = {
    ${bytes}0x00};
}  // namespace

std::string_view ${name}() {
  return {reinterpret_cast<const char*>(kBytes), ${byte_count}};
}

}  // namespace ${namespace}
")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
