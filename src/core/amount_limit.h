// The largest amount one operation may move, in minor units of any currency.
//
// Every amount a client sends (a payment request, a capture, a refund, a transfer, a top-up, a
// withdrawal, a QR code's fixed amount, a payment-code charge, a mandate's caps) is at most
// kAmountMinorMax. Why a limit far below INT64_MAX (9.2 * 10^18):
// - arithmetic stays in range with room to spare: a fee (amount * fee_bps, at most 10^13 * 10^4 =
//   10^17) fits in int64 even before the 128-bit fee computation, and about 922,000 maximal
//   amounts can be added before a sum (a balance, a day's or month's spending, a merchant's
//   captured total, the amounts in flight) could overflow; sums are still checked where they are
//   taken;
// - it is still above any single payment a wallet can carry: 10^13 minor units is
//   100,000,000,000.00 in a two-decimal currency (CNY, USD, KES), 10,000,000,000.000 KWD,
//   10,000,000,000,000 JPY or VND. KYC limits and balance caps are far lower; this bound is for
//   what no deployment's configuration can make sensible, so it is the same for every currency.
// Pure constants and functions: safe from any thread.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "core/currency.h"
#include "core/error.h"

namespace mpay {

inline constexpr int64_t kAmountMinorMax = 10'000'000'000'000;  // 10^13
static_assert(kAmountMinorMax <= std::numeric_limits<int64_t>::max() / 10'000,
              "amount * fee_bps (at most 10000) must fit in int64");
static_assert(std::numeric_limits<int64_t>::max() / kAmountMinorMax >= 900'000,
              "leave room for sums of many maximal amounts");

// 422 amount_too_large (field "amount" unless another is given): the message names the maximum in
// `currency`, e.g. "the amount is at most 100000000000.00 CNY".
Error amount_too_large(const Currency& currency, std::string field = "amount");

// For a parse_amount() result: an amount above kAmountMinorMax, or parse_amount's amount_overflow
// (beyond int64, which is above the maximum too), becomes amount_too_large on `field`; any other
// result is returned as it is.
Result<int64_t> within_amount_max(Result<int64_t> parsed, const Currency& currency,
                                  std::string field = "amount");

}  // namespace mpay
