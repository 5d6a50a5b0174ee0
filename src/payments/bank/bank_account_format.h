// Format checks and masking for bank accounts and orders, shared by every BankConnector.
//
// The limits of bank_connector.h's types are declared here, in one place. All functions are pure
// and thread-safe; they never throw.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "payments/bank/bank_connector.h"

namespace mpay::bank {

inline constexpr size_t kBankCodeLettersMin = 2;
inline constexpr size_t kBankCodeLettersMax = 10;
inline constexpr size_t kCnapsCodeDigits = 12;
inline constexpr size_t kAccountNumberDigitsMin = 10;
inline constexpr size_t kAccountNumberDigitsMax = 30;
inline constexpr size_t kHolderNameBytesMax = 100;
inline constexpr size_t kReferenceLengthMax = 64;
inline constexpr size_t kBankAccountTokenLengthMax = 64;

// ok, or bank_account_invalid with Error::field set to "bank_code", "account_number" or
// "holder_name" (the first field at fault, in that order).
Status validate_bank_account(const BankAccount& account);

// ok, or bank_order_invalid with Error::field set to "reference", "bank_account_token",
// "amount_minor" or "currency" (the first field at fault, in that order). Checks the format only:
// whether the token is known is the connector's business.
Status validate_bank_order(const BankOrder& order);

// ok, or bank_order_invalid with field "reference".
Status validate_reference(std::string_view reference);

// "6222 **** **** 1234": the first four and the last four digits of a valid account number, the
// same shape whatever its length (the mask does not reveal the length).
std::string mask_account_number(std::string_view account_number);

// The holder name as a bank compares it: ASCII letters upper-cased, leading and trailing spaces
// dropped, runs of inner spaces made one. "  li  Lei " -> "LI LEI".
std::string normalize_holder_name(std::string_view holder_name);

}  // namespace mpay::bank
