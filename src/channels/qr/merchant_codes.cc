#include "channels/qr/merchant_codes.h"

#include <fmt/format.h>

#include <cctype>

#include "channels/qr/code_payload.h"
#include "core/display_text.h"
#include "core/text_length.h"
#include "payments/wallet/p2p_transfer.h"

namespace mpay::qr {
namespace {

constexpr std::string_view kTokenAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr int kTokenDraws = 4;  // a collision of 95-bit tokens is a broken random source

std::string new_token(RandomSource& random, uint32_t chars) {
  std::string token;
  while (token.size() < chars) {
    uint8_t byte = 0;
    random.fill(&byte, 1);
    if (byte >= 248) continue;  // 248 = 4 x 62: no modulo bias
    token.push_back(kTokenAlphabet[byte % kTokenAlphabet.size()]);
  }
  return token;
}

bool printable_ascii(std::string_view text, bool spaces_allowed) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7E || (!spaces_allowed && c == ' ')) return false;
  }
  return true;
}

Status check_text(std::string_view text, size_t chars_max, bool ascii, std::string code,
                  std::string field) {
  bool ok = utf8_chars(text) <= chars_max && (!ascii || printable_ascii(text, true));
  ok = ok && !has_hidden_control(text);  // no controls, bidi or invisible format characters
  if (ok) return ok_status();
  return Error(std::move(code),
               fmt::format("at most {} {}characters, no control characters", chars_max,
                           ascii ? "printable ASCII " : ""),
               std::move(field));
}

Status check_alternate(const QrContext& context, const NewMerchantCode& request) {
  const QrOptions& options = context.options;
  bool any = !request.alternate_language.empty() || !request.alternate_name.empty() ||
             !request.alternate_city.empty();
  if (!any) return ok_status();
  const std::string& language = request.alternate_language;
  bool language_ok = language.size() == 2 &&
                     std::isalpha(static_cast<unsigned char>(language[0])) &&
                     std::isalpha(static_cast<unsigned char>(language[1]));
  if (!language_ok) {
    return Error("alternate_language_invalid", "an ISO 639-1 code of two letters, e.g. \"ZH\"",
                 "alternate_language");
  }
  if (request.alternate_name.empty()) {
    return Error("alternate_name_invalid", "the merchant's name in that language is required",
                 "alternate_name");
  }
  Status name = check_text(request.alternate_name, options.alternate_name_chars_max, false,
                           "alternate_name_invalid", "alternate_name");
  if (!name.ok()) return name;
  return check_text(request.alternate_city, options.alternate_city_chars_max, false,
                    "alternate_city_invalid", "alternate_city");
}

bool reference_taken(const QrContext& context, const Id128& merchant,
                     const std::string& reference) {
  // Dynamic codes are few per merchant compared with requests; a scan of the book is enough.
  for (const MerchantCode& code :
       context.book.list_for_merchant(merchant, std::nullopt, SIZE_MAX)) {
    if (code.kind == CodeKind::dynamic_code && code.merchant_reference == reference) return true;
  }
  return false;
}

}  // namespace

std::string_view code_status_name(CodeStatus status) {
  switch (status) {
    case CodeStatus::active:
      return "active";
    case CodeStatus::used:
      return "used";
    case CodeStatus::expired:
      return "expired";
    case CodeStatus::deactivated:
      return "deactivated";
  }
  return "active";
}

CodeStatus code_status(const MerchantCode& code, int64_t now_ns) {
  if (code.deactivated_at_ns != 0) return CodeStatus::deactivated;
  if (code.kind == CodeKind::static_code) return CodeStatus::active;
  if (code.claimed_by) return CodeStatus::used;
  if (now_ns >= code.expires_at_ns) return CodeStatus::expired;
  return CodeStatus::active;
}

std::string code_url(const QrContext& context, const MerchantCode& code) {
  return context.public_url.get() + "/q/" + code.token;
}

Result<MerchantCode> create_merchant_code(QrContext& context, const Id128& merchant_id,
                                          const NewMerchantCode& request) {
  requests::RequestContext& requests = context.requests;
  wallet::WalletContext& wallet = requests.wallet;
  std::optional<CodeKind> kind = kind_from_name(request.kind);
  if (!kind) return Error("qr_code_kind_invalid", "type is \"static\" or \"dynamic\"", "type");
  bool dynamic = *kind == CodeKind::dynamic_code;
  MerchantCode code;
  code.kind = *kind;
  code.merchant_id = merchant_id;
  code.currency = wallet.currency.numeric;
  if (dynamic) {
    if (!request.amount)
      return Error("amount_required", "a dynamic code carries its amount", "amount");
    Result<int64_t> amount = wallet::parse_wallet_amount(wallet, *request.amount, request.currency);
    if (!amount.ok()) return amount.error();
    code.amount_minor = *amount;
  } else {
    if (request.amount) {
      return Error("amount_not_allowed", "a static code carries no amount: the user enters it",
                   "amount");
    }
    if (request.expires_in_s) {
      return Error("expires_in_s_not_allowed", "static codes do not expire", "expires_in_s");
    }
    if (!request.currency.empty()) {
      Result<int64_t> currency_check = wallet::parse_wallet_amount(wallet, "1", request.currency);
      if (!currency_check.ok()) return currency_check.error();
    }
  }
  std::optional<requests::MerchantProfile> merchant =
      requests.merchants.find(merchant_id, wallet.currency.numeric);
  if (!merchant || !merchant->active) {
    return Error("merchant_unavailable", "this merchant cannot take payments now");
  }
  if (utf8_chars(request.description) > requests.options.description_chars_max) {
    return Error("description_too_long",
                 fmt::format("at most {} characters", requests.options.description_chars_max),
                 "description");
  }
  // Scans copy it into payment requests, whose descriptions may not hold control characters:
  // refused now rather than at every scan.
  if (has_hidden_control(request.description)) {
    return Error("description_invalid", "description must not contain control characters",
                 "description");
  }
  Status till = check_text(request.terminal_label, context.options.terminal_label_chars_max, true,
                           "terminal_label_invalid", "terminal_label");
  if (!till.ok()) return till.error();
  Status alternate = check_alternate(context, request);
  if (!alternate.ok()) return alternate.error();
  if (request.metadata_json.size() > requests.options.metadata_bytes_max) {
    return Error("metadata_too_large",
                 fmt::format("metadata is at most {} bytes", requests.options.metadata_bytes_max),
                 "metadata");
  }
  if (!dynamic && context.book.active_static_count(merchant_id) >=
                      context.options.static_codes_per_merchant_max) {
    return Error("qr_static_code_limit",
                 fmt::format("at most {} active static codes per merchant",
                             context.options.static_codes_per_merchant_max));
  }
  int64_t now = wallet.clock.now_ns();
  if (dynamic) {
    int64_t expires_in_s =
        request.expires_in_s.value_or(context.options.dynamic_expires_in_s_default);
    if (expires_in_s < context.options.dynamic_expires_in_s_min ||
        expires_in_s > context.options.dynamic_expires_in_s_max) {
      return Error(
          "expires_in_s_out_of_range",
          fmt::format("expires_in_s is from {} to {}", context.options.dynamic_expires_in_s_min,
                      context.options.dynamic_expires_in_s_max),
          "expires_in_s");
    }
    code.expires_at_ns = now + expires_in_s * 1'000'000'000;
  }
  code.description = request.description;
  code.terminal_label = request.terminal_label;
  code.metadata_json = request.metadata_json;
  code.created_at_ns = now;
  code.id = wallet.ids.next();

  for (int draw = 0; draw < kTokenDraws; ++draw) {
    code.token = new_token(wallet.random, context.options.token_chars);
    if (context.book.by_token(code.token)) continue;
    if (dynamic) {
      code.merchant_reference =
          request.merchant_reference.empty() ? "qr-" + code.token : request.merchant_reference;
      bool reference_ok = code.merchant_reference.size() <= requests.options.reference_chars_max &&
                          printable_ascii(code.merchant_reference, false);
      if (!reference_ok) {
        return Error("merchant_reference_invalid",
                     fmt::format("1 to {} printable ASCII characters, no spaces",
                                 requests.options.reference_chars_max),
                     "merchant_reference");
      }
      if (reference_taken(context, merchant_id, code.merchant_reference)) {
        return Error("merchant_reference_taken",
                     "you already used this merchant_reference for another code",
                     "merchant_reference");
      }
    }
    Result<std::string> payload = build_code_payload(context.options, *merchant, code, request);
    if (!payload.ok()) return payload.error();
    code.payload = std::move(*payload);
    Status stored = context.repository.insert_code(code);
    if (!stored.ok() && stored.error().code == "already_exists") continue;
    if (!stored.ok()) return stored.error();
    context.book.put(code);
    return code;
  }
  return Error("store_error", "no unused code token could be drawn");
}

Result<MerchantCode> deactivate_merchant_code(QrContext& context, const Id128& merchant,
                                              const Id128& code_id) {
  std::optional<MerchantCode> code = context.book.get(code_id);
  if (!code || !(code->merchant_id == merchant)) {
    return Error("qr_code_not_found", "no code of yours has this id");
  }
  if (code->kind != CodeKind::static_code) {
    return Error("qr_code_not_static", "dynamic codes expire with their payment request");
  }
  if (code->deactivated_at_ns != 0) return *code;
  int64_t now = context.requests.wallet.clock.now_ns();
  Status stored = context.repository.deactivate_code(code_id, now);
  if (!stored.ok()) return stored.error();
  context.book.deactivate(code_id, now);
  return *context.book.get(code_id);
}

}  // namespace mpay::qr
