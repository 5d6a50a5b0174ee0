#include <set>
#include <string>
#include <string_view>

#include "channels/qr/emv/character_rules_internal.h"
#include "channels/qr/emv/error_codes.h"
#include "channels/qr/emv/limits.h"
#include "channels/qr/emv/payload_amount.h"
#include "channels/qr/emv/payload_rules_internal.h"
#include "channels/qr/emv/utf8_text_internal.h"

namespace mpay::qr::internal {
namespace {

Error make_error(std::string_view code, std::string_view message, std::string field) {
  return Error(std::string(code), std::string(message), std::move(field));
}

enum class Characters { alphanumeric_special, any_utf8 };

// A value of min..max characters in the given set; `field` names it in errors.
Status check_text(std::string_view value, size_t characters_min, size_t characters_max,
                  Characters characters, const std::string& field) {
  if (!is_valid_utf8(value)) return make_error(error_code::kUtf8Invalid, "not well-formed UTF-8", field);
  size_t count = count_characters(value);
  if (count < characters_min || count > characters_max) {
    return make_error(error_code::kFieldLengthInvalid, "the value is too short or too long for its ID", field);
  }
  if (characters == Characters::alphanumeric_special && !is_alphanumeric_special(value)) {
    return make_error(error_code::kFieldCharactersInvalid,
                      "only the alphanumeric special characters (0x20-0x7E) are allowed", field);
  }
  return ok_status();
}

Status check_mandatory_text(std::string_view value, size_t characters_max, const std::string& field) {
  if (value.empty()) return make_error(error_code::kFieldMissing, "a mandatory data object is missing", field);
  return check_text(value, 1, characters_max, Characters::alphanumeric_special, field);
}

Status check_optional_text(const std::optional<std::string>& value, size_t characters_max,
                           Characters characters, const std::string& field) {
  if (!value) return ok_status();
  return check_text(*value, 1, characters_max, characters, field);
}

// Preserved data objects: IDs in [id_first, 99], unique, values 1-99 characters of any UTF-8.
Status check_preserved(const std::vector<DataObject>& objects, int id_first, std::string_view parent_id) {
  for (const DataObject& object : objects) {
    std::optional<int> number = id_number(object.id);
    if (!number || *number < id_first || *number > kIdLast) {
      return make_error(error_code::kIdInvalid, "this ID is not allowed here", field_name(parent_id, object.id));
    }
    Status text = check_text(object.value, kValueCharactersMin, kValueCharactersMax, Characters::any_utf8,
                             field_name(parent_id, object.id));
    if (!text.ok()) return text;
  }
  return check_unique_ids(objects, parent_id);
}

Status check_merchant_account(const MerchantAccount& account) {
  std::optional<int> number = id_number(account.id);
  if (!number || *number < kMerchantAccountIdFirst || *number > kMerchantAccountIdLast) {
    return make_error(error_code::kIdInvalid, "a merchant account has an ID from 02 to 51", account.id);
  }
  if (*number <= kMerchantAccountPrimitiveIdLast) {
    if (!account.data_objects.empty()) {
      return make_error(error_code::kIdInvalid, "merchant accounts 02-25 are primitive, not templates", account.id);
    }
    return check_text(account.value, kValueCharactersMin, kValueCharactersMax, Characters::alphanumeric_special,
                      account.id);
  }
  if (!account.value.empty()) {
    return make_error(error_code::kIdInvalid, "merchant accounts 26-51 are templates", account.id);
  }
  bool has_identifier = false;
  for (const DataObject& object : account.data_objects) {
    std::string field = field_name(account.id, object.id);
    if (!id_number(object.id)) return make_error(error_code::kIdInvalid, "an ID is not two digits", field);
    bool is_identifier = object.id == id::kGloballyUniqueIdentifier;
    has_identifier = has_identifier || is_identifier;
    Status text = check_text(object.value, 1, is_identifier ? kGloballyUniqueIdentifierCharactersMax : kValueCharactersMax,
                             Characters::alphanumeric_special, field);
    if (!text.ok()) return text;
  }
  if (!has_identifier) {
    return make_error(error_code::kGloballyUniqueIdentifierMissing,
                      "a merchant account template needs its globally unique identifier",
                      field_name(account.id, id::kGloballyUniqueIdentifier));
  }
  return check_unique_ids(account.data_objects, account.id);
}

Status check_merchant_accounts(const std::vector<MerchantAccount>& accounts) {
  if (accounts.empty()) {
    return make_error(error_code::kMerchantAccountMissing, "at least one merchant account (02-51) is needed", "");
  }
  std::set<std::string_view> seen;
  for (const MerchantAccount& account : accounts) {
    Status checked = check_merchant_account(account);
    if (!checked.ok()) return checked;
    if (!seen.insert(account.id).second) {
      return make_error(error_code::kDuplicateId, "an ID occurs twice", account.id);
    }
  }
  return ok_status();
}

Status check_fixed_digits(std::string_view value, size_t digits, std::string_view id) {
  std::string field(id);
  if (value.empty()) return make_error(error_code::kFieldMissing, "a mandatory data object is missing", field);
  if (!is_valid_utf8(value)) return make_error(error_code::kUtf8Invalid, "not well-formed UTF-8", field);
  if (count_characters(value) != digits) {
    return make_error(error_code::kFieldLengthInvalid, "the value has the wrong length for its ID", field);
  }
  if (!is_digits(value)) return make_error(error_code::kFieldCharactersInvalid, "only digits are allowed", field);
  return ok_status();
}

Status check_percentage(std::string_view text) {
  std::string field(id::kConvenienceFeePercentage);
  Status length = check_text(text, 1, kPercentageCharactersMax, Characters::alphanumeric_special, field);
  if (!length.ok()) return length;
  size_t point = text.find('.');
  std::string_view integer_part = text.substr(0, point);
  std::string_view fraction_part = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  bool well_formed = is_digits(integer_part) && integer_part.size() <= 2 && fraction_part.size() <= 2 &&
                     (fraction_part.empty() || is_digits(fraction_part));
  if (!well_formed) {
    return make_error(error_code::kConvenienceFeeInvalid, "a percentage is written like 3.5 or 03.50", field);
  }
  int hundredths = 0;
  for (char c : integer_part) hundredths = hundredths * 10 + (c - '0');
  hundredths *= 100;
  int scale = 10;
  for (char c : fraction_part) {
    hundredths += (c - '0') * scale;
    scale /= 10;
  }
  if (hundredths < kPercentageHundredthsMin || hundredths > kPercentageHundredthsMax) {
    return make_error(error_code::kConvenienceFeeInvalid, "a percentage is between 00.01 and 99.99", field);
  }
  return ok_status();
}

Status check_tip(const MerchantPresentedPayload& payload, const Currency& currency) {
  bool fixed = payload.tip_or_convenience == TipOrConvenience::fixed_fee;
  bool percentage = payload.tip_or_convenience == TipOrConvenience::percentage_fee;
  if (payload.convenience_fee_fixed.has_value() != fixed) {
    return make_error(fixed ? error_code::kConvenienceFeeMissing : error_code::kConvenienceFeeUnexpected,
                      "56 is present exactly when 55 is 02", std::string(id::kConvenienceFeeFixed));
  }
  if (payload.convenience_fee_percentage.has_value() != percentage) {
    return make_error(percentage ? error_code::kConvenienceFeeMissing : error_code::kConvenienceFeeUnexpected,
                      "57 is present exactly when 55 is 03", std::string(id::kConvenienceFeePercentage));
  }
  if (fixed) {
    Result<int64_t> fee = amount_text_to_minor(*payload.convenience_fee_fixed, currency, id::kConvenienceFeeFixed);
    if (!fee.ok()) return fee.error();
  }
  if (percentage) return check_percentage(*payload.convenience_fee_percentage);
  return ok_status();
}

Status check_additional_data(const AdditionalData& data) {
  const std::string parent(id::kAdditionalDataFieldTemplate);
  const std::optional<std::string>* named[] = {
      &data.bill_number,    &data.mobile_number,  &data.store_label,
      &data.loyalty_number, &data.reference_label, &data.customer_label,
      &data.terminal_label, &data.purpose_of_transaction};
  int number = 1;
  for (const std::optional<std::string>* value : named) {
    Status checked = check_optional_text(*value, kAdditionalDataCharactersMax, Characters::alphanumeric_special,
                                         field_name(parent, id_text(number)));
    if (!checked.ok()) return checked;
    ++number;
  }
  if (data.additional_consumer_data_request) {
    std::string field = field_name(parent, id_text(9));
    const std::string& request = *data.additional_consumer_data_request;
    Status checked = check_text(request, 1, kConsumerDataRequestCharactersMax, Characters::alphanumeric_special, field);
    if (!checked.ok()) return checked;
    std::set<char> seen;
    for (char c : request) {
      if ((c != 'A' && c != 'M' && c != 'E') || !seen.insert(c).second) {
        return make_error(error_code::kFieldCharactersInvalid, "only A, M and E, each at most once", field);
      }
    }
  }
  return check_preserved(data.other_data_objects, kAdditionalDataOtherIdFirst, parent);
}

Status check_language_template(const MerchantInformationLanguage& language) {
  const std::string parent(id::kMerchantInformationLanguageTemplate);
  std::string language_field = field_name(parent, "00");
  if (language.language_preference.empty()) {
    return make_error(error_code::kFieldMissing, "the language template needs its language preference",
                      language_field);
  }
  Status checked = check_text(language.language_preference, kLanguagePreferenceCharacters,
                              kLanguagePreferenceCharacters, Characters::alphanumeric_special, language_field);
  if (!checked.ok()) return checked;
  if (!is_ascii_letters(language.language_preference)) {
    return make_error(error_code::kFieldCharactersInvalid, "a language is two ISO 639-1 letters", language_field);
  }
  std::string name_field = field_name(parent, "01");
  if (language.merchant_name.empty()) {
    return make_error(error_code::kFieldMissing, "the language template needs the merchant's name", name_field);
  }
  checked = check_text(language.merchant_name, 1, kAlternateNameCharactersMax, Characters::any_utf8, name_field);
  if (!checked.ok()) return checked;
  checked = check_optional_text(language.merchant_city, kAlternateCityCharactersMax, Characters::any_utf8,
                                field_name(parent, "02"));
  if (!checked.ok()) return checked;
  return check_preserved(language.other_data_objects, kLanguageOtherIdFirst, parent);
}

}  // namespace

Status check_payload(const MerchantPresentedPayload& payload) {
  Status checked = check_merchant_accounts(payload.merchant_accounts);
  if (!checked.ok()) return checked;
  checked = check_fixed_digits(payload.merchant_category_code, kMerchantCategoryCodeCharacters,
                               id::kMerchantCategoryCode);
  if (!checked.ok()) return checked;
  std::optional<Currency> currency = currency_by_numeric(payload.transaction_currency.numeric);
  if (!currency || currency->code != payload.transaction_currency.code) {
    return make_error(error_code::kCurrencyUnknown, "the transaction currency is not a known ISO 4217 currency",
                      std::string(id::kTransactionCurrency));
  }
  if (payload.transaction_amount) {
    Result<int64_t> amount = amount_text_to_minor(*payload.transaction_amount, *currency, id::kTransactionAmount);
    if (!amount.ok()) return amount.error();
  }
  checked = check_tip(payload, *currency);
  if (!checked.ok()) return checked;
  std::string country_field(id::kCountryCode);
  if (payload.country_code.empty()) {
    return make_error(error_code::kFieldMissing, "a mandatory data object is missing", country_field);
  }
  checked = check_text(payload.country_code, kCountryCodeCharacters, kCountryCodeCharacters,
                       Characters::alphanumeric_special, country_field);
  if (!checked.ok()) return checked;
  if (!is_upper_case_letters(payload.country_code)) {
    return make_error(error_code::kFieldCharactersInvalid, "a country code is two upper-case letters", country_field);
  }
  checked = check_mandatory_text(payload.merchant_name, kMerchantNameCharactersMax, std::string(id::kMerchantName));
  if (!checked.ok()) return checked;
  checked = check_mandatory_text(payload.merchant_city, kMerchantCityCharactersMax, std::string(id::kMerchantCity));
  if (!checked.ok()) return checked;
  checked = check_optional_text(payload.postal_code, kPostalCodeCharactersMax, Characters::alphanumeric_special,
                                std::string(id::kPostalCode));
  if (!checked.ok()) return checked;
  if (payload.additional_data) {
    checked = check_additional_data(*payload.additional_data);
    if (!checked.ok()) return checked;
  }
  if (payload.language_template) {
    checked = check_language_template(*payload.language_template);
    if (!checked.ok()) return checked;
  }
  return check_preserved(payload.other_data_objects, kPreservedIdFirst, "");
}

}  // namespace mpay::qr::internal
