// The public face of src/channels/qr/emv: the EMVCo merchant-presented QR payload codec.
//
// What: include this one header to build and parse payloads (payload_builder.h, payload_parser.h),
// work with the model (payload.h), amounts (payload_amount.h), merchant account templates
// (merchant_account.h, mpay_account_template.h), raw data objects (tlv.h) and the CRC (crc16.h).
// Every error code is listed in error_codes.h; every limit in limits.h.
// Threads: everything here is pure or immutable and thread-safe.
// Failure: errors as values (core/error.h); nothing throws across this boundary.
#pragma once

#include "channels/qr/emv/crc16.h"
#include "channels/qr/emv/error_codes.h"
#include "channels/qr/emv/limits.h"
#include "channels/qr/emv/merchant_account.h"
#include "channels/qr/emv/mpay_account_template.h"
#include "channels/qr/emv/payload.h"
#include "channels/qr/emv/payload_amount.h"
#include "channels/qr/emv/payload_builder.h"
#include "channels/qr/emv/payload_parser.h"
#include "channels/qr/emv/tlv.h"
