#include "channels/qr/image/external_decoders.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace mpay::qr::testing {

std::optional<std::string> zbarimg_decode(const std::string& image_path, bool binary) {
  ProgramOutput output = run_program(std::string("zbarimg --nodbus --raw -q ") + (binary ? "-Sbinary " : "") +
                                     shell_quoted(image_path) + " 2>/dev/null");
  if (output.status != 0) return std::nullopt;
  return output.out;
}

bool rsvg_convert(const std::string& svg_path, const std::string& png_path) {
  return run_program("rsvg-convert " + shell_quoted(svg_path) + " -o " + shell_quoted(png_path) + " 2>&1").status == 0;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace mpay::qr::testing
