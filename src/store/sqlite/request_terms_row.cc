#include "store/sqlite/request_terms_row.h"

namespace mpay::store::sqlite {

requests::RequestTerms request_terms_from(const Statement& s) {
  requests::RequestTerms t;
  t.id = s.column_id(0);
  t.merchant_id = s.column_id(1);
  t.merchant_reference = s.column_text(2);
  t.payer_id = wallet::UserId(s.column_id(3));
  t.payer_phone_masked = s.column_text(4);
  t.amount_minor = s.column_int64(5);
  t.currency = static_cast<uint16_t>(s.column_int64(6));
  t.description = s.column_text(7);
  t.metadata_json = s.column_text(8);
  t.capture = s.column_text(9) == "manual" ? requests::CaptureMode::manual
                                           : requests::CaptureMode::automatic;
  t.created_at_ns = s.column_int64(10);
  t.expires_at_ns = s.column_int64(11);
  if (!s.column_is_null(12)) t.mandate_id = s.column_id(12);
  return t;
}

}  // namespace mpay::store::sqlite
