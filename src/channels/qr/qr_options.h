// Limits and settings of the QR channel, declared in one place (mpayd flags may change some).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace mpay::qr {

// Where phones reach this server: the URL form of a code is <base>/q/<token>. Set by mpayd from
// --public-url, or once the HTTP port is known (it may be chosen at start). Thread-safe.
class PublicBaseUrl {
 public:
  std::string get() const {
    std::lock_guard lock(mutex_);
    return url_;
  }
  void set(std::string url) {
    std::lock_guard lock(mutex_);
    url_ = std::move(url);
  }

 private:
  mutable std::mutex mutex_;
  std::string url_ = "http://127.0.0.1:8080";
};

struct QrOptions {
  // Our globally unique identifier in the EMV merchant account template (ID 26, subfield 00).
  std::string globally_unique_identifier = "com.mpay";
  uint32_t token_chars = 16;  // [A-Za-z0-9]: 95 bits
  uint32_t static_codes_per_merchant_max = 10'000;
  int64_t dynamic_expires_in_s_default = 900;
  int64_t dynamic_expires_in_s_min = 60;
  int64_t dynamic_expires_in_s_max = 86'400;
  uint32_t terminal_label_chars_max = 25;  // EMV 62.07
  uint32_t alternate_name_chars_max = 25;  // EMV 64.01
  uint32_t alternate_city_chars_max = 15;  // EMV 64.02
  uint32_t scanned_text_chars_max = 1024;  // what a scan may post
  uint32_t list_limit_max = 200;
  // Showing a payment code is the user's consent up to this amount (minor units of the wallets'
  // currency; CNY 1,000.00); a user may set a lower limit of their own, never a higher one.
  int64_t payment_code_limit_minor = 100'000;
};

}  // namespace mpay::qr
