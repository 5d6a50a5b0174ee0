#include "core/amount_limit.h"

#include "core/money.h"

namespace mpay {

Error amount_too_large(const Currency& currency, std::string field) {
  return Error("amount_too_large",
               "the amount is at most " + format_amount(kAmountMinorMax, currency) + " " +
                   std::string(currency.code),
               std::move(field));
}

Result<int64_t> within_amount_max(Result<int64_t> parsed, const Currency& currency,
                                  std::string field) {
  if (!parsed.ok()) {
    if (parsed.error().code == "amount_overflow")
      return amount_too_large(currency, std::move(field));
    return parsed;
  }
  if (*parsed > kAmountMinorMax) return amount_too_large(currency, std::move(field));
  return parsed;
}

}  // namespace mpay
