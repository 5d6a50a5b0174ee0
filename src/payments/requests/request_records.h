// Payment requests ("request to pay"): a merchant asks a user for an amount; only the user's
// confirmation (or a standing mandate the user created) moves money. The values here are plain
// records; who may change them and how is in the command files beside this one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "payments/wallet/wallet_records.h"

namespace mpay::requests {

using MerchantId = Id128;

// Stored in the journal as numbers (AppEvent::status): never renumber, only append.
enum class PaymentStatus : uint16_t {
  awaiting_confirmation = 1,
  declined = 2,
  expired = 3,
  cancelled = 4,
  failed = 5,
  succeeded = 6,
  authorized = 7,
  captured = 8,
  voided = 9,
};
std::string_view status_name(PaymentStatus status);
std::optional<PaymentStatus> status_from_name(std::string_view name);
// No further status change (refunds may still follow succeeded and captured).
bool is_final(PaymentStatus status);

enum class FundingSource : uint16_t { none = 0, wallet = 1, bank = 2, phone_bill = 3 };
std::string_view funding_name(FundingSource source);
std::optional<FundingSource> funding_from_name(std::string_view name);

enum class CaptureMode : uint8_t { automatic = 0, manual = 1 };

// What the merchant asked for: journaled once at creation (request_events.h, kind 3), never
// changed.
struct RequestTerms {
  Id128 id;
  MerchantId merchant_id;
  std::string merchant_reference;
  wallet::UserId payer_id;
  std::string payer_phone_masked;
  int64_t amount_minor = 0;
  uint16_t currency = 0;  // ISO 4217 numeric
  std::string description;
  std::string metadata_json;  // a JSON object, "{}" when none
  CaptureMode capture = CaptureMode::automatic;
  int64_t created_at_ns = 0;
  int64_t expires_at_ns = 0;
  std::optional<Id128> mandate_id;  // charged under a standing mandate, without a confirmation
};

// What became of it: derived from the journal's events only (request_events.h).
struct RequestState {
  PaymentStatus status = PaymentStatus::awaiting_confirmation;
  FundingSource funding = FundingSource::none;
  int64_t authorized_minor = 0;
  int64_t captured_minor = 0;
  int64_t fee_minor = 0;           // on what was captured
  int64_t refunded_minor = 0;
  int64_t fee_returned_minor = 0;
  TransferId hold_id;              // the pending transfer of an authorization
  TransferId charge_id;  // the payment, or the hold: its debit account is what was charged
  int64_t authorization_expires_at_ns = 0;
  uint16_t failure = 0;            // failure_reason number when status is failed
  int64_t updated_at_ns = 0;
  uint32_t refund_count = 0;
  // When the money last moved by a status (paid, authorized, captured): the month a carrier
  // bill lists the charge under, and so the month it counts against the phone-bill allowance.
  int64_t charged_at_ns = 0;
};

struct PaymentRequest {
  RequestTerms terms;
  RequestState state;
};

// Why a payment failed. Stored in the journal (AppEvent::user_data): never renumber.
enum class FailureReason : uint16_t {
  none = 0,
  insufficient_funds = 1,
  bank_declined = 2,
  bank_timed_out = 3,
  phone_bill_allowance_exceeded = 4,
  ledger_rejected = 5,
  spending_limit_exceeded = 6,  // the payer's KYC limits (per payment, day, month)
};
std::string_view failure_name(FailureReason reason);

enum class RefundStatus : uint16_t { pending = 0, succeeded = 1, failed = 2 };
std::string_view refund_status_name(RefundStatus status);

struct RefundRecord {
  Id128 id;
  Id128 request_id;
  int64_t amount_minor = 0;
  std::string reason;
  int64_t created_at_ns = 0;
  // From the journal:
  RefundStatus status = RefundStatus::pending;
  int64_t fee_returned_minor = 0;
  int64_t settled_at_ns = 0;
  // A bank refund's fee comes back with its hold, told by a pending event; holds booked by
  // mpayd before that carry no event, and their fee comes back when the bank confirms.
  bool fee_returned_with_hold = false;
};

struct MandateRecord {
  Id128 id;
  wallet::UserId user_id;
  MerchantId merchant_id;
  uint16_t currency = 0;
  int64_t per_charge_max_minor = 0;
  int64_t monthly_max_minor = 0;
  int64_t created_at_ns = 0;
  int64_t revoked_at_ns = 0;  // 0 while active
};

}  // namespace mpay::requests
