// What payment requests need to know about a merchant, behind an interface so that this module
// does not depend on how merchants are stored (src/payments/merchant/ implements it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"
#include "payments/requests/request_records.h"

namespace mpay::requests {

struct MerchantProfile {
  MerchantId id;
  std::string display_name;
  std::string mcc;      // ISO 18245, 4 digits
  std::string country;  // ISO 3166-1 alpha-2
  std::string city;
  uint32_t fee_bps = 0;
  bool active = true;
  AccountId account;  // the merchant's ledger account in the requested currency
};

class MerchantLookup {
 public:
  virtual ~MerchantLookup() = default;
  // nullopt: no such merchant, or it has no account in `currency` (ISO 4217 numeric).
  virtual std::optional<MerchantProfile> find(const MerchantId& id, uint16_t currency) const = 0;
};

}  // namespace mpay::requests
