# Finds every third-party library mpay uses. All of them come from Debian packages named in
# scripts/bootstrap; nothing is vendored or downloaded at build time.
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(absl REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(TOMLPLUSPLUS REQUIRED IMPORTED_TARGET tomlplusplus)
# QR codes: libqrencode makes the symbol, libgd draws the PNG (with the caption), ZXing-cpp decodes
# images (a second, independent decoder beside zbarimg in the tests).
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(GD REQUIRED IMPORTED_TARGET gdlib)
# FreeType: the caption's glyph check (libgd would draw boxes for characters the font lacks).
pkg_check_modules(FREETYPE REQUIRED IMPORTED_TARGET freetype2)
find_package(ZXing REQUIRED)
# jemalloc: mpayd's allocator. glibc's malloc took about 15% of the CPU under the request-to-pay
# benchmark (many threads allocating small objects); jemalloc made it 10-15% faster
# (docs/performance.md).
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)

# libphonenumber ships no CMake package or pkg-config file in Debian 12.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
add_library(mpay_phonenumber INTERFACE)
target_include_directories(mpay_phonenumber INTERFACE ${PHONENUMBER_INCLUDE_DIR})
target_link_libraries(mpay_phonenumber INTERFACE ${PHONENUMBER_LIBRARY})

if(MPAY_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(MPAY_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
