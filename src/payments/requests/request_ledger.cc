#include "payments/requests/request_ledger.h"

#include <future>

#include "ledger/result_codes.h"
#include "payments/wallet/wallet_ledger.h"

namespace mpay::requests {
namespace {

Status create_account(ledger::Ledger& ledger, const ledger::Account& account) {
  std::promise<std::vector<ledger::EventOutcome>> done;
  auto future = done.get_future();
  Status submitted = ledger.submit_accounts(
      {account}, [&done](std::vector<ledger::EventOutcome> o) { done.set_value(std::move(o)); });
  if (!submitted.ok()) return submitted;
  auto result = static_cast<ledger::CreateAccountResult>(future.get().at(0).result);
  if (!ledger::is_success(result)) {
    return Error("ledger_rejected", std::string("account: ") + std::string(ledger::result_name(result)));
  }
  return ok_status();
}

}  // namespace

AccountId fee_income_account_id(uint16_t currency) {
  return AccountId(wallet::derived_id("system:fee_income:" + std::to_string(currency)));
}

AccountId carrier_receivable_account_id(std::string_view carrier, uint16_t currency) {
  return AccountId(wallet::derived_id("carrier:" + std::string(carrier) + ":" +
                                      std::to_string(currency)));
}

Status ensure_fee_income_account(ledger::Ledger& ledger, uint16_t currency) {
  ledger::Account account;
  account.id = fee_income_account_id(currency);
  account.currency = currency;
  account.kind = ledger::AccountKind::fee_income;
  return create_account(ledger, account);
}

Status ensure_carrier_account(ledger::Ledger& ledger, std::string_view carrier, uint16_t currency) {
  ledger::Account account;
  account.id = carrier_receivable_account_id(carrier, currency);
  account.currency = currency;
  account.kind = ledger::AccountKind::carrier_receivable;
  return create_account(ledger, account);
}

void link_chain(std::vector<ledger::Transfer>& chain) {
  for (size_t i = 0; i + 1 < chain.size(); ++i) chain[i].flags |= ledger::transfer_flags::linked;
}

}  // namespace mpay::requests

namespace mpay::requests {
namespace {

ledger::Transfer fee_transfer(UuidV7Generator& ids, const AccountId& merchant, uint16_t currency,
                              int64_t fee_minor) {
  ledger::Transfer fee;
  fee.id = TransferId(ids.next());
  fee.debit_account_id = merchant;
  fee.credit_account_id = fee_income_account_id(currency);
  fee.amount = fee_minor;
  fee.currency = currency;
  fee.code = transfer_codes::merchant_fee;
  return fee;
}

}  // namespace

PaymentChain payment_chain(UuidV7Generator& ids, const AccountId& source,
                           const AccountId& merchant, uint16_t currency, int64_t amount_minor,
                           int64_t fee_minor, bool hold, uint32_t hold_timeout_s) {
  PaymentChain chain;
  ledger::Transfer payment;
  payment.id = TransferId(ids.next());
  payment.debit_account_id = source;
  payment.credit_account_id = merchant;
  payment.amount = amount_minor;
  payment.currency = currency;
  payment.code = transfer_codes::merchant_payment;
  if (hold) {
    payment.flags = ledger::transfer_flags::pending;
    payment.timeout_s = hold_timeout_s;
  }
  chain.main_id = payment.id;
  chain.transfers.push_back(payment);
  if (!hold && fee_minor > 0) {
    chain.transfers.push_back(fee_transfer(ids, merchant, currency, fee_minor));
  }
  link_chain(chain.transfers);
  return chain;
}

std::vector<ledger::Transfer> capture_chain(UuidV7Generator& ids, const TransferId& hold,
                                            const AccountId& merchant, uint16_t currency,
                                            int64_t amount_minor, int64_t fee_minor) {
  std::vector<ledger::Transfer> chain;
  ledger::Transfer post;
  post.id = TransferId(ids.next());
  post.pending_id = hold;
  post.amount = amount_minor;
  post.code = transfer_codes::merchant_payment;
  post.flags = ledger::transfer_flags::post_pending_transfer;
  chain.push_back(post);
  if (fee_minor > 0) chain.push_back(fee_transfer(ids, merchant, currency, fee_minor));
  link_chain(chain);
  return chain;
}

std::vector<ledger::Transfer> void_chain(UuidV7Generator& ids, const TransferId& hold) {
  ledger::Transfer release;
  release.id = TransferId(ids.next());
  release.pending_id = hold;
  release.code = transfer_codes::merchant_payment;
  release.flags = ledger::transfer_flags::void_pending_transfer;
  return {release};
}

}  // namespace mpay::requests
