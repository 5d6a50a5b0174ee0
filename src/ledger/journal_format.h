// The journal record format: one record per batch, fixed-size little-endian parts, checksummed.
//
// A record is a 128-byte header followed by entry_count 128-byte entries:
//
//   header: magic "MPJ1" | version u16 | header_bytes u16 | checksum u64 (XXH3-64 of every byte
//           after the checksum field) | seq u64 | timestamp i64 | entry_count u32 | entry_bytes u32 |
//           zeros to 128 bytes
//   entry:  see JournalEntry below; one per event: an account creation, a transfer (created or
//           rejected: every outcome is journaled, so that a replay reproduces every result), the
//           expiry of a pending transfer, or an application event (types.h AppEvent) that follows
//           the transfers of its submission, followed by its payload (if any) in app_payload
//           entries.
//
// The writer builds entries in a JournalBatchBuffer whose first 128-byte slot holds the header, so
// the finished record is one contiguous buffer with no copy. Pure functions, no shared state.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/error.h"
#include "core/ids.h"
#include "ledger/types.h"

namespace mpay::ledger {

static_assert(std::endian::native == std::endian::little,
              "the journal is little-endian and written with memcpy; add byte swaps to port");

inline constexpr uint32_t kJournalMagic = 0x314A504D;  // "MPJ1" in file order
inline constexpr uint16_t kJournalVersion = 1;
inline constexpr uint32_t kJournalEntryBytes = 128;

enum class EntryType : uint8_t {
  create_account = 1,
  create_transfer = 2,
  expire_pending = 3,
  // An AppEvent: id = event id, debit_account_id = subject, credit_account_id = ref, amount,
  // amount_applied = amount2, user_data, code = kind, flags = status, currency; result 0 when
  // applied, 1 when a transfer of its submission was not created (then it means nothing).
  app_event = 4,
  // A piece of the preceding app_event's payload, in order: timeout_s = how many bytes of this
  // entry are payload (1 to kAppPayloadChunkBytes), which sit from offset 16 (id) up to, at most,
  // offset 112 (currency); every other byte zero. result = its event's result; its own timestamp.
  app_payload = 5,
};

inline constexpr size_t kAppPayloadChunkBytes = 96;
// How many app_payload entries carry a payload of `bytes` bytes.
constexpr size_t app_payload_entries(size_t bytes) {
  return (bytes + kAppPayloadChunkBytes - 1) / kAppPayloadChunkBytes;
}

// Which fields of a post/void were left zero by the client and filled in from the pending transfer.
namespace defaulted_fields {
inline constexpr uint8_t debit_account_id = 1u << 0;
inline constexpr uint8_t credit_account_id = 1u << 1;
inline constexpr uint8_t currency = 1u << 2;
inline constexpr uint8_t amount = 1u << 3;
}  // namespace defaulted_fields

struct JournalEntry {
  EntryType type;
  uint8_t submission_end;  // 1 on the last event of a client submission (linked chains end there)
  uint16_t result;         // CreateAccountResult or CreateTransferResult number
  uint32_t timeout_s;
  int64_t timestamp;  // unique, strictly increasing across the journal
  Id128 id;           // account id, transfer id, or (expiry) the pending transfer's id
  Id128 debit_account_id;
  Id128 credit_account_id;
  Id128 pending_id;
  int64_t amount;           // as submitted (expiry: the pending amount)
  int64_t amount_applied;   // what was reserved (pending) or posted (single-phase, post); else 0
  int64_t amount_released;  // post, void, expiry: the pending reservation released; else 0
  uint64_t user_data;
  uint16_t currency;
  uint16_t code;
  uint16_t flags;         // transfer flags, or account flags
  uint16_t account_kind;  // accounts only
  uint8_t defaulted;      // defaulted_fields bits (successful post/void only)
  uint8_t reserved[7];    // zero
};
static_assert(sizeof(JournalEntry) == kJournalEntryBytes);
static_assert(std::is_trivially_copyable_v<JournalEntry>);
static_assert(offsetof(JournalEntry, id) == 16 && offsetof(JournalEntry, amount) == 80 &&
              offsetof(JournalEntry, currency) == 112 && offsetof(JournalEntry, defaulted) == 120);

struct JournalHeader {
  uint32_t magic;
  uint16_t version;
  uint16_t header_bytes;
  uint64_t checksum;
  uint64_t seq;
  int64_t timestamp;
  uint32_t entry_count;
  uint32_t entry_bytes;
  uint8_t reserved[88];
};
static_assert(sizeof(JournalHeader) == kJournalEntryBytes);
static_assert(std::is_trivially_copyable_v<JournalHeader>);

// Where an entry's accounts sit in the account table (not journaled). The writer knows them; the
// committed view, whose table has the same order, uses them instead of looking the ids up again.
struct AccountPositions {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t debit = kNone;
  uint32_t credit = kNone;
};

// Entries of one batch being built, with slot 0 reserved for the header.
class JournalBatchBuffer {
 public:
  JournalBatchBuffer() : slots_(1) {}
  void clear() {
    slots_.resize(1);
    positions_.clear();
  }
  void reserve(size_t entries) {
    slots_.reserve(entries + 1);
    positions_.reserve(entries);
  }

  JournalEntry& append() {
    slots_.emplace_back();
    positions_.emplace_back();
    return slots_.back();
  }
  AccountPositions& positions(size_t index) { return positions_[index]; }
  const AccountPositions& positions(size_t index) const { return positions_[index]; }
  size_t size() const { return slots_.size() - 1; }
  JournalEntry& entry(size_t index) { return slots_[index + 1]; }
  const JournalEntry& entry(size_t index) const { return slots_[index + 1]; }
  std::span<const JournalEntry> entries() const { return {slots_.data() + 1, slots_.size() - 1}; }

  // Writes the header (with checksum) into slot 0 and returns the whole record.
  std::span<const std::byte> seal(uint64_t seq, int64_t timestamp);
  // The record as last sealed.
  std::span<const std::byte> record() const {
    return {reinterpret_cast<const std::byte*>(slots_.data()), slots_.size() * kJournalEntryBytes};
  }

 private:
  std::vector<JournalEntry> slots_;
  std::vector<AccountPositions> positions_;
};

struct DecodedBatch {
  uint64_t seq = 0;
  int64_t timestamp = 0;
  std::vector<JournalEntry> entries;
};

// Checks magic, version, sizes, checksum and reserved bytes; errors are "journal_corrupt".
Result<DecodedBatch> decode_batch(std::span<const std::byte> record);

// Reads only the header fields (seq, timestamp, count) after the same checks as decode_batch.
Result<JournalHeader> decode_header(std::span<const std::byte> record);

// A zeroed entry with the type set; every field a caller does not set stays zero.
JournalEntry make_entry(EntryType type);

// An app_payload entry holding `chunk` (at most kAppPayloadChunkBytes bytes).
JournalEntry make_payload_entry(std::span<const char> chunk);
// The payload bytes of an app_payload entry (decode_batch has checked the length).
std::span<const char> payload_chunk(const JournalEntry& entry);

}  // namespace mpay::ledger
