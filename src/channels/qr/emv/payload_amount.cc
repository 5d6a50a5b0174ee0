#include "channels/qr/emv/payload_amount.h"

#include "channels/qr/emv/character_rules_internal.h"
#include "channels/qr/emv/error_codes.h"
#include "channels/qr/emv/limits.h"
#include "core/money.h"

namespace mpay::qr {
namespace {

Error amount_error(std::string_view message, std::string_view field) {
  return Error(std::string(error_code::kAmountInvalid), std::string(message), std::string(field));
}

}  // namespace

Result<int64_t> amount_text_to_minor(std::string_view text, const Currency& currency, std::string_view field) {
  if (text.empty() || text.size() > kAmountCharactersMax) {
    return Error(std::string(error_code::kFieldLengthInvalid), "an amount has 1 to 13 characters",
                 std::string(field));
  }
  size_t point = text.find('.');
  std::string_view integer_part = text.substr(0, point);
  std::string_view fraction_part =
      point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  if (!internal::is_digits(integer_part)) {
    return amount_error("an amount starts with digits and has no sign", field);
  }
  if (!fraction_part.empty() && !internal::is_digits(fraction_part)) {
    return amount_error("an amount has digits and at most one '.'", field);
  }
  if (fraction_part.size() > currency.exponent) {
    return amount_error("an amount has more fraction digits than its currency", field);
  }
  // core's parser wants the canonical spelling: no leading zeros, no bare trailing '.'. The spec
  // allows both ("007", "98."), so normalise them away before handing over.
  size_t first_significant = integer_part.find_first_not_of('0');
  std::string normalised(first_significant == std::string_view::npos ? std::string_view("0")
                                                                      : integer_part.substr(first_significant));
  if (!fraction_part.empty()) {
    normalised.push_back('.');
    normalised.append(fraction_part);
  }
  Result<int64_t> minor = parse_amount(normalised, currency, SignPolicy::positive_or_zero);
  if (!minor.ok()) return amount_error("an amount cannot be read in its currency", field);
  return minor;
}

Result<std::string> amount_text_from_minor(int64_t minor, const Currency& currency, std::string_view field) {
  if (minor < 0) return amount_error("an amount in a QR code is never negative", field);
  std::string text = format_amount(minor, currency);
  if (text.size() > kAmountCharactersMax) {
    return Error(std::string(error_code::kFieldLengthInvalid), "an amount has at most 13 characters",
                 std::string(field));
  }
  return text;
}

Result<int64_t> payload_amount_minor(const MerchantPresentedPayload& payload) {
  if (!payload.transaction_amount) {
    return Error(std::string(error_code::kFieldMissing), "the payload has no transaction amount", "54");
  }
  std::optional<Currency> currency = currency_by_numeric(payload.transaction_currency.numeric);
  if (!currency) {
    return Error(std::string(error_code::kCurrencyUnknown), "the transaction currency is not known", "53");
  }
  return amount_text_to_minor(*payload.transaction_amount, *currency);
}

}  // namespace mpay::qr
