// Test support: runs a shell command and captures its standard output and exit status (for the
// outside programs tests use as independent checks: zbarimg, rsvg-convert, python3, curl, ...).
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace mpay::testing {

struct ProgramOutput {
  int status = -1;  // the exit status; -1 when the program did not exit normally
  std::string out;  // stdout only
};

inline ProgramOutput run_program(const std::string& command) {
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

// Single quotes for /bin/sh.
inline std::string shell_quoted(const std::string& text) {
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

}  // namespace mpay::testing
