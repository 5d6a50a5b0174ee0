#include "payments/wallet/p2p_transfer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include "core/amount_limit.h"
#include "core/display_text.h"
#include "core/money.h"
#include "core/text_length.h"
#include "ledger/result_codes.h"
#include "payments/wallet/phone_identity.h"
#include "payments/wallet/pin_guard.h"
#include "payments/wallet/spending_history.h"
#include "payments/wallet/wallet_ledger.h"

namespace mpay::wallet {
namespace {

const KycLimits& limits_of(const WalletContext& context, const UserRecord& user) {
  return context.options.limits.at(static_cast<size_t>(user.kyc_level));
}

// What the checks under the payer's lock decided.
struct CheckedTransfer {
  UserRecord payer;
  UserRecord payee;
  int64_t amount_minor = 0;
  int64_t reserved_at_ns = 0;
  std::string payer_phone;  // E.164, unsealed before the money moves (for the notices)
  std::string payee_phone;
};

Result<CheckedTransfer> check_transfer(WalletContext& context, const UserId& payer_id,
                                       const P2pRequest& request) {
  Result<int64_t> amount = parse_wallet_amount(context, request.amount, request.currency);
  if (!amount.ok()) return amount.error();
  if (request.note && utf8_chars(*request.note) > context.options.note_chars_max) {
    return Error("note_too_long",
                 fmt::format("the note is at most {} characters", context.options.note_chars_max), "note");
  }
  // The payee reads it in the app and in an SMS: no controls, bidi or invisible formatting.
  if (request.note && has_hidden_control(*request.note)) {
    return Error("note_invalid",
                 "the note must not contain control, bidi or invisible formatting characters",
                 "note");
  }
  Result<IdentifiedPhone> to_phone = identify_phone(context, request.to_phone, "to_phone");
  if (!to_phone.ok()) return to_phone.error();
  Result<std::optional<UserRecord>> payee = context.users.by_phone(to_phone->digest);
  if (!payee.ok()) return payee.error();
  if (!payee->has_value()) {
    return Error("recipient_not_found", "no wallet has this phone number", "to_phone");
  }

  std::lock_guard lock(context.locks.of(payer_id));
  Result<std::optional<UserRecord>> payer = context.users.by_id(payer_id);
  if (!payer.ok()) return payer.error();
  if (!payer->has_value()) return Error("user_not_found", "the user does not exist");
  CheckedTransfer checked{**payer, **payee, *amount, context.clock.now_ns(), {}, {}};
  if (checked.payer.status == UserStatus::frozen) {
    return Error("account_frozen", "this wallet is frozen; contact support");
  }
  Status status = check_pin(context, checked.payer, request.pin);
  if (!status.ok()) return status.error();
  if (checked.payee.id == checked.payer.id) {
    return Error("self_transfer", "a wallet cannot pay itself", "to_phone");
  }
  if (checked.payee.status == UserStatus::frozen) {
    return Error("recipient_frozen", "the recipient's wallet cannot receive money now", "to_phone");
  }
  status = ensure_spending_loaded(context, checked.payer);
  if (!status.ok()) return status.error();
  std::optional<ledger::AccountState> payee_account =
      context.ledger.lookup_account(checked.payee.wallet_account_id);
  if (!payee_account) return Error("wallet_not_found", "the recipient's wallet account does not exist");
  const ledger::AccountBalances& b = payee_account->balances;
  status = context.balance_caps.reserve(checked.payee.id, b.credits_posted - b.debits_posted,
                                        checked.amount_minor,
                                        limits_of(context, checked.payee).balance_cap_minor);
  if (!status.ok()) return status.error();
  status = context.spending.reserve(checked.payer.id, checked.amount_minor,
                                    limits_of(context, checked.payer), checked.reserved_at_ns);
  if (!status.ok()) {
    context.balance_caps.release(checked.payee.id, checked.amount_minor);
    return status.error();
  }
  checked.payer_phone = unsealed_phone(context, checked.payer);
  checked.payee_phone = unsealed_phone(context, checked.payee);
  return checked;
}

}  // namespace

Result<int64_t> parse_wallet_amount(const WalletContext& context, const std::string& amount,
                                    const std::string& currency) {
  std::optional<Currency> requested = currency_by_code(currency);
  if (!requested) return Error("currency_unknown", "not an ISO 4217 currency code", "currency");
  if (!(*requested == context.currency)) {
    return Error("currency_mismatch",
                 fmt::format("this wallet holds {}", context.currency.code), "currency");
  }
  Result<int64_t> minor =
      within_amount_max(parse_amount(amount, context.currency), context.currency);
  if (!minor.ok()) {
    Error error = minor.error();
    error.field = "amount";
    return error;
  }
  if (*minor == 0) return Error("amount_zero", "the amount must be more than zero", "amount");
  return *minor;
}

void send_p2p(WalletContext& context, const UserId& payer_id, const P2pRequest& request, P2pDone done) {
  Result<CheckedTransfer> checked = check_transfer(context, payer_id, request);
  if (!checked.ok()) return done(checked.error());

  ledger::Transfer transfer;
  transfer.id = TransferId(context.ids.next());
  transfer.debit_account_id = checked->payer.wallet_account_id;
  transfer.credit_account_id = checked->payee.wallet_account_id;
  transfer.amount = checked->amount_minor;
  transfer.currency = context.currency.numeric;
  transfer.code = transfer_codes::p2p_transfer;

  // What the checks reserved: the payer's limits and the payee's room under the balance cap.
  auto release_limits = [&context, payer = checked->payer.id, amount = checked->amount_minor,
                         at = checked->reserved_at_ns] { context.spending.release(payer, amount, at); };
  auto release_cap = [&context, payee = checked->payee.id, amount = checked->amount_minor] {
    context.balance_caps.release(payee, amount);
  };
  if (request.note && !request.note->empty()) {
    // Before the money moves: a completed transfer never lacks its note.
    TransferNote note{transfer.id,
                      context.sealer.seal(*request.note, "transfer:" + transfer.id.to_string() + ":note")};
    Status stored = context.repository.insert_note(note);
    if (!stored.ok()) {
      release_limits();
      release_cap();
      return done(stored.error());
    }
  }

  Status submitted = context.ledger.submit_transfers(
      {transfer}, [&context, transfer, notice = TransferNotice{checked->payer_phone, checked->payee_phone,
                                                                checked->amount_minor},
                    release_limits, release_cap, done](std::vector<ledger::EventOutcome> outcomes) {
        auto result = static_cast<ledger::CreateTransferResult>(outcomes.at(0).result);
        release_cap();  // booked (now in the posted balance) or refused: no longer in flight
        if (!ledger::is_success(result)) {
          release_limits();
          if (result == ledger::CreateTransferResult::exceeds_credits) {
            return done(Error("insufficient_funds", "the wallet balance is too low", "amount"));
          }
          return done(Error("ledger_rejected",
                            fmt::format("the ledger refused the transfer ({})", ledger::result_name(result))));
        }
        P2pReceipt receipt;
        receipt.id = transfer.id;
        receipt.amount_minor = transfer.amount;
        receipt.at_ns = outcomes.at(0).timestamp;
        receipt.to_phone_masked = mask_phone(notice.payee_e164);
        if (!context.notices.enqueue(notice)) {
          spdlog::warn("transfer {}: notices dropped, the queue is full", transfer.id.to_string());
        }
        done(std::move(receipt));
      });
  if (!submitted.ok()) {
    release_limits();
    release_cap();
    done(submitted.error());
  }
}

}  // namespace mpay::wallet
