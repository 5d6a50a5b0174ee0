#include "payments/bank/bank_account_format.h"

#include <cstdint>

#include "core/currency.h"

namespace mpay::bank {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

bool all_of(std::string_view text, bool (*predicate)(char)) {
  for (char c : text) {
    if (!predicate(c)) return false;
  }
  return true;
}

bool is_reference_character(char c) {
  return is_digit(c) || is_upper(c) || is_lower(c) || c == '.' || c == '_' || c == ':' || c == '-';
}

// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) without control
// characters (C0, DEL).
bool is_printable_utf8(std::string_view text) {
  size_t at = 0;
  while (at < text.size()) {
    auto byte = static_cast<unsigned char>(text[at]);
    if (byte < 0x80) {
      if (byte < 0x20 || byte == 0x7F) return false;
      ++at;
      continue;
    }
    size_t continuation_count = 0;
    uint32_t code_point = 0;
    uint32_t code_point_min = 0;
    if ((byte & 0xE0) == 0xC0) {
      continuation_count = 1;
      code_point = byte & 0x1F;
      code_point_min = 0x80;
    } else if ((byte & 0xF0) == 0xE0) {
      continuation_count = 2;
      code_point = byte & 0x0F;
      code_point_min = 0x800;
    } else if ((byte & 0xF8) == 0xF0) {
      continuation_count = 3;
      code_point = byte & 0x07;
      code_point_min = 0x10000;
    } else {
      return false;
    }
    if (at + continuation_count >= text.size()) return false;
    for (size_t i = 1; i <= continuation_count; ++i) {
      auto next = static_cast<unsigned char>(text[at + i]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < code_point_min || code_point > 0x10FFFF) return false;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    at += continuation_count + 1;
  }
  return true;
}

Error account_invalid(std::string message, std::string field) {
  return Error("bank_account_invalid", std::move(message), std::move(field));
}

Error order_invalid(std::string message, std::string field) {
  return Error("bank_order_invalid", std::move(message), std::move(field));
}

}  // namespace

Status validate_bank_account(const BankAccount& account) {
  const std::string& code = account.bank_code;
  bool letters = code.size() >= kBankCodeLettersMin && code.size() <= kBankCodeLettersMax &&
                 all_of(code, is_upper);
  bool cnaps = code.size() == kCnapsCodeDigits && all_of(code, is_digit);
  if (!letters && !cnaps) {
    return account_invalid("bank_code must be 2 to 10 upper-case letters or a 12-digit CNAPS code",
                           "bank_code");
  }
  const std::string& number = account.account_number;
  if (number.size() < kAccountNumberDigitsMin || number.size() > kAccountNumberDigitsMax ||
      !all_of(number, is_digit)) {
    return account_invalid("account_number must be 10 to 30 digits", "account_number");
  }
  const std::string& holder = account.holder_name;
  if (holder.size() > kHolderNameBytesMax || !is_printable_utf8(holder) ||
      normalize_holder_name(holder).empty()) {
    return account_invalid(
        "holder_name must be 1 to 100 bytes of UTF-8 without control characters, not blank",
        "holder_name");
  }
  return ok_status();
}

Status validate_reference(std::string_view reference) {
  if (reference.empty() || reference.size() > kReferenceLengthMax ||
      !all_of(reference, is_reference_character)) {
    return order_invalid("reference must be 1 to 64 characters from [A-Za-z0-9._:-]", "reference");
  }
  return ok_status();
}

Status validate_bank_order(const BankOrder& order) {
  Status reference = validate_reference(order.reference);
  if (!reference.ok()) return reference;
  const std::string& token = order.bank_account_token;
  if (token.empty() || token.size() > kBankAccountTokenLengthMax ||
      !all_of(token, is_reference_character)) {
    return order_invalid("bank_account_token is malformed", "bank_account_token");
  }
  if (order.amount_minor <= 0) {
    return order_invalid("amount_minor must be positive", "amount_minor");
  }
  if (!currency_by_code(order.currency).has_value()) {
    return order_invalid("currency must be a known ISO 4217 code", "currency");
  }
  return ok_status();
}

std::string mask_account_number(std::string_view account_number) {
  MPAY_CHECK(account_number.size() >= 8, "mask_account_number needs a validated account number");
  std::string masked(account_number.substr(0, 4));
  masked += " **** **** ";
  masked += account_number.substr(account_number.size() - 4);
  return masked;
}

std::string normalize_holder_name(std::string_view holder_name) {
  std::string normalized;
  normalized.reserve(holder_name.size());
  bool space_pending = false;
  for (char c : holder_name) {
    if (c == ' ') {
      space_pending = !normalized.empty();
      continue;
    }
    if (space_pending) normalized += ' ';
    space_pending = false;
    normalized += is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return normalized;
}

}  // namespace mpay::bank
