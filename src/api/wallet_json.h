// The JSON shapes of the wallet API (docs/wallet-api.md, docs/openapi.yaml): amounts as decimal
// strings of the wallet currency, times as RFC 3339, personal data masked.
#pragma once

#include <nlohmann/json.hpp>

#include "core/currency.h"
#include "payments/wallet/access.h"
#include "payments/wallet/p2p_transfer.h"
#include "payments/wallet/wallet_ledger.h"
#include "payments/wallet/wallet_queries.h"

namespace mpay::api {

nlohmann::json profile_json(const wallet::Profile& profile, const Currency& currency);
nlohmann::json wallet_balance_json(const wallet::WalletBalance& balance, const Currency& currency);
nlohmann::json transaction_page_json(const wallet::TransactionPage& page, const Currency& currency);
nlohmann::json p2p_receipt_json(const wallet::P2pReceipt& receipt, const Currency& currency);
nlohmann::json bank_account_json(const wallet::BankAccountRecord& account);
nlohmann::json bank_order_json(const wallet::BankOrderRecord& order, const Currency& currency);
nlohmann::json session_json(const wallet::SessionGrant& grant);

// The HTTP status for a wallet error code (400 input, 401/403 authentication and refusals,
// 404 unknown, 409 state, 422 business rule, 423 locked, 429 rate, 503 outside service down).
unsigned wallet_error_status(const std::string& code);

}  // namespace mpay::api
