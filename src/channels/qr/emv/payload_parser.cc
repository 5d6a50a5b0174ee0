#include "channels/qr/emv/payload_parser.h"

#include <utility>
#include <vector>

#include "channels/qr/emv/character_rules_internal.h"
#include "channels/qr/emv/crc16.h"
#include "channels/qr/emv/error_codes.h"
#include "channels/qr/emv/limits.h"
#include "channels/qr/emv/payload_rules_internal.h"
#include "channels/qr/emv/utf8_text_internal.h"

namespace mpay::qr {
namespace {

Error make_error(std::string_view code, std::string message, std::string field = {}) {
  return Error(std::string(code), std::move(message), std::move(field));
}

bool is_upper_hex(std::string_view text) {
  for (char c : text) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

// Splits the root into data objects up to and including 63, and checks the CRC.
Result<std::vector<DataObject>> read_root(std::string_view text) {
  std::vector<DataObject> objects;
  DataObjectReader reader(text, "");
  while (!reader.at_end()) {
    size_t start_bytes = reader.offset_bytes();
    Result<DataObject> object = reader.next();
    if (!object.ok()) return object.error();
    if (object->id != id::kCrc) {
      objects.push_back(std::move(object).value());
      continue;
    }
    if (!reader.at_end()) {
      bool whole_object_follows = reader.next().ok();
      return make_error(whole_object_follows ? error_code::kCrcNotLast : error_code::kDataAfterCrc,
                        "the CRC (63) must be the last data object", std::string(id::kCrc));
    }
    const std::string& found = object->value;
    if (internal::count_characters(found) != kCrcCharacters) {
      return make_error(error_code::kFieldLengthInvalid, "the CRC has 4 characters", std::string(id::kCrc));
    }
    if (!is_upper_hex(found)) {
      return make_error(error_code::kCrcFormatInvalid, "the CRC is 4 upper-case hexadecimal characters",
                        std::string(id::kCrc));
    }
    std::string expected =
        crc_text(crc16_ccitt_false(text.substr(0, start_bytes + kIdCharacters + kLengthCharacters)));
    if (found != expected) {
      return make_error(error_code::kCrcMismatch, "CRC mismatch: expected " + expected + ", found " + found,
                        std::string(id::kCrc));
    }
    return objects;
  }
  return make_error(error_code::kCrcMissing, "the payload has no CRC (63)", std::string(id::kCrc));
}

// A template's data objects, with unique IDs.
Result<std::vector<DataObject>> read_template(const DataObject& object) {
  Result<std::vector<DataObject>> objects = read_data_objects(object.value, object.id);
  if (!objects.ok()) return objects;
  Status unique = check_unique_ids(*objects, object.id);
  if (!unique.ok()) return unique.error();
  return objects;
}

Status decode_additional_data(const DataObject& object, MerchantPresentedPayload* payload) {
  Result<std::vector<DataObject>> objects = read_template(object);
  if (!objects.ok()) return objects.error();
  AdditionalData data;
  std::optional<std::string>* named[] = {
      &data.bill_number,    &data.mobile_number,  &data.store_label,
      &data.loyalty_number, &data.reference_label, &data.customer_label,
      &data.terminal_label, &data.purpose_of_transaction, &data.additional_consumer_data_request};
  for (DataObject& inner : *objects) {
    int number = *internal::id_number(inner.id);
    if (number >= 1 && number <= 9) {
      *named[number - 1] = std::move(inner.value);
    } else {
      data.other_data_objects.push_back(std::move(inner));  // 00 is refused by the rules
    }
  }
  payload->additional_data = std::move(data);
  return ok_status();
}

Status decode_language_template(const DataObject& object, MerchantPresentedPayload* payload) {
  Result<std::vector<DataObject>> objects = read_template(object);
  if (!objects.ok()) return objects.error();
  MerchantInformationLanguage language;
  for (DataObject& inner : *objects) {
    if (inner.id == "00") {
      language.language_preference = std::move(inner.value);
    } else if (inner.id == "01") {
      language.merchant_name = std::move(inner.value);
    } else if (inner.id == "02") {
      language.merchant_city = std::move(inner.value);
    } else {
      language.other_data_objects.push_back(std::move(inner));
    }
  }
  payload->language_template = std::move(language);
  return ok_status();
}

Status decode_currency(const DataObject& object, MerchantPresentedPayload* payload) {
  std::string field(id::kTransactionCurrency);
  if (object.value.size() != kCurrencyCharacters) {
    return make_error(error_code::kFieldLengthInvalid, "a currency is 3 digits", field);
  }
  if (!internal::is_digits(object.value)) {
    return make_error(error_code::kFieldCharactersInvalid, "a currency is 3 digits", field);
  }
  uint16_t numeric = 0;
  for (char digit : object.value) numeric = static_cast<uint16_t>(numeric * 10 + (digit - '0'));
  std::optional<Currency> currency = currency_by_numeric(numeric);
  if (!currency) return make_error(error_code::kCurrencyUnknown, "the currency is not a known ISO 4217 code", field);
  payload->transaction_currency = *currency;
  return ok_status();
}

Status decode_fixed_values(const DataObject& object, MerchantPresentedPayload* payload) {
  const std::string& value = object.value;
  if (object.id == id::kPayloadFormatIndicator) {
    if (value != kPayloadFormatIndicatorValue) {
      return make_error(error_code::kFormatIndicatorInvalid, "the payload format indicator must be 01", object.id);
    }
  } else if (object.id == id::kPointOfInitiationMethod) {
    if (value != "11" && value != "12") {
      return make_error(error_code::kInitiationInvalid, "the point of initiation is 11 or 12", object.id);
    }
    payload->point_of_initiation = value == "11" ? InitiationMethod::static_code : InitiationMethod::dynamic_code;
  } else {  // 55
    if (value != "01" && value != "02" && value != "03") {
      return make_error(error_code::kTipIndicatorInvalid, "the tip or convenience indicator is 01, 02 or 03",
                        object.id);
    }
    payload->tip_or_convenience = value == "01"   ? TipOrConvenience::prompt_consumer
                                  : value == "02" ? TipOrConvenience::fixed_fee
                                                  : TipOrConvenience::percentage_fee;
  }
  return ok_status();
}

Status decode_root_object(DataObject object, MerchantPresentedPayload* payload) {
  int number = *internal::id_number(object.id);
  if (number == 0 || number == 1 || number == 55) return decode_fixed_values(object, payload);
  if (number >= kMerchantAccountIdFirst && number <= kMerchantAccountPrimitiveIdLast) {
    payload->merchant_accounts.push_back(MerchantAccount{std::move(object.id), std::move(object.value), {}});
    return ok_status();
  }
  if (number > kMerchantAccountPrimitiveIdLast && number <= kMerchantAccountIdLast) {
    Result<std::vector<DataObject>> objects = read_template(object);
    if (!objects.ok()) return objects.error();
    payload->merchant_accounts.push_back(MerchantAccount{std::move(object.id), {}, std::move(objects).value()});
    return ok_status();
  }
  switch (number) {
    case 52: payload->merchant_category_code = std::move(object.value); return ok_status();
    case 53: return decode_currency(object, payload);
    case 54: payload->transaction_amount = std::move(object.value); return ok_status();
    case 56: payload->convenience_fee_fixed = std::move(object.value); return ok_status();
    case 57: payload->convenience_fee_percentage = std::move(object.value); return ok_status();
    case 58: payload->country_code = std::move(object.value); return ok_status();
    case 59: payload->merchant_name = std::move(object.value); return ok_status();
    case 60: payload->merchant_city = std::move(object.value); return ok_status();
    case 61: payload->postal_code = std::move(object.value); return ok_status();
    case 62: return decode_additional_data(object, payload);
    case 64: return decode_language_template(object, payload);
    default: payload->other_data_objects.push_back(std::move(object)); return ok_status();  // 65-99
  }
}

}  // namespace

Result<MerchantPresentedPayload> parse_payload(std::string_view text) {
  if (text.empty()) return make_error(error_code::kPayloadEmpty, "the payload is empty");
  if (text.size() > kPayloadBytesMax) {
    return make_error(error_code::kPayloadTooLong, "the payload exceeds 512 characters");
  }
  if (!internal::is_valid_utf8(text)) return make_error(error_code::kUtf8Invalid, "the payload is not UTF-8");
  if (internal::count_characters(text) > kPayloadCharactersMax) {
    return make_error(error_code::kPayloadTooLong, "the payload exceeds 512 characters");
  }
  Result<std::vector<DataObject>> objects = read_root(text);
  if (!objects.ok()) return objects.error();
  Status unique = check_unique_ids(*objects);
  if (!unique.ok()) return unique.error();
  if (objects->empty() || objects->front().id != id::kPayloadFormatIndicator) {
    for (const DataObject& object : *objects) {
      if (object.id == id::kPayloadFormatIndicator) {
        return make_error(error_code::kFormatIndicatorNotFirst, "the payload format indicator (00) must come first",
                          std::string(id::kPayloadFormatIndicator));
      }
    }
    return make_error(error_code::kFieldMissing, "the payload format indicator (00) is missing",
                      std::string(id::kPayloadFormatIndicator));
  }
  MerchantPresentedPayload payload;
  for (DataObject& object : *objects) {
    Status decoded = decode_root_object(std::move(object), &payload);
    if (!decoded.ok()) return decoded.error();
  }
  if (payload.transaction_currency.numeric == 0) {
    return make_error(error_code::kFieldMissing, "a mandatory data object is missing",
                      std::string(id::kTransactionCurrency));
  }
  Status valid = internal::check_payload(payload);
  if (!valid.ok()) return valid.error();
  return payload;
}

}  // namespace mpay::qr
