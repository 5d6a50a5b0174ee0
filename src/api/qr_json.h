// JSON views of the QR channel's records for the API (docs/qr.md), and the HTTP status of each
// QR error code. Pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "channels/qr/merchant_codes.h"
#include "channels/qr/payment_code/payment_code_devices.h"
#include "channels/qr/scan.h"
#include "core/currency.h"

namespace mpay::api {

// A merchant's code: id, type, status, token, payload, url, amount, image links, ...
nlohmann::json merchant_code_json(const qr::MerchantCode& code, const std::string& url,
                                  int64_t now_ns, const Currency& currency);
// What a scan found: the merchant, the amount or that one is needed; "payment_request" is the
// payer's view of the request (payer_request_json), or null.
nlohmann::json scan_json(const qr::ScanOutcome& outcome, const Currency& currency);

// A payment-code device: id, device_number, label, status (active | locked | revoked), times.
nlohmann::json payment_code_device_json(const qr::PaymentCodeDevice& device);
// The same with the secret (base32) and the algorithm's parameters: shown once, at provisioning.
nlohmann::json provisioned_device_json(const qr::ProvisionedDevice& provisioned);

unsigned qr_error_status(const std::string& code);

}  // namespace mpay::api
