# -DMPAY_FUZZ=ON: build for libFuzzer (clang only). Every library gets coverage instrumentation
# (fuzzer-no-link) and AddressSanitizer + UndefinedBehaviorSanitizer, with UB made fatal so that
# libFuzzer reports it as a crash; fuzz/CMakeLists.txt links the targets with -fsanitize=fuzzer.
if(NOT MPAY_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "MPAY_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                    -fno-sanitize-recover=all)
add_link_options(-fsanitize=address,undefined)
