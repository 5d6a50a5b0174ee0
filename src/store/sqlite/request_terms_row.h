// A payment request's terms as mpay.db's tables hold them (payment_requests, the legacy table,
// and payment_request_archive): the same thirteen columns first, in this order.
#pragma once

#include "payments/requests/request_records.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::store::sqlite {

// For a SELECT list: id, merchant_id, merchant_reference, payer_id, payer_phone_masked,
// amount_minor, currency, description, metadata_json, capture, created_at_ns, expires_at_ns,
// mandate_id.
inline constexpr const char* kRequestTermsColumns =
    "id, merchant_id, merchant_reference, payer_id, payer_phone_masked, amount_minor, currency, "
    "description, metadata_json, capture, created_at_ns, expires_at_ns, mandate_id";
inline constexpr int kRequestTermsColumnCount = 13;

// The terms from columns 0-12 of a row selected with kRequestTermsColumns first.
requests::RequestTerms request_terms_from(const Statement& s);

}  // namespace mpay::store::sqlite
