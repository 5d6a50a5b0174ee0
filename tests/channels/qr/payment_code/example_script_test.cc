// examples/wallet/payment_code.py (what an app developer copies) prints the same codes as the C++
// functions, for several secrets, device numbers and times.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "channels/qr/payment_code/base32.h"
#include "channels/qr/payment_code/payment_code_format.h"
#include "core/random.h"

namespace mpay::qr {
namespace {

// Runs the script and returns its standard output without the trailing newline.
std::string run_script(const std::string& secret_base32, uint32_t device_number, int64_t unix_seconds) {
  std::string command = std::string("python3 ") + MPAY_SOURCE_DIR + "/examples/wallet/payment_code.py " +
                        secret_base32 + " " + std::to_string(device_number) + " --at " +
                        std::to_string(unix_seconds);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  std::string output;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  int status = pclose(pipe);
  if (status != 0) return "exit status " + std::to_string(status) + ": " + output;
  if (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

TEST(PaymentCodeExampleScript, PrintsTheSameCodesAsTheCppFunctions) {
  SeededRandom random(20240611);
  const int64_t times[] = {0, 59, 1'700'000'000, 1'700'000'014, 1'700'000'015, 2'000'000'000, 4'102'444'800};
  for (int device = 0; device < 4; ++device) {
    std::string secret(32, '\0');
    random.fill(secret.data(), secret.size());
    uint32_t number = 0;
    random.fill(&number, sizeof number);
    number = 10'000'000 + number % 90'000'000;
    for (int64_t unix_seconds : times) {
      std::string expected = make_payment_code(secret, number, counter_at(unix_seconds * 1'000'000'000));
      EXPECT_EQ(run_script(base32_encode(secret), number, unix_seconds), expected)
          << "device " << number << " at " << unix_seconds;
    }
  }
}

TEST(PaymentCodeExampleScript, PrintsTheWorkedExample) {
  EXPECT_EQ(run_script("AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ", 31415926, 1'700'000'000),
            "883141592677874773");
}

}  // namespace
}  // namespace mpay::qr
