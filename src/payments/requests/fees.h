// Merchant fees in integer minor units.
//
// Rule: fee = amount * fee_bps / 10000, rounded half up to the minor unit (computed exactly in
// 128-bit integers). A refund returns the fee in proportion: after refunds totalling R of a
// captured amount C with fee F, the merchant has had floor(F * R / C) back in all; each refund
// returns the difference to what was returned before, so a full refund returns exactly F and
// rounding never gives back more than was taken.
#pragma once

#include <cstdint>

namespace mpay::requests {

int64_t fee_for(int64_t amount_minor, uint32_t fee_bps);

// What one refund returns, given the totals before it.
int64_t fee_returned_by(int64_t captured_minor, int64_t fee_minor, int64_t refunded_before_minor,
                        int64_t fee_returned_before_minor, int64_t refund_minor);

}  // namespace mpay::requests
