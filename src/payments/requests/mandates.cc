#include "payments/requests/mandates.h"

#include <mutex>

#include "payments/wallet/p2p_transfer.h"
#include "payments/wallet/pin_guard.h"

namespace mpay::requests {
namespace {

Result<int64_t> cap(RequestContext& context, const std::string& amount, const std::string& currency,
                    const char* field) {
  Result<int64_t> minor = wallet::parse_wallet_amount(context.wallet, amount, currency);
  if (!minor.ok()) {
    Error error = minor.error();
    if (error.field == "amount") error.field = field;
    return error;
  }
  return minor;
}

}  // namespace

Result<MandateRecord> create_mandate(RequestContext& context, const wallet::UserId& user,
                                     const NewMandate& mandate) {
  std::optional<MerchantProfile> merchant =
      context.merchants.find(mandate.merchant_id, context.wallet.currency.numeric);
  if (!merchant || !merchant->active) {
    return Error("merchant_unavailable", "no active merchant has this id", "merchant_id");
  }
  Result<int64_t> per_charge = cap(context, mandate.per_charge_max, mandate.currency, "per_charge_max");
  if (!per_charge.ok()) return per_charge.error();
  Result<int64_t> monthly = cap(context, mandate.monthly_max, mandate.currency, "monthly_max");
  if (!monthly.ok()) return monthly.error();
  if (*per_charge > *monthly) {
    return Error("mandate_caps_invalid", "per_charge_max cannot be more than monthly_max",
                 "per_charge_max");
  }
  {
    std::lock_guard lock(context.wallet.locks.of(user));
    Result<std::optional<wallet::UserRecord>> found = context.wallet.users.by_id(user);
    if (!found.ok()) return found.error();
    if (!found->has_value()) return Error("user_not_found", "the user does not exist");
    wallet::UserRecord payer = **found;
    if (payer.status == wallet::UserStatus::frozen) {
      return Error("account_frozen", "this wallet is frozen; contact support");
    }
    Status pin = wallet::check_pin(context.wallet, payer, mandate.pin);
    if (!pin.ok()) return pin.error();
  }
  MandateRecord record;
  record.id = context.wallet.ids.next();
  record.user_id = user;
  record.merchant_id = mandate.merchant_id;
  record.currency = context.wallet.currency.numeric;
  record.per_charge_max_minor = *per_charge;
  record.monthly_max_minor = *monthly;
  record.created_at_ns = context.wallet.clock.now_ns();
  Status stored = context.repository.insert_mandate(record);
  if (!stored.ok()) return stored.error();
  context.mandates.put(record);
  return record;
}

Result<MandateRecord> revoke_mandate(RequestContext& context, const wallet::UserId& user,
                                     const Id128& mandate_id) {
  std::optional<MandateRecord> mandate = context.mandates.get(mandate_id);
  if (!mandate || !(mandate->user_id == user)) {
    return Error("mandate_not_found", "no mandate of yours has this id");
  }
  if (mandate->revoked_at_ns != 0) return Error("mandate_revoked", "this mandate is already revoked");
  int64_t now = context.wallet.clock.now_ns();
  // Durable first: a revocation acknowledged is never forgotten.
  Status stored = context.repository.revoke_mandate(mandate_id, now);
  if (!stored.ok()) return stored.error();
  context.mandates.revoke(mandate_id, now);
  mandate->revoked_at_ns = now;
  return *mandate;
}

}  // namespace mpay::requests
