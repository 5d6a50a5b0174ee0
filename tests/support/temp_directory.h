// A fresh directory under $TMPDIR (or /tmp) for one test, removed when the test ends unless the
// environment variable MPAY_KEEP_TEST_DATA is set (for post-mortems).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace mpay::testing {

class TempDirectory {
 public:
  TempDirectory() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base ? base : "/tmp") + "/mpay-test-XXXXXX";
    char* made = mkdtemp(pattern.data());
    if (made == nullptr) std::abort();
    path_ = made;
  }
  ~TempDirectory() {
    if (std::getenv("MPAY_KEEP_TEST_DATA") == nullptr) {
      std::error_code ec;
      std::filesystem::remove_all(path_, ec);
    }
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace mpay::testing
