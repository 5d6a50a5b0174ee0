#include "payments/wallet/bank_orders.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include "core/money.h"
#include "ledger/result_codes.h"
#include "payments/wallet/kyc.h"
#include "payments/wallet/p2p_transfer.h"
#include "payments/wallet/pin_guard.h"
#include "payments/wallet/wallet_ledger.h"

namespace mpay::wallet {
namespace {

TransferId order_transfer_id(const std::string& reference, std::string_view step) {
  return TransferId(derived_id("bank-order:" + reference + ":" + std::string(step)));
}

Result<UserRecord> load_user(WalletContext& context, const UserId& user_id) {
  Result<std::optional<UserRecord>> found = context.users.by_id(user_id);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Error("user_not_found", "the user does not exist");
  return **found;
}

Result<BankAccountRecord> own_bank_account(WalletContext& context, const UserId& user_id,
                                           const std::string& text) {
  std::optional<Id128> id = parse_uuid_text(text);
  Error missing("bank_account_not_found", "no linked bank account has this id", "bank_account_id");
  if (!id) return missing;
  Result<std::optional<BankAccountRecord>> account = context.repository.find_bank_account(*id);
  if (!account.ok()) return account.error();
  if (!account->has_value() || !((*account)->user_id == user_id)) return missing;
  return **account;
}

bank::BankOrder bank_order_of(const BankOrderRecord& record, const BankAccountRecord& account,
                              const Currency& currency) {
  return bank::BankOrder{record.reference, account.bank_account_token, record.amount_minor,
                         std::string(currency.code)};
}

Status record_outcome(WalletContext& context, BankOrderRecord order, BankOrderStatus status,
                      std::string decline_code) {
  order.status = status;
  order.decline_code = std::move(decline_code);
  order.updated_at_ns = context.clock.now_ns();
  return context.repository.update_bank_order(order);
}

// The ledger side of a final bank answer; runs on the background worker (it blocks).
void settle(WalletContext& context, const std::string& reference, const bank::BankOrderResult& answer) {
  Result<std::optional<BankOrderRecord>> found = context.repository.find_bank_order(reference);
  if (!found.ok() || !found->has_value()) {
    spdlog::error("bank answer for unknown order {}: {}", reference,
                  found.ok() ? "not found" : found.error().message);
    return;
  }
  BankOrderRecord order = **found;
  if (order.status != BankOrderStatus::pending) return;  // settled before (a replayed answer)
  Result<std::optional<UserRecord>> user = context.users.by_id(order.user_id);
  if (!user.ok() || !user->has_value()) {
    spdlog::error("bank order {} names an unknown user", reference);
    return;
  }
  const bool confirmed = answer.outcome == bank::BankOrderOutcome::confirmed;
  ledger::Transfer transfer;
  transfer.currency = order.currency;
  if (order.kind == BankOrderKind::top_up) {
    if (!confirmed) {
      Status stored = record_outcome(context, order,
                                     answer.outcome == bank::BankOrderOutcome::declined
                                         ? BankOrderStatus::declined
                                         : BankOrderStatus::timed_out,
                                     answer.decline_code);
      if (!stored.ok()) spdlog::error("bank order {}: {}", reference, stored.error().message);
      return;
    }
    transfer.id = order.ledger_transfer_id;
    transfer.debit_account_id = context.bank_clearing_account;
    transfer.credit_account_id = (*user)->wallet_account_id;
    transfer.amount = order.amount_minor;
    transfer.code = transfer_codes::top_up;
  } else {
    transfer.id = order_transfer_id(reference, confirmed ? "post" : "void");
    transfer.pending_id = order.ledger_transfer_id;
    transfer.code = transfer_codes::withdrawal;
    transfer.flags = confirmed ? ledger::transfer_flags::post_pending_transfer
                               : ledger::transfer_flags::void_pending_transfer;
  }
  Result<ledger::CreateTransferResult> moved = move_money(context.ledger, transfer);
  // A pending hold that expired was released by the ledger already: the void is then moot.
  bool settled = moved.ok() && (ledger::is_success(*moved) ||
                                (!confirmed && *moved == ledger::CreateTransferResult::pending_transfer_expired));
  if (!settled) {
    // The bank moved money the ledger did not book (or the store failed): leave the order
    // pending for reconciliation and shout; never guess.
    spdlog::error("bank order {}: ledger did not settle ({}); left pending for reconciliation",
                  reference, moved.ok() ? ledger::result_name(*moved) : moved.error().message);
    return;
  }
  BankOrderStatus status = confirmed ? BankOrderStatus::confirmed
                           : answer.outcome == bank::BankOrderOutcome::declined ? BankOrderStatus::declined
                                                                                 : BankOrderStatus::timed_out;
  Status stored = record_outcome(context, order, status, answer.decline_code);
  if (!stored.ok()) spdlog::error("bank order {}: {}", reference, stored.error().message);
}

bank::BankOrderCallback on_answer(WalletContext& context) {
  return [&context](bank::BankOrderResult answer) {
    std::string reference = answer.reference;
    bool posted = context.background.post(
        [&context, answer = std::move(answer)] { settle(context, answer.reference, answer); });
    if (!posted) spdlog::error("bank order {}: background queue full; reconcile will settle it", reference);
  };
}

Status submit_to_bank(WalletContext& context, const BankOrderRecord& order,
                      const BankAccountRecord& account) {
  bank::BankOrder bank_order = bank_order_of(order, account, context.currency);
  return order.kind == BankOrderKind::top_up ? context.bank.debit(bank_order, on_answer(context))
                                             : context.bank.credit(bank_order, on_answer(context));
}

BankOrderRecord new_order(WalletContext& context, BankOrderKind kind, const UserRecord& user,
                          const BankAccountRecord& account, int64_t amount_minor) {
  BankOrderRecord order;
  order.kind = kind;
  order.reference = std::string(kind == BankOrderKind::top_up ? "topup-" : "withdrawal-") +
                    to_uuid_text(context.ids.next());
  order.user_id = user.id;
  order.bank_account_id = account.id;
  order.amount_minor = amount_minor;
  order.currency = context.currency.numeric;
  order.ledger_transfer_id = order_transfer_id(order.reference, "hold");
  if (kind == BankOrderKind::top_up) order.ledger_transfer_id = order_transfer_id(order.reference, "credit");
  order.created_at_ns = order.updated_at_ns = context.clock.now_ns();
  return order;
}

// The bank refused the order outright (busy, unavailable): it will never move money.
Result<BankOrderRecord> refused_by_bank(WalletContext& context, BankOrderRecord order, const Error& error) {
  Status stored = record_outcome(context, order, BankOrderStatus::declined, error.code);
  if (!stored.ok()) spdlog::error("bank order {}: {}", order.reference, stored.error().message);
  return error;
}

}  // namespace

std::string_view to_string(BankOrderStatus status) {
  switch (status) {
    case BankOrderStatus::pending: return "pending";
    case BankOrderStatus::confirmed: return "confirmed";
    case BankOrderStatus::declined: return "declined";
    case BankOrderStatus::timed_out: return "timed_out";
  }
  return "unknown";
}

Result<BankAccountRecord> link_bank_account(WalletContext& context, const UserId& user_id,
                                            const std::string& bank_code,
                                            const std::string& account_number) {
  std::lock_guard lock(context.locks.of(user_id));
  Result<UserRecord> user = load_user(context, user_id);
  if (!user.ok()) return user.error();
  if (user->kyc_level < KycLevel::identity_checked) {
    return Error("kyc_required", "verify your identity (POST /v1/me/kyc) before linking a bank account");
  }
  Result<std::vector<BankAccountRecord>> linked = context.repository.bank_accounts_of(user_id);
  if (!linked.ok()) return linked.error();
  Result<std::string> name = unsealed_full_name(context, *user);
  if (!name.ok()) return name.error();

  Result<bank::LinkResult> link = context.bank.link_account({bank_code, account_number, *name});
  if (!link.ok()) return link.error();
  for (const BankAccountRecord& account : *linked) {
    if (account.bank_account_token == link->bank_account_token) return account;
  }
  if (linked->size() >= kBankAccountsPerUserMax) {
    return Error("bank_accounts_limit",
                 fmt::format("at most {} bank accounts can be linked", kBankAccountsPerUserMax));
  }
  BankAccountRecord account;
  account.id = context.ids.next();
  account.user_id = user_id;
  account.bank_code = bank_code;
  account.bank_account_token = link->bank_account_token;
  account.masked_number = link->masked_account_number;
  account.created_at_ns = context.clock.now_ns();
  Status stored = context.repository.insert_bank_account(account);
  if (!stored.ok()) return stored.error();
  if (user->kyc_level < KycLevel::bank_linked) {
    user->kyc_level = KycLevel::bank_linked;
    stored = context.users.update_kyc(*user);
    if (!stored.ok()) return stored.error();
  }
  return account;
}

Result<BankOrderRecord> start_top_up(WalletContext& context, const UserId& user_id,
                                     const BankOrderRequest& request) {
  Result<int64_t> amount = parse_wallet_amount(context, request.amount, request.currency);
  if (!amount.ok()) return amount.error();
  Result<BankAccountRecord> account = own_bank_account(context, user_id, request.bank_account_id);
  if (!account.ok()) return account.error();
  Result<UserRecord> user = load_user(context, user_id);
  if (!user.ok()) return user.error();
  if (user->status == UserStatus::frozen) return Error("account_frozen", "this wallet is frozen; contact support");
  Result<WalletBalance> balance = wallet_balance(context.ledger, user->wallet_account_id);
  if (!balance.ok()) return balance.error();
  int64_t after = 0;
  const KycLimits& limits = context.options.limits.at(static_cast<size_t>(user->kyc_level));
  if (!checked_add(balance->posted_minor + balance->incoming_pending_minor, *amount, &after) ||
      after > limits.balance_cap_minor) {
    return Error("balance_cap_exceeded",
                 "the wallet cannot hold this much at its verification level", "amount");
  }
  BankOrderRecord order = new_order(context, BankOrderKind::top_up, *user, *account, *amount);
  Status stored = context.repository.insert_bank_order(order);
  if (!stored.ok()) return stored.error();
  Status submitted = submit_to_bank(context, order, *account);
  if (!submitted.ok()) return refused_by_bank(context, order, submitted.error());
  return order;
}

Result<BankOrderRecord> start_withdrawal(WalletContext& context, const UserId& user_id,
                                         const BankOrderRequest& request) {
  Result<int64_t> amount = parse_wallet_amount(context, request.amount, request.currency);
  if (!amount.ok()) return amount.error();
  Result<BankAccountRecord> account = own_bank_account(context, user_id, request.bank_account_id);
  if (!account.ok()) return account.error();

  BankOrderRecord order;
  {
    std::lock_guard lock(context.locks.of(user_id));
    Result<UserRecord> user = load_user(context, user_id);
    if (!user.ok()) return user.error();
    if (user->status == UserStatus::frozen) {
      return Error("account_frozen", "this wallet is frozen; contact support");
    }
    Status pin = check_pin(context, *user, request.pin);
    if (!pin.ok()) return pin.error();
    order = new_order(context, BankOrderKind::withdrawal, *user, *account, *amount);
    Status stored = context.repository.insert_bank_order(order);
    if (!stored.ok()) return stored.error();

    ledger::Transfer hold;
    hold.id = order.ledger_transfer_id;
    hold.debit_account_id = user->wallet_account_id;
    hold.credit_account_id = context.bank_clearing_account;
    hold.amount = *amount;
    hold.currency = context.currency.numeric;
    hold.code = transfer_codes::withdrawal;
    hold.flags = ledger::transfer_flags::pending;
    hold.timeout_s = context.options.withdrawal_hold_timeout_s;
    Result<ledger::CreateTransferResult> held = move_money(context.ledger, hold);
    if (!held.ok() || !ledger::is_success(*held)) {
      Error error = !held.ok() ? held.error()
                    : *held == ledger::CreateTransferResult::exceeds_credits
                        ? Error("insufficient_funds", "the wallet balance is too low", "amount")
                        : Error("ledger_rejected", fmt::format("the ledger refused the hold ({})",
                                                               ledger::result_name(*held)));
      stored = record_outcome(context, order, BankOrderStatus::declined, error.code);
      if (!stored.ok()) spdlog::error("bank order {}: {}", order.reference, stored.error().message);
      return error;
    }
  }
  Status submitted = submit_to_bank(context, order, *account);
  if (!submitted.ok()) {
    // Nothing left the platform: release the hold now rather than at its timeout.
    ledger::Transfer release;
    release.id = order_transfer_id(order.reference, "void");
    release.pending_id = order.ledger_transfer_id;
    release.code = transfer_codes::withdrawal;
    release.flags = ledger::transfer_flags::void_pending_transfer;
    Result<ledger::CreateTransferResult> voided = move_money(context.ledger, release);
    if (!voided.ok() || !ledger::is_success(*voided)) {
      spdlog::error("withdrawal {}: hold not released; it expires at its timeout", order.reference);
    }
    return refused_by_bank(context, order, submitted.error());
  }
  return order;
}

Result<BankOrderRecord> find_bank_order(WalletContext& context, const UserId& user_id,
                                        BankOrderKind kind, const std::string& reference) {
  Result<std::optional<BankOrderRecord>> found = context.repository.find_bank_order(reference);
  if (!found.ok()) return found.error();
  if (!found->has_value() || !((*found)->user_id == user_id) || (*found)->kind != kind) {
    return Error("bank_order_not_found", "no such order");
  }
  return **found;
}

Result<size_t> reconcile_bank_orders(WalletContext& context) {
  Result<std::vector<BankOrderRecord>> pending = context.repository.pending_bank_orders();
  if (!pending.ok()) return pending.error();
  for (const BankOrderRecord& order : *pending) {
    if (order.kind == BankOrderKind::withdrawal) {
      Result<std::optional<ledger::TransferRecord>> hold =
          context.ledger.lookup_transfer(order.ledger_transfer_id);
      if (!hold.ok()) return hold.error();
      if (!hold->has_value()) {  // the hold never happened: nothing to pay out
        Status stored = record_outcome(context, order, BankOrderStatus::declined, "interrupted");
        if (!stored.ok()) return stored.error();
        continue;
      }
    }
    Result<std::optional<bank::BankOrderResult>> answer = context.bank.status(order.reference);
    if (!answer.ok()) return answer.error();
    if (answer->has_value()) {
      settle(context, order.reference, **answer);
      continue;
    }
    Result<std::optional<BankAccountRecord>> account = context.repository.find_bank_account(order.bank_account_id);
    if (!account.ok()) return account.error();
    if (!account->has_value()) continue;
    Status submitted = submit_to_bank(context, order, **account);  // the same order again: safe
    if (!submitted.ok()) spdlog::warn("bank order {}: resubmission refused: {}", order.reference, submitted.error().code);
  }
  return pending->size();
}

}  // namespace mpay::wallet
