#include "payments/wallet/admin.h"

#include <mutex>
#include <nlohmann/json.hpp>

#include "payments/wallet/phone_identity.h"
#include "security/tokens.h"

namespace mpay::wallet {
namespace {

Status audit(WalletContext& context, const OperatorCall& call, std::string action, std::string target,
             const nlohmann::json& details) {
  AuditEntry entry;
  entry.at_ns = context.clock.now_ns();
  entry.actor = call.actor;
  entry.action = std::move(action);
  entry.target = std::move(target);
  entry.remote_address = call.remote_address;
  entry.request_id = call.request_id;
  entry.details = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return context.repository.append_audit(entry);
}

}  // namespace

Result<std::vector<Profile>> find_users_by_phone(WalletContext& context, const OperatorCall& call,
                                                 const std::string& phone) {
  Result<IdentifiedPhone> identified = identify_phone(context, phone, "phone");
  // The search itself is audited by the digest, never by the number.
  nlohmann::json details = {{"phone_digest", identified.ok() ? security::to_hex(identified->digest) : ""}};
  std::vector<Profile> profiles;
  if (identified.ok()) {
    Result<std::optional<UserRecord>> user = context.users.by_phone(identified->digest);
    if (!user.ok()) return user.error();
    if (user->has_value()) {
      Result<Profile> profile = profile_of(context, **user);
      if (!profile.ok()) return profile.error();
      profiles.push_back(std::move(profile).value());
    }
  }
  details["found"] = profiles.size();
  Status audited = audit(context, call, "user.search", "phone", details);
  if (!audited.ok()) return audited.error();
  if (!identified.ok()) return identified.error();
  return profiles;
}

Result<Profile> set_user_frozen(WalletContext& context, const OperatorCall& call, const UserId& user_id,
                                bool frozen, const std::optional<std::string>& reason) {
  std::lock_guard lock(context.locks.of(user_id));
  Result<std::optional<UserRecord>> found = context.users.by_id(user_id);
  if (!found.ok()) return found.error();
  std::string action = frozen ? "user.freeze" : "user.unfreeze";
  nlohmann::json details = {{"reason", reason.value_or("")}};
  Error refusal;
  bool refused = false;
  if (!found->has_value()) {
    refusal = Error("user_not_found", "no user has this id");
    refused = true;
  } else if (((*found)->status == UserStatus::frozen) == frozen) {
    refusal = frozen ? Error("already_frozen", "the user is frozen already")
                     : Error("not_frozen", "the user is not frozen");
    refused = true;
  }
  details["outcome"] = refused ? refusal.code : "done";
  Status audited = audit(context, call, action, "user:" + user_id.to_string(), details);
  if (!audited.ok()) return audited.error();
  if (refused) return refusal;

  UserRecord user = **found;
  user.status = frozen ? UserStatus::frozen : UserStatus::active;
  Status stored = context.users.update_status(user);
  if (!stored.ok()) return stored.error();
  return profile_of(context, user);
}

}  // namespace mpay::wallet
