#include "server/wallet_config_file.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <algorithm>

#include "core/currency.h"
#include "core/money.h"

namespace mpay::server {
namespace {

constexpr int64_t kMinuteNs = 60LL * 1'000'000'000;

Status unknown_keys(const toml::table& table, std::string_view prefix,
                    std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : table) {
    if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
      std::string field = std::string(prefix) + std::string(key.str());
      return Error("config_unknown_key", "unknown setting " + field, field);
    }
  }
  return ok_status();
}

Status read_int(const toml::table& table, std::string_view prefix, std::string_view key, int64_t min,
                int64_t max, int64_t* out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return ok_status();
  std::string field = std::string(prefix) + std::string(key);
  std::optional<int64_t> value = node->value<int64_t>();
  if (!node->is_integer() || !value) return Error("config_wrong_type", field + " must be an integer", field);
  if (*value < min || *value > max) {
    return Error("config_out_of_range", fmt::format("{} must be from {} to {}", field, min, max), field);
  }
  *out = *value;
  return ok_status();
}

Status read_string(const toml::table& table, std::string_view prefix, std::string_view key, std::string* out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return ok_status();
  std::string field = std::string(prefix) + std::string(key);
  if (!node->is_string()) return Error("config_wrong_type", field + " must be a string", field);
  *out = *node->value<std::string>();
  return ok_status();
}

Status read_limits(const toml::table& table, std::string_view prefix, const Currency& currency,
                   wallet::KycLimits& limits) {
  Status status = unknown_keys(table, prefix, {"per_payment", "per_day", "per_month", "balance_cap"});
  if (!status.ok()) return status;
  for (auto [key, target] : {std::pair{"per_payment", &limits.per_payment_minor},
                             std::pair{"per_day", &limits.per_day_minor},
                             std::pair{"per_month", &limits.per_month_minor},
                             std::pair{"balance_cap", &limits.balance_cap_minor}}) {
    std::string text;
    status = read_string(table, prefix, key, &text);
    if (!status.ok()) return status;
    if (text.empty()) continue;
    Result<int64_t> amount = parse_amount(text, currency);
    if (!amount.ok()) {
      std::string field = std::string(prefix) + key;
      return Error("config_amount_invalid", field + ": " + amount.error().message, field);
    }
    *target = *amount;
  }
  return ok_status();
}

}  // namespace

Status load_wallet_config(const std::string& path, wallet::WalletOptions& options) {
  toml::table root;
  try {  // the system's toml++ is built with exceptions: they stop here
    root = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    if (error.source().begin.line == 0) {
      return Error("config_unreadable", fmt::format("{}: {}", path, error.description()));
    }
    return Error("config_invalid", fmt::format("{}:{}:{}: {}", path, error.source().begin.line,
                                               error.source().begin.column, error.description()));
  }
  Status status = unknown_keys(root, "", {"wallet"});
  if (!status.ok()) return status;
  const toml::table* wallet = root["wallet"].as_table();
  if (wallet == nullptr) return ok_status();
  status = unknown_keys(*wallet, "wallet.",
                        {"currency", "default_region", "otp_per_phone_per_hour", "otp_per_address_per_hour",
                         "pin_attempts_max", "pin_lock_minutes", "session_ttl_days", "note_chars_max", "limits"});
  if (!status.ok()) return status;

  for (auto [key, target] : {std::pair{"currency", &options.currency},
                             std::pair{"default_region", &options.default_region}}) {
    status = read_string(*wallet, "wallet.", key, target);
    if (!status.ok()) return status;
  }
  std::optional<Currency> currency = currency_by_code(options.currency);
  if (!currency) return Error("config_out_of_range", "wallet.currency is not an ISO 4217 code", "wallet.currency");

  int64_t value = options.otp_per_phone_per_hour;
  if (!(status = read_int(*wallet, "wallet.", "otp_per_phone_per_hour", 1, 1000, &value)).ok()) return status;
  options.otp_per_phone_per_hour = static_cast<int>(value);
  value = options.otp_per_address_per_hour;
  if (!(status = read_int(*wallet, "wallet.", "otp_per_address_per_hour", 1, 10'000'000, &value)).ok()) return status;
  options.otp_per_address_per_hour = static_cast<int>(value);
  value = options.pin_attempts_max;
  if (!(status = read_int(*wallet, "wallet.", "pin_attempts_max", 1, 100, &value)).ok()) return status;
  options.pin_attempts_max = static_cast<int>(value);
  value = options.pin_lock_ns / kMinuteNs;
  if (!(status = read_int(*wallet, "wallet.", "pin_lock_minutes", 1, 7 * 24 * 60, &value)).ok()) return status;
  options.pin_lock_ns = value * kMinuteNs;
  value = options.session_ttl_ns / (24 * 60 * kMinuteNs);
  if (!(status = read_int(*wallet, "wallet.", "session_ttl_days", 1, 365, &value)).ok()) return status;
  options.session_ttl_ns = value * 24 * 60 * kMinuteNs;
  value = static_cast<int64_t>(options.note_chars_max);
  if (!(status = read_int(*wallet, "wallet.", "note_chars_max", 0, 1000, &value)).ok()) return status;
  options.note_chars_max = static_cast<size_t>(value);

  const toml::node* limits_node = wallet->get("limits");
  if (limits_node == nullptr) return ok_status();
  const toml::table* limits = limits_node->as_table();
  if (limits == nullptr) return Error("config_wrong_type", "wallet.limits must be a table", "wallet.limits");
  status = unknown_keys(*limits, "wallet.limits.", {"level0", "level1", "level2"});
  if (!status.ok()) return status;
  for (size_t level = 0; level < options.limits.size(); ++level) {
    std::string name = "level" + std::to_string(level);
    const toml::node* node = limits->get(name);
    if (node == nullptr) continue;
    const toml::table* table = node->as_table();
    std::string prefix = "wallet.limits." + name + ".";
    if (table == nullptr) return Error("config_wrong_type", prefix + " must be a table", "wallet.limits." + name);
    status = read_limits(*table, prefix, *currency, options.limits[level]);
    if (!status.ok()) return status;
  }
  return ok_status();
}

}  // namespace mpay::server
