#include "payments/merchant/merchant_admin.h"

#include <nlohmann/json.hpp>

#include "identity/masking.h"
#include "payments/bank/bank_account_format.h"
#include "payments/merchant/credentials.h"
#include "payments/merchant/merchant_ledger.h"

namespace mpay::merchant {
namespace {

Status audit(MerchantContext& context, const OperatorCall& call, std::string action, std::string target,
             const nlohmann::json& details) {
  AuditEvent event;
  event.at_ns = context.clock.now_ns();
  event.call = call;
  event.action = std::move(action);
  event.target = std::move(target);
  event.details = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return context.audit.append(event);
}

std::string target_of(const MerchantId& id) { return "merchant:" + id.to_string(); }

MerchantView view_of(const MerchantContext& context, const MerchantRecord& record) {
  MerchantView view{record, context.directory.keys_of(record.id)};
  for (ApiKey& key : view.keys) key.secret.clear();
  return view;
}

Error not_found() { return Error("merchant_not_found", "no merchant has this id", "id"); }

// Audits `action` on `id` with the outcome, and returns the refusal (if any) after it.
Status audit_outcome(MerchantContext& context, const OperatorCall& call, const std::string& action,
                     const MerchantId& id, nlohmann::json details, const std::optional<Error>& refusal) {
  details["outcome"] = refusal ? refusal->code : "done";
  Status audited = audit(context, call, action, target_of(id), details);
  if (!audited.ok()) return audited;
  if (refusal) return *refusal;
  return ok_status();
}

MerchantRecord new_record(MerchantContext& context, const MerchantApplication& application,
                          const std::vector<Currency>& currencies) {
  MerchantRecord record;
  record.id = MerchantId(context.ids.next());
  record.legal_name = application.legal_name;
  record.display_name = application.display_name;
  record.mcc = application.mcc;
  record.country = application.country;
  record.city = application.city;
  record.fee_bps = static_cast<int>(application.fee_bps);
  record.settlement_bank_code = application.settlement_account.bank_code;
  record.settlement_account_sealed = context.sealer.seal(application.settlement_account.account_number,
                                                         settlement_account_binding(record.id));
  record.settlement_account_masked = bank::mask_account_number(application.settlement_account.account_number);
  std::string holder = bank::normalize_holder_name(application.settlement_account.holder_name);
  record.settlement_holder_sealed = context.sealer.seal(holder, settlement_holder_binding(record.id));
  record.settlement_holder_masked = identity::mask_name(holder);
  record.webhook_url = application.webhook_url;
  record.status = MerchantStatus::active;
  for (const Currency& currency : currencies) {
    record.accounts.push_back(MerchantAccount{currency.numeric, AccountId(context.ids.next())});
  }
  record.created_at_ns = context.clock.now_ns();
  record.updated_at_ns = record.created_at_ns;
  return record;
}

MerchantKeyRecord new_key_record(MerchantContext& context, const MerchantId& merchant, NewKey& shown) {
  MerchantKeyRecord key;
  key.key_id = new_key_id(context.random);
  key.merchant_id = merchant;
  shown.key_id = key.key_id;
  shown.secret = new_key_secret(context.random);
  key.secret_sealed = context.sealer.seal(shown.secret, key_secret_binding(key.key_id));
  key.created_at_ns = context.clock.now_ns();
  shown.created_at_ns = key.created_at_ns;
  return key;
}

ApiKey api_key_of(const MerchantKeyRecord& record, std::string secret) {
  return ApiKey{record.key_id, record.merchant_id, std::move(secret), record.status, record.created_at_ns,
                record.revoked_at_ns, 0, 0};
}

}  // namespace

Result<Onboarded> create_merchant(MerchantContext& context, const OperatorCall& call,
                                  const MerchantApplication& application) {
  std::lock_guard lock(context.commands);
  Result<std::vector<Currency>> currencies = validate_application(application, context.currency);
  if (currencies.ok() && context.webhook_url_policy) {
    Status allowed = context.webhook_url_policy(application.webhook_url);
    if (!allowed.ok()) currencies = allowed.error();
  }
  if (!currencies.ok()) {
    Status audited = audit(context, call, "merchant.create", "merchant",
                           {{"outcome", currencies.error().code}, {"field", currencies.error().field}});
    if (!audited.ok()) return audited.error();
    return currencies.error();
  }
  MerchantRecord record = new_record(context, application, *currencies);
  Onboarded onboarded;
  MerchantKeyRecord key = new_key_record(context, record.id, onboarded.key);
  onboarded.webhook_secret = new_webhook_secret(context.random);
  record.webhook_secret_sealed = context.sealer.seal(onboarded.webhook_secret, webhook_secret_binding(record.id));

  // The accounts first: a crash after them leaves unused empty accounts, never a merchant without.
  Status opened = open_merchant_accounts(context.ledger, record.accounts);
  if (!opened.ok()) return opened.error();
  nlohmann::json details = {{"outcome", "done"}, {"display_name", record.display_name}, {"mcc", record.mcc},
                            {"fee_bps", record.fee_bps}, {"key_id", key.key_id}};
  Status audited = audit(context, call, "merchant.create", target_of(record.id), details);
  if (!audited.ok()) return audited.error();
  Status inserted = context.repository.insert_merchant(record, key);
  if (!inserted.ok()) return inserted.error();
  context.directory.put_merchant(record, onboarded.webhook_secret);
  context.directory.put_key(api_key_of(key, onboarded.key.secret));
  onboarded.merchant = view_of(context, record);
  return onboarded;
}

Result<MerchantView> view_merchant(MerchantContext& context, const OperatorCall& call, const MerchantId& id) {
  std::optional<MerchantRecord> record = context.directory.find(id);
  std::optional<Error> refusal;
  if (!record) refusal = not_found();
  Status audited = audit_outcome(context, call, "merchant.view", id, nlohmann::json::object(), refusal);
  if (!audited.ok()) return audited.error();
  return view_of(context, *record);
}

Result<std::vector<MerchantView>> list_merchants(MerchantContext& context, const OperatorCall& call,
                                                 const MerchantId& after, size_t limit) {
  Result<std::vector<MerchantRecord>> records =
      context.repository.list_merchants(after, std::min(limit, kListLimitMax));
  if (!records.ok()) return records.error();
  Status audited = audit(context, call, "merchant.list", "merchants",
                         {{"after", after.is_zero() ? "" : after.to_string()}, {"found", records->size()}});
  if (!audited.ok()) return audited.error();
  std::vector<MerchantView> views;
  for (const MerchantRecord& record : *records) {
    // The directory's copy is the current one (status changes land there right after the store).
    std::optional<MerchantRecord> current = context.directory.find(record.id);
    views.push_back(view_of(context, current.value_or(record)));
  }
  return views;
}

Result<NewKey> create_key(MerchantContext& context, const OperatorCall& call, const MerchantId& id) {
  std::lock_guard lock(context.commands);
  std::optional<Error> refusal;
  if (!context.directory.find(id)) {
    refusal = not_found();
  } else {
    std::vector<ApiKey> keys = context.directory.keys_of(id);
    size_t active = static_cast<size_t>(
        std::count_if(keys.begin(), keys.end(), [](const ApiKey& key) { return key.status == KeyStatus::active; }));
    if (active >= kActiveKeysMax) {
      refusal = Error("key_limit_reached", "a merchant has at most 10 active keys: revoke one first");
    }
  }
  NewKey shown;
  MerchantKeyRecord key;
  if (!refusal) key = new_key_record(context, id, shown);
  Status audited = audit_outcome(context, call, "merchant.key.create", id, {{"key_id", key.key_id}}, refusal);
  if (!audited.ok()) return audited.error();
  Status inserted = context.repository.insert_key(key);
  if (!inserted.ok()) return inserted.error();
  context.directory.put_key(api_key_of(key, shown.secret));
  return shown;
}

Result<MerchantView> revoke_key(MerchantContext& context, const OperatorCall& call, const MerchantId& id,
                                const std::string& key_id) {
  std::lock_guard lock(context.commands);
  std::optional<MerchantRecord> record = context.directory.find(id);
  std::optional<ApiKey> key = context.directory.key(key_id);
  std::optional<Error> refusal;
  if (!record) {
    refusal = not_found();
  } else if (!key || key->merchant_id != id) {
    refusal = Error("key_not_found", "this merchant has no key with this id", "key_id");
  } else if (key->status == KeyStatus::revoked) {
    refusal = Error("key_already_revoked", "the key is revoked already", "key_id");
  }
  Status audited = audit_outcome(context, call, "merchant.key.revoke", id, {{"key_id", key_id}}, refusal);
  if (!audited.ok()) return audited.error();
  int64_t now_ns = context.clock.now_ns();
  Status revoked = context.repository.revoke_key(key_id, now_ns);
  if (!revoked.ok()) return revoked.error();
  key->status = KeyStatus::revoked;
  key->revoked_at_ns = now_ns;
  context.directory.put_key(std::move(*key));
  return view_of(context, *record);
}

Result<std::string> rotate_webhook_secret(MerchantContext& context, const OperatorCall& call, const MerchantId& id) {
  std::lock_guard lock(context.commands);
  std::optional<MerchantRecord> record = context.directory.find(id);
  std::optional<Error> refusal;
  if (!record) refusal = not_found();
  Status audited = audit_outcome(context, call, "merchant.webhook_secret.rotate", id, nlohmann::json::object(), refusal);
  if (!audited.ok()) return audited.error();
  std::string secret = new_webhook_secret(context.random);
  record->webhook_secret_sealed = context.sealer.seal(secret, webhook_secret_binding(id));
  record->updated_at_ns = context.clock.now_ns();
  Status stored = context.repository.update_webhook_secret(id, record->webhook_secret_sealed, record->updated_at_ns);
  if (!stored.ok()) return stored.error();
  context.directory.put_merchant(*record, secret);
  return secret;
}

Result<MerchantView> set_merchant_suspended(MerchantContext& context, const OperatorCall& call,
                                            const MerchantId& id, bool suspended) {
  std::lock_guard lock(context.commands);
  std::optional<MerchantRecord> record = context.directory.find(id);
  std::optional<Error> refusal;
  if (!record) {
    refusal = not_found();
  } else if ((record->status == MerchantStatus::suspended) == suspended) {
    refusal = suspended ? Error("already_suspended", "the merchant is suspended already")
                        : Error("not_suspended", "the merchant is not suspended");
  }
  Status audited = audit_outcome(context, call, suspended ? "merchant.suspend" : "merchant.reactivate", id,
                                 nlohmann::json::object(), refusal);
  if (!audited.ok()) return audited.error();
  record->status = suspended ? MerchantStatus::suspended : MerchantStatus::active;
  record->updated_at_ns = context.clock.now_ns();
  Status stored = context.repository.update_status(id, record->status, record->updated_at_ns);
  if (!stored.ok()) return stored.error();
  std::optional<std::string> secret = context.directory.webhook_secret(id);
  context.directory.put_merchant(*record, secret.value_or(""));
  return view_of(context, *record);
}

Result<MerchantView> own_view(MerchantContext& context, const MerchantId& id) {
  std::optional<MerchantRecord> record = context.directory.find(id);
  if (!record) return not_found();
  return view_of(context, *record);
}

}  // namespace mpay::merchant
