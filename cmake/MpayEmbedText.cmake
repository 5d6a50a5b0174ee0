# mpay_embed_text(OUTPUT <file.cc> INPUT <file> FUNCTION <qualified::name>)
# Generates a C++ source file defining `std::string_view <name>()` that returns the bytes of
# INPUT, regenerated whenever INPUT changes. The server compiles documents in this way (the
# OpenAPI document) so that it needs no files at run time, whatever directory it starts from.
set(MPAY_EMBED_TEXT_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_text_script.cmake)

function(mpay_embed_text)
  cmake_parse_arguments(EMBED "" "OUTPUT;INPUT;FUNCTION" "" ${ARGN})
  add_custom_command(
    OUTPUT ${EMBED_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${EMBED_INPUT} -DOUTPUT=${EMBED_OUTPUT}
            -DFUNCTION=${EMBED_FUNCTION} -P ${MPAY_EMBED_TEXT_SCRIPT}
    DEPENDS ${EMBED_INPUT} ${MPAY_EMBED_TEXT_SCRIPT}
    COMMENT "Embedding ${EMBED_INPUT}"
    VERBATIM)
endfunction()
