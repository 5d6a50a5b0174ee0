// Decoding the QR API's bodies and query strings (merchant codes, scans, payment codes and their
// devices, image options): strict JSON into the channel's request values, every mistake a precise
// 400-class error naming its field. Pure functions, fuzzed by fuzz/qr_requests_fuzz.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/payment_request_requests.h"
#include "channels/qr/merchant_codes.h"
#include "channels/qr/payment_code_charge.h"
#include "channels/qr/scan.h"

namespace mpay::api {

// {"type","amount"?,"currency"?,"merchant_reference"?,"description"?,"terminal_label"?,
//  "expires_in_s"?,"metadata"?,"alternate_language"?:{"language","name","city"?}}
Result<qr::NewMerchantCode> decode_new_merchant_code(std::string_view body,
                                                     size_t metadata_keys_max);
// {"payload","amount"?,"currency"?,"description"?}
Result<qr::ScanRequest> decode_scan(std::string_view body);
// {"code","amount","currency","merchant_reference","description"?,"metadata"?}
Result<qr::PaymentCodeCharge> decode_payment_code_charge(std::string_view body,
                                                         size_t metadata_keys_max);
struct DeviceProvision {
  std::string pin;
  std::string label;
};
// {"pin","label"?}
Result<DeviceProvision> decode_device_provision(std::string_view body);
// {"pin"}
Result<std::string> decode_pin(std::string_view body);
// {"amount"}: the user's own limit for payment codes without confirmation.
Result<std::string> decode_payment_code_limit(std::string_view body);

// ?limit=&after= of GET /v1/qr/merchant-codes.
struct CodeListQuery {
  std::optional<Id128> after;
  uint32_t limit = 50;
};
Result<CodeListQuery> decode_code_list_query(const QueryParams& query, uint32_t limit_max);

// ?ec=L|M|Q|H&module_px=N&margin=N&caption=true|false&form=emv|url of the image routes.
struct ImageQuery {
  char error_correction = 'M';
  int module_px = 8;
  int margin_modules = 4;
  bool caption = true;
  bool url_form = false;  // the code's URL instead of its EMV payload
};
Result<ImageQuery> decode_image_query(const QueryParams& query);

}  // namespace mpay::api
