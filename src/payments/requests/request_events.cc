#include "payments/requests/request_events.h"

#include <cstring>
#include <string>
#include <string_view>

namespace mpay::requests {
namespace {

// Payload of a created event, version 1: u8 version | payer id (16 bytes: high, low, little-endian)
// | u8 has mandate | mandate id (16 bytes, when it has one) | four strings, each a u32 length and
// its bytes: merchant reference, masked payer phone, description, metadata JSON.
constexpr uint8_t kTermsVersion = 1;

void put_u64(std::string& out, uint64_t value) {
  char bytes[8];
  std::memcpy(bytes, &value, 8);
  out.append(bytes, 8);
}

void put_id(std::string& out, const Id128& id) {
  put_u64(out, id.high);
  put_u64(out, id.low);
}

void put_text(std::string& out, std::string_view text) {
  auto size = static_cast<uint32_t>(text.size());
  char bytes[4];
  std::memcpy(bytes, &size, 4);
  out.append(bytes, 4);
  out.append(text);
}

// Reads the payload front to back; any read past its end makes it invalid.
class PayloadReader {
 public:
  explicit PayloadReader(std::string_view bytes) : rest_(bytes) {}
  bool ok() const { return ok_; }
  bool done() const { return rest_.empty(); }
  uint8_t byte() {
    std::string_view taken = take(1);
    return taken.empty() ? 0 : static_cast<uint8_t>(taken[0]);
  }
  Id128 id() {
    Id128 id;
    std::string_view taken = take(16);
    if (taken.size() == 16) {
      std::memcpy(&id.high, taken.data(), 8);
      std::memcpy(&id.low, taken.data() + 8, 8);
    }
    return id;
  }
  std::string text() {
    std::string_view length = take(4);
    uint32_t size = 0;
    if (length.size() == 4) std::memcpy(&size, length.data(), 4);
    return std::string(take(size));
  }

 private:
  std::string_view take(size_t size) {
    if (!ok_ || rest_.size() < size) {
      ok_ = false;
      return {};
    }
    std::string_view taken = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return taken;
  }
  std::string_view rest_;
  bool ok_ = true;
};

}  // namespace

ledger::AppEvent encode_status(const Id128& event_id, const RequestTerms& terms,
                               const StatusChange& change) {
  ledger::AppEvent event;
  event.id = event_id;
  event.subject_id = terms.id;
  event.ref_id = change.transfer_id.value();
  event.amount = change.amount_minor;
  event.amount2 = change.amount2;
  event.user_data = static_cast<uint64_t>(change.funding) |
                    (static_cast<uint64_t>(change.failure) << 8);
  event.kind = event_kinds::payment_status;
  event.status = static_cast<uint16_t>(change.status);
  event.currency = terms.currency;
  return event;
}

ledger::AppEvent encode_refund(const Id128& event_id, const RequestTerms& terms,
                               const RefundChange& change) {
  ledger::AppEvent event;
  event.id = event_id;
  event.subject_id = terms.id;
  event.ref_id = change.refund_id;
  event.amount = change.amount_minor;
  event.amount2 = change.fee_returned_minor;
  event.kind = event_kinds::refund;
  event.status = static_cast<uint16_t>(change.status);
  event.currency = terms.currency;
  return event;
}

ledger::AppEvent encode_created(const Id128& event_id, const RequestTerms& terms) {
  ledger::AppEvent event;
  event.id = event_id;
  event.subject_id = terms.id;
  event.ref_id = terms.merchant_id;
  event.amount = terms.amount_minor;
  event.amount2 = terms.expires_at_ns;
  event.user_data = static_cast<uint64_t>(terms.created_at_ns);
  event.kind = event_kinds::created;
  event.status = static_cast<uint16_t>(terms.capture);
  event.currency = terms.currency;
  std::string& out = event.payload;
  out.reserve(64 + terms.merchant_reference.size() + terms.payer_phone_masked.size() +
              terms.description.size() + terms.metadata_json.size());
  out.push_back(static_cast<char>(kTermsVersion));
  put_id(out, terms.payer_id.value());
  out.push_back(terms.mandate_id ? 1 : 0);
  if (terms.mandate_id) put_id(out, *terms.mandate_id);
  put_text(out, terms.merchant_reference);
  put_text(out, terms.payer_phone_masked);
  put_text(out, terms.description);
  put_text(out, terms.metadata_json);
  return event;
}

size_t created_payload_bytes_max(const RequestOptions& options) {
  constexpr size_t kTextLengthBytes = 4;
  constexpr size_t kIdBytes = 16;
  constexpr size_t kMaskedPhoneBytesMax = 32;  // "+" 15 digits, two spaces, stars: mask_phone()
  constexpr size_t kUtf8BytesPerCharMax = 4;
  size_t fixed = 1 + kIdBytes + 1 + kIdBytes;  // version, payer, mandate flag and id
  size_t texts = 4 * kTextLengthBytes + options.reference_chars_max /* printable ASCII */ +
                 kMaskedPhoneBytesMax +
                 size_t{options.description_chars_max} * kUtf8BytesPerCharMax +
                 options.metadata_bytes_max;
  return fixed + texts;
}

Status check_terms_fit_the_journal(const RequestOptions& options) {
  size_t worst = created_payload_bytes_max(options);
  if (worst <= ledger::kAppEventPayloadBytesMax) return ok_status();
  return Error(
      "config_invalid",
      "payment request limits allow terms of up to " + std::to_string(worst) +
          " bytes (description, reference, metadata), more than the " +
          std::to_string(ledger::kAppEventPayloadBytesMax) +
          " bytes the journal takes per event: lower description_chars_max or metadata_bytes_max");
}

Result<RequestTerms> decode_created(const ledger::AppEvent& event) {
  Error invalid("event_invalid",
                "journal event " + to_uuid_text(event.id) + " is not a payment request's creation");
  if (event.kind != event_kinds::created) return invalid;
  RequestTerms terms;
  terms.id = event.subject_id;
  terms.merchant_id = event.ref_id;
  terms.amount_minor = event.amount;
  terms.expires_at_ns = event.amount2;
  terms.created_at_ns = static_cast<int64_t>(event.user_data);
  if (event.status > static_cast<uint16_t>(CaptureMode::manual)) return invalid;
  terms.capture = static_cast<CaptureMode>(event.status);
  terms.currency = event.currency;
  PayloadReader reader(event.payload);
  if (reader.byte() != kTermsVersion) return invalid;
  terms.payer_id = wallet::UserId(reader.id());
  uint8_t has_mandate = reader.byte();
  if (has_mandate > 1) return invalid;
  if (has_mandate == 1) terms.mandate_id = reader.id();
  terms.merchant_reference = reader.text();
  terms.payer_phone_masked = reader.text();
  terms.description = reader.text();
  terms.metadata_json = reader.text();
  if (!reader.ok() || !reader.done()) return invalid;
  return terms;
}

void apply_status(RequestState& state, const ledger::AppEvent& event, int64_t timestamp) {
  auto status = static_cast<PaymentStatus>(event.status);
  auto funding = static_cast<FundingSource>(event.user_data & 0xFF);
  state.status = status;
  state.updated_at_ns = timestamp;
  if (funding != FundingSource::none) state.funding = funding;
  switch (status) {
    case PaymentStatus::succeeded:
      state.authorized_minor = event.amount;
      state.captured_minor = event.amount;
      state.fee_minor = event.amount2;
      state.charged_at_ns = timestamp;
      state.charge_id = TransferId(event.ref_id);
      break;
    case PaymentStatus::authorized:
      state.authorized_minor = event.amount;
      state.hold_id = TransferId(event.ref_id);
      state.charge_id = state.hold_id;
      state.authorization_expires_at_ns = event.amount2;
      state.charged_at_ns = timestamp;
      break;
    case PaymentStatus::captured:
      state.captured_minor = event.amount;
      state.fee_minor = event.amount2;
      state.charged_at_ns = timestamp;
      break;
    case PaymentStatus::failed:
      state.failure = static_cast<uint16_t>((event.user_data >> 8) & 0xFF);
      break;
    default:
      break;
  }
}

void apply_refund(RequestState& state, RefundRecord& refund, const ledger::AppEvent& event,
                  int64_t timestamp) {
  auto status = static_cast<RefundStatus>(event.status);
  refund.status = status;
  refund.settled_at_ns = timestamp;
  state.updated_at_ns = timestamp;
  // Pending: the fee already came back with the hold. Failed: nothing stayed returned.
  refund.fee_returned_minor = status == RefundStatus::failed ? 0 : event.amount2;
  if (status == RefundStatus::pending) refund.fee_returned_with_hold = true;
  if (status != RefundStatus::succeeded) return;
  state.refunded_minor += event.amount;
  state.fee_returned_minor += event.amount2;
}

}  // namespace mpay::requests
