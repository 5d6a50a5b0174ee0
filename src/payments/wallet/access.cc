#include "payments/wallet/access.h"

#include <mutex>

#include "identity/pin_policy.h"
#include "payments/wallet/otp.h"
#include "payments/wallet/phone_identity.h"
#include "payments/wallet/pin_guard.h"
#include "payments/wallet/wallet_ledger.h"
#include "security/keyed_hash.h"
#include "security/tokens.h"

namespace mpay::wallet {
namespace {

Status check_device_id(const std::optional<std::string>& device_id) {
  if (!device_id) return ok_status();
  bool visible = !device_id->empty() && device_id->size() <= kDeviceIdCharsMax;
  for (char c : *device_id) visible = visible && c >= 0x21 && c <= 0x7e;
  if (!visible) {
    return Error("device_id_invalid", "device_id is 1 to 128 visible ASCII characters", "device_id");
  }
  return ok_status();
}

Digest device_digest(const WalletContext& context, const std::string& device_id) {
  return security::keyed_hash(context.token_keys, context.token_keys.current_id(), "device", device_id);
}

std::optional<identity::CivilDate> birth_date_of(const UserRecord& user) {
  identity::CivilDate date;
  if (user.birth_date.size() != 10 ||
      std::sscanf(user.birth_date.c_str(), "%4d-%2d-%2d", &date.year, &date.month, &date.day) != 3 ||
      !date.is_valid()) {
    return std::nullopt;
  }
  return date;
}

Status check_new_pin(std::string_view new_pin, const UserRecord* user, std::string_view field) {
  Status policy = identity::check_pin_policy(new_pin, user ? birth_date_of(*user) : std::nullopt);
  if (!policy.ok()) {
    Error error = policy.error();
    error.field = std::string(field);
    return error;
  }
  return ok_status();
}

Result<UserRecord> existing_user(WalletContext& context, const IdentifiedPhone& phone) {
  Result<std::optional<UserRecord>> user = context.users.by_phone(phone.digest);
  if (!user.ok()) return user.error();
  if (!user->has_value()) {
    return Error("user_not_found", "no user has this phone number; sign up first", "phone");
  }
  return **user;
}

}  // namespace

Result<UserRecord> sign_up(WalletContext& context, const SignUpRequest& request) {
  Result<IdentifiedPhone> phone = identify_phone(context, request.phone, "phone");
  if (!phone.ok()) return phone.error();
  Status checked = check_new_pin(request.pin, nullptr, "pin");
  if (!checked.ok()) return checked.error();
  checked = check_device_id(request.device_id);
  if (!checked.ok()) return checked.error();

  std::lock_guard lock(context.locks.of_phone(phone->digest));
  Result<std::optional<UserRecord>> taken = context.users.by_phone(phone->digest);
  if (!taken.ok()) return taken.error();
  if (taken->has_value()) {
    return Error("phone_registered", "a user with this phone number exists; log in instead", "phone");
  }
  checked = consume_otp(context, *phone, request.otp);
  if (!checked.ok()) return checked.error();

  UserRecord user;
  user.id = UserId(context.ids.next());
  user.phone_digest = phone->digest;
  user.phone_key_id = phone->key_id;
  user.phone_sealed = context.sealer.seal(phone->number.e164, sealed_field(user.id, "phone"));
  user.wallet_account_id = AccountId(derived_id("wallet:" + user.id.to_string()));
  user.currency = context.currency.numeric;
  user.created_at_ns = context.clock.now_ns();
  security::PinHash pin = context.pins.hash(user.id.to_string(), request.pin);
  user.pin_key_id = pin.key_id;
  user.pin_digest = pin.digest;

  // The account first: a user row never points at a wallet that does not exist. (A crash between
  // the two leaves an empty account nobody owns, which moves no money.)
  checked = open_wallet_account(context.ledger, user.wallet_account_id, user.currency);
  if (!checked.ok()) return checked.error();
  checked = context.users.insert(user);
  if (!checked.ok()) return checked.error();
  if (request.device_id) {
    checked = context.repository.add_device(user.id, device_digest(context, *request.device_id),
                                            user.created_at_ns);
    if (!checked.ok()) return checked.error();
  }
  return user;
}

Result<SessionGrant> open_session(WalletContext& context, const SessionRequest& request) {
  Result<IdentifiedPhone> phone = identify_phone(context, request.phone, "phone");
  if (!phone.ok()) return phone.error();
  Status checked = check_device_id(request.device_id);
  if (!checked.ok()) return checked.error();
  Result<UserRecord> found = existing_user(context, *phone);
  if (!found.ok()) return found.error();

  std::lock_guard lock(context.locks.of(found->id));
  Result<std::optional<UserRecord>> fresh = context.users.by_id(found->id);  // under the lock
  if (!fresh.ok()) return fresh.error();
  UserRecord user = **fresh;
  checked = check_pin(context, user, request.pin);
  if (!checked.ok()) return checked.error();

  std::optional<Digest> device;
  bool known = false;
  if (request.device_id) {
    device = device_digest(context, *request.device_id);
    Result<bool> seen = context.repository.device_known(user.id, *device);
    if (!seen.ok()) return seen.error();
    known = *seen;
  }
  if (!known) {
    if (!request.otp) {
      return Error("otp_required", "a new device: request a code and send it as \"otp\"", "otp");
    }
    {
      std::lock_guard phone_lock(context.locks.of_phone(phone->digest));
      checked = consume_otp(context, *phone, *request.otp);
    }
    if (!checked.ok()) return checked.error();
    if (device) {
      checked = context.repository.add_device(user.id, *device, context.clock.now_ns());
      if (!checked.ok()) return checked.error();
    }
  }

  SessionGrant grant;
  grant.token = security::random_token(context.random);
  grant.user_id = user.id;
  SessionRecord session;
  session.token_digest = security::token_digest(context.token_keys, grant.token);
  session.user_id = user.id;
  if (device) session.device_digest = *device;
  session.created_at_ns = context.clock.now_ns();
  session.expires_at_ns = session.created_at_ns + context.options.session_ttl_ns;
  grant.expires_at_ns = session.expires_at_ns;
  checked = context.sessions.insert(session);
  if (!checked.ok()) return checked.error();
  return grant;
}

Result<UserId> authenticate(WalletContext& context, std::string_view token) {
  if (token.empty() || token.size() > 512) {
    return Error("session_invalid", "the bearer token is not a valid session");
  }
  Result<std::optional<SessionRecord>> session =
      context.sessions.find(security::token_digest(context.token_keys, token));
  if (!session.ok()) return session.error();
  if (!session->has_value()) return Error("session_invalid", "the bearer token is not a valid session");
  if ((*session)->expires_at_ns <= context.clock.now_ns()) {
    return Error("session_expired", "the session has expired; log in again");
  }
  return (*session)->user_id;
}

Status close_session(WalletContext& context, std::string_view token) {
  return context.sessions.remove(security::token_digest(context.token_keys, token));
}

Status change_pin(WalletContext& context, const UserId& user_id, std::string_view pin,
                  std::string_view new_pin) {
  std::lock_guard lock(context.locks.of(user_id));
  Result<std::optional<UserRecord>> found = context.users.by_id(user_id);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Error("user_not_found", "the user does not exist");
  UserRecord user = **found;
  Status checked = check_pin(context, user, pin);
  if (!checked.ok()) return checked;
  checked = check_new_pin(new_pin, &user, "new_pin");
  if (!checked.ok()) return checked;
  if (pin == new_pin) return Error("pin_unchanged", "the new PIN is the current one", "new_pin");
  return set_pin(context, user, new_pin);
}

Status reset_pin(WalletContext& context, std::string_view phone_text, std::string_view otp,
                 std::string_view new_pin) {
  Result<IdentifiedPhone> phone = identify_phone(context, phone_text, "phone");
  if (!phone.ok()) return phone.error();
  Result<UserRecord> found = existing_user(context, *phone);
  if (!found.ok()) return found.error();

  std::lock_guard lock(context.locks.of(found->id));
  Result<std::optional<UserRecord>> fresh = context.users.by_id(found->id);
  if (!fresh.ok()) return fresh.error();
  UserRecord user = **fresh;
  Status checked = check_new_pin(new_pin, &user, "new_pin");
  if (!checked.ok()) return checked;
  {
    std::lock_guard phone_lock(context.locks.of_phone(phone->digest));
    checked = consume_otp(context, *phone, otp);
  }
  if (!checked.ok()) return checked;
  checked = set_pin(context, user, new_pin);
  if (!checked.ok()) return checked;
  return context.sessions.remove_all_of(user.id);
}

}  // namespace mpay::wallet
