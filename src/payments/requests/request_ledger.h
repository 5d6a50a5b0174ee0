// Payment requests' use of the ledger: their system accounts (fee income, one receivable per
// carrier), their transfer codes, and the transfers of each movement. Every movement is one
// linked chain submitted together with its status event (ledger submit_with_events).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "ledger/ledger.h"
#include "payments/wallet/wallet_ledger.h"

namespace mpay::requests {

// Ledger transfer codes (ledger::Transfer::code); the wallet's are 1..3.
namespace transfer_codes {
inline constexpr uint16_t merchant_payment = wallet::transfer_codes::merchant_payment;  // source -> merchant
inline constexpr uint16_t merchant_fee = 11;      // merchant -> fee income
inline constexpr uint16_t merchant_refund = 12;   // merchant -> payer's source
inline constexpr uint16_t fee_return = 13;        // fee income -> merchant
}  // namespace transfer_codes

AccountId fee_income_account_id(uint16_t currency);
AccountId carrier_receivable_account_id(std::string_view carrier, uint16_t currency);

// Creates the fee income account (idempotent).
Status ensure_fee_income_account(ledger::Ledger& ledger, uint16_t currency);
// Creates a carrier's receivable account (idempotent).
Status ensure_carrier_account(ledger::Ledger& ledger, std::string_view carrier, uint16_t currency);

// Marks every transfer but the last as linked, so the chain succeeds or fails as one.
void link_chain(std::vector<ledger::Transfer>& chain);

}  // namespace mpay::requests

namespace mpay::requests {

// The chain that pays a merchant `amount` from `source` (a wallet, the bank clearing account, a
// carrier receivable): automatic capture moves it and books the fee; manual capture holds it
// (a pending transfer that times out `hold_timeout_s` later, as a backstop to the authorization's
// own deadline).
struct PaymentChain {
  std::vector<ledger::Transfer> transfers;
  TransferId main_id;  // the payment, or the hold
};
PaymentChain payment_chain(UuidV7Generator& ids, const AccountId& source,
                           const AccountId& merchant, uint16_t currency, int64_t amount_minor,
                           int64_t fee_minor, bool hold, uint32_t hold_timeout_s);

// Capturing `amount_minor` of a hold (the rest is released) and booking its fee.
std::vector<ledger::Transfer> capture_chain(UuidV7Generator& ids, const TransferId& hold,
                                            const AccountId& merchant, uint16_t currency,
                                            int64_t amount_minor, int64_t fee_minor);

// Releasing a hold entirely.
std::vector<ledger::Transfer> void_chain(UuidV7Generator& ids, const TransferId& hold);

}  // namespace mpay::requests
