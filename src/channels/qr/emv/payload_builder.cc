#include "channels/qr/emv/payload_builder.h"

#include <cstdio>

#include "channels/qr/emv/character_rules_internal.h"
#include "channels/qr/emv/crc16.h"
#include "channels/qr/emv/error_codes.h"
#include "channels/qr/emv/limits.h"
#include "channels/qr/emv/payload_rules_internal.h"
#include "channels/qr/emv/utf8_text_internal.h"

namespace mpay::qr {
namespace {

// Appends data objects and keeps the first failure; later appends do nothing after one.
class Writer {
 public:
  void put(std::string_view id, std::string_view value, std::string_view parent_id = {}) {
    if (status_.ok()) status_ = append_data_object(&text_, id, value, parent_id);
  }
  void put_optional(std::string_view id, const std::optional<std::string>& value, std::string_view parent_id = {}) {
    if (value) put(id, std::string_view(*value), parent_id);
  }
  void put_all(const std::vector<DataObject>& objects, std::string_view parent_id = {}) {
    for (const DataObject& object : objects) put(object.id, object.value, parent_id);
  }
  // A template: its data objects written by `fill` become the value of `id`.
  template <typename Fill>
  void put_template(std::string_view id, Fill fill) {
    if (!status_.ok()) return;
    Writer inner;
    fill(inner);
    if (!inner.status_.ok()) {
      status_ = inner.status_;
      return;
    }
    put(id, inner.text_);
  }
  const Status& status() const { return status_; }
  std::string& text() { return text_; }

 private:
  std::string text_;
  Status status_;
};

std::string_view initiation_text(InitiationMethod method) {
  return method == InitiationMethod::static_code ? "11" : "12";
}

std::string_view tip_text(TipOrConvenience tip) {
  switch (tip) {
    case TipOrConvenience::prompt_consumer: return "01";
    case TipOrConvenience::fixed_fee: return "02";
    case TipOrConvenience::percentage_fee: return "03";
  }
  return "01";
}

std::string currency_text(uint16_t numeric) {
  char text[8];
  std::snprintf(text, sizeof(text), "%03u", static_cast<unsigned>(numeric));
  return text;
}

void write_additional_data(Writer& writer, const AdditionalData& data) {
  const std::string_view parent = id::kAdditionalDataFieldTemplate;
  writer.put_template(parent, [&](Writer& inner) {
    inner.put_optional("01", data.bill_number, parent);
    inner.put_optional("02", data.mobile_number, parent);
    inner.put_optional("03", data.store_label, parent);
    inner.put_optional("04", data.loyalty_number, parent);
    inner.put_optional("05", data.reference_label, parent);
    inner.put_optional("06", data.customer_label, parent);
    inner.put_optional("07", data.terminal_label, parent);
    inner.put_optional("08", data.purpose_of_transaction, parent);
    inner.put_optional("09", data.additional_consumer_data_request, parent);
    inner.put_all(data.other_data_objects, parent);
  });
}

void write_language_template(Writer& writer, const MerchantInformationLanguage& language) {
  const std::string_view parent = id::kMerchantInformationLanguageTemplate;
  writer.put_template(parent, [&](Writer& inner) {
    inner.put("00", language.language_preference, parent);
    inner.put("01", language.merchant_name, parent);
    inner.put_optional("02", language.merchant_city, parent);
    inner.put_all(language.other_data_objects, parent);
  });
}

}  // namespace

Result<std::string> build_payload(const MerchantPresentedPayload& payload) {
  Status valid = internal::check_payload(payload);
  if (!valid.ok()) return valid.error();
  Writer writer;
  writer.put(id::kPayloadFormatIndicator, kPayloadFormatIndicatorValue);
  if (payload.point_of_initiation) {
    writer.put(id::kPointOfInitiationMethod, initiation_text(*payload.point_of_initiation));
  }
  for (const MerchantAccount& account : payload.merchant_accounts) {
    if (*internal::id_number(account.id) <= kMerchantAccountPrimitiveIdLast) {
      writer.put(account.id, account.value);
    } else {
      writer.put_template(account.id, [&](Writer& inner) { inner.put_all(account.data_objects, account.id); });
    }
  }
  writer.put(id::kMerchantCategoryCode, payload.merchant_category_code);
  writer.put(id::kTransactionCurrency, currency_text(payload.transaction_currency.numeric));
  writer.put_optional(id::kTransactionAmount, payload.transaction_amount);
  if (payload.tip_or_convenience) writer.put(id::kTipOrConvenienceIndicator, tip_text(*payload.tip_or_convenience));
  writer.put_optional(id::kConvenienceFeeFixed, payload.convenience_fee_fixed);
  writer.put_optional(id::kConvenienceFeePercentage, payload.convenience_fee_percentage);
  writer.put(id::kCountryCode, payload.country_code);
  writer.put(id::kMerchantName, payload.merchant_name);
  writer.put(id::kMerchantCity, payload.merchant_city);
  writer.put_optional(id::kPostalCode, payload.postal_code);
  if (payload.additional_data) write_additional_data(writer, *payload.additional_data);
  if (payload.language_template) write_language_template(writer, *payload.language_template);
  writer.put_all(payload.other_data_objects);
  if (!writer.status().ok()) return writer.status().error();

  std::string& text = writer.text();
  text.append(id::kCrc);
  text.append("04");
  if (internal::count_characters(text) + kCrcCharacters > kPayloadCharactersMax) {
    return Error(std::string(error_code::kPayloadTooLong), "the payload would exceed 512 characters", "");
  }
  text.append(crc_text(crc16_ccitt_false(text)));
  return std::move(text);
}

}  // namespace mpay::qr
