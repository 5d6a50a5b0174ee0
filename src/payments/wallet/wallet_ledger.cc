#include "payments/wallet/wallet_ledger.h"

#include <xxhash.h>

#include <future>

namespace mpay::wallet {

Id128 derived_id(std::string_view name) {
  XXH128_hash_t hash = XXH3_128bits(name.data(), name.size());
  Id128 id{hash.high64, hash.low64};
  id.high = (id.high & ~0xF000ULL) | 0x8000ULL;                  // version 8
  id.low = (id.low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 9562 variant
  return id;
}

AccountId bank_clearing_account_id(uint16_t currency) {
  return AccountId(derived_id("system:bank_clearing:" + std::to_string(currency)));
}

namespace {

Status create_account(ledger::Ledger& ledger, const ledger::Account& account) {
  std::promise<std::vector<ledger::EventOutcome>> done;
  auto future = done.get_future();
  Status submitted = ledger.submit_accounts(
      {account}, [&done](std::vector<ledger::EventOutcome> outcomes) { done.set_value(std::move(outcomes)); });
  if (!submitted.ok()) return submitted;
  std::vector<ledger::EventOutcome> outcomes = future.get();
  auto result = static_cast<ledger::CreateAccountResult>(outcomes.at(0).result);
  if (!ledger::is_success(result)) {
    return Error("ledger_rejected", std::string("account: ") + std::string(ledger::result_name(result)));
  }
  return ok_status();
}

}  // namespace

Status ensure_system_accounts(ledger::Ledger& ledger, uint16_t currency) {
  ledger::Account clearing;
  clearing.id = bank_clearing_account_id(currency);
  clearing.currency = currency;
  clearing.kind = ledger::AccountKind::bank_clearing;
  return create_account(ledger, clearing);
}

Status open_wallet_account(ledger::Ledger& ledger, const AccountId& account, uint16_t currency) {
  ledger::Account wallet;
  wallet.id = account;
  wallet.currency = currency;
  wallet.kind = ledger::AccountKind::user_wallet;
  wallet.flags = ledger::account_flags::debits_must_not_exceed_credits;
  return create_account(ledger, wallet);
}

Result<ledger::CreateTransferResult> move_money(ledger::Ledger& ledger,
                                                const ledger::Transfer& transfer) {
  std::promise<std::vector<ledger::EventOutcome>> done;
  auto future = done.get_future();
  Status submitted = ledger.submit_transfers(
      {transfer}, [&done](std::vector<ledger::EventOutcome> outcomes) { done.set_value(std::move(outcomes)); });
  if (!submitted.ok()) return submitted.error();
  std::vector<ledger::EventOutcome> outcomes = future.get();
  return static_cast<ledger::CreateTransferResult>(outcomes.at(0).result);
}

Result<WalletBalance> wallet_balance(ledger::Ledger& ledger, const AccountId& account) {
  std::optional<ledger::AccountState> state = ledger.lookup_account(account);
  if (!state) return Error("wallet_not_found", "the wallet account does not exist");
  const ledger::AccountBalances& b = state->balances;
  WalletBalance balance;
  balance.posted_minor = b.credits_posted - b.debits_posted;
  balance.outgoing_pending_minor = b.debits_pending;
  balance.incoming_pending_minor = b.credits_pending;
  balance.available_minor = balance.posted_minor - b.debits_pending;
  return balance;
}

}  // namespace mpay::wallet
