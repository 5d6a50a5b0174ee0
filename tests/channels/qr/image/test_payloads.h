// Test support: the payloads every image test round-trips.
#pragma once

#include <string>
#include <vector>

namespace mpay::qr::testing {

struct Payload {
  std::string name;
  std::string text;
};

inline const std::vector<Payload>& test_payloads() {
  static const std::vector<Payload> payloads = {
      // EMV-like merchant-presented payload, about 120 ASCII characters.
      {"emv", "00020101021226370014A000000615000101065010125204581453031565802CN5913Noodle Bar Co6008Shanghai"
              "62140510INV-00042163048A1F"},
      // Chinese UTF-8 (merchant name and city in an EMV template).
      {"chinese", "00020101021264300002ZH0108上海面馆0206上海市5913Noodle Bar Co6304ABCD 付款给商户：上海面馆"},
      // The consumer-presented 18-digit payment code.
      {"numeric", "284619370512648301"},
      {"url", "https://pay.example.com/r/7f3c2a91-5b0e-4d6a-9c1e-2b8d4f6a0e13?amount=25.00&currency=CNY"},
  };
  return payloads;
}

}  // namespace mpay::qr::testing
