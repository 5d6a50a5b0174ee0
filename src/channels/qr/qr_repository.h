// Storage of the QR channel's own records, behind an interface so that this module does not depend
// on how they are stored (src/store/sqlite/sqlite_qr_repository.h implements it on mpay.db).
// Every write is durable when it returns. Thread-safe; calls block.
#pragma once

#include <functional>

#include "channels/qr/merchant_code_records.h"
#include "core/error.h"

namespace mpay::qr {

class QrRepository {
 public:
  virtual ~QrRepository() = default;
  // already_exists: the token is taken (the caller draws another).
  virtual Status insert_code(const MerchantCode& code) = 0;
  // Records the first scanner of a dynamic code; already_exists when another user claimed it.
  virtual Status claim_code(const Id128& code_id, const wallet::UserId& user, int64_t at_ns) = 0;
  virtual Status set_code_request(const Id128& code_id, const Id128& request_id) = 0;
  virtual Status deactivate_code(const Id128& code_id, int64_t at_ns) = 0;
  // A user's own limit for payment codes without confirmation, in minor units.
  virtual Status set_payment_code_limit(const wallet::UserId& user, int64_t limit_minor,
                                        int64_t at_ns) = 0;
  virtual Status load(const std::function<void(MerchantCode)>& code,
                      const std::function<void(wallet::UserId, int64_t)>& payment_code_limit) = 0;
};

}  // namespace mpay::qr
