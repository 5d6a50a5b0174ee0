// Moving the money of a confirmed payment request from the source the user chose:
//   wallet      the prepaid balance (KYC spending limits apply; no overdraft);
//   phone_bill  the user's carrier bill, within a monthly allowance; booked against the carrier's
//               receivable account;
//   bank        pulled from the user's linked bank account through the bank connector, then paid
//               from the bank clearing account; automatic capture only (a bank debit cannot be
//               held and released). A decline or timeout fails the request (status failed).
// Each takes a request the caller has claimed and always releases it (request_commit.h).
#pragma once

#include "payments/requests/merchant_lookup.h"
#include "payments/requests/request_commit.h"
#include "payments/requests/request_repository.h"

namespace mpay::requests {

// Errors: insufficient_funds, limit_*, ledger_*.
void pay_from_wallet(RequestContext& context, const PaymentRequest& claimed,
                     const wallet::UserRecord& payer, const MerchantProfile& merchant,
                     RequestDone done);

// Errors: carrier_not_set, phone_bill_allowance_exceeded, ledger_*.
void pay_from_phone_bill(RequestContext& context, const PaymentRequest& claimed,
                         const wallet::UserRecord& payer, const MerchantProfile& merchant,
                         RequestDone done);

// Hands the pull to the bank and answers at once with the request still awaiting confirmation
// (the claim stays until the bank answers; then the request succeeds or fails). Errors:
// funding_not_supported (manual capture), bank_account_not_found, bank_*, store_error.
void pay_from_bank(RequestContext& context, const PaymentRequest& claimed,
                   const wallet::BankAccountRecord& account, const MerchantProfile& merchant,
                   RequestDone done);

// After a restart: a pull whose request is still awaiting confirmation is handed to the bank again
// under the same reference (the bank answers the first order's result; money never moves twice).
void resume_bank_pull(RequestContext& context, const BankPull& pull);

}  // namespace mpay::requests
