#include "channels/qr/image/external_decoders.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace mpay::qr::testing {

ProgramOutput run_program(const std::string& command) {
  ProgramOutput result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  size_t read = 0;
  while ((read = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), read);
  int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

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
