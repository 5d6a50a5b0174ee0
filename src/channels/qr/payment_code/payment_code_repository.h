// Where payment-code devices are kept (src/store/sqlite/sqlite_payment_code_repository.h implements
// it on DATA/mpay.db, table payment_code_devices).
//
// Every write is durable when it returns ok. Threads: safe from any thread; calls block.
// Failure: storage failures ("store_error", "store_busy"); insert_device returns "already_exists"
// (field "device_number" or "id") when the number or id is taken; update_device returns
// "not_found" when no row has the record's id.
#pragma once

#include <vector>

#include "channels/qr/payment_code/payment_code_device.h"
#include "core/error.h"

namespace mpay::qr {

class PaymentCodeRepository {
 public:
  virtual ~PaymentCodeRepository() = default;

  virtual Status insert_device(const PaymentCodeDevice& device) = 0;
  // Writes the mutable columns (secret_sealed, revoked_at_ns, last_counter, failed_attempts,
  // locked_at_ns) of the row with device.id.
  virtual Status update_device(const PaymentCodeDevice& device) = 0;
  // Every device, revoked ones included (their numbers stay taken), for the registry at start-up.
  virtual Result<std::vector<PaymentCodeDevice>> load_devices() = 0;
};

}  // namespace mpay::qr
