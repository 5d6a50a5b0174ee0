#include "payments/requests/fees.h"

namespace mpay::requests {

int64_t fee_for(int64_t amount_minor, uint32_t fee_bps) {
  __int128 scaled = static_cast<__int128>(amount_minor) * fee_bps;
  return static_cast<int64_t>((scaled + 5000) / 10000);
}

int64_t fee_returned_by(int64_t captured_minor, int64_t fee_minor, int64_t refunded_before_minor,
                        int64_t fee_returned_before_minor, int64_t refund_minor) {
  if (captured_minor <= 0 || fee_minor <= 0) return 0;
  __int128 refunded_after = static_cast<__int128>(refunded_before_minor) + refund_minor;
  auto owed_in_all = static_cast<int64_t>(static_cast<__int128>(fee_minor) * refunded_after /
                                          captured_minor);
  int64_t share = owed_in_all - fee_returned_before_minor;
  return share > 0 ? share : 0;
}

}  // namespace mpay::requests
