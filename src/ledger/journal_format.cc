#include "ledger/journal_format.h"

#include <xxhash.h>

#include <cstring>
#include <string>

#include "core/check.h"

namespace mpay::ledger {
namespace {

constexpr size_t kChecksumCoverageStart = offsetof(JournalHeader, seq);

Error corrupt(std::string message) { return Error("journal_corrupt", std::move(message)); }

uint64_t checksum_of(std::span<const std::byte> record) {
  return XXH3_64bits(record.data() + kChecksumCoverageStart, record.size() - kChecksumCoverageStart);
}

bool all_zero(const uint8_t* bytes, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

}  // namespace

JournalEntry make_entry(EntryType type) {
  JournalEntry entry{};  // value-initialized: every byte zero, reserved ones included
  entry.type = type;
  return entry;
}

static_assert(offsetof(JournalEntry, id) + kAppPayloadChunkBytes ==
              offsetof(JournalEntry, currency));

JournalEntry make_payload_entry(std::span<const char> chunk) {
  MPAY_CHECK(!chunk.empty() && chunk.size() <= kAppPayloadChunkBytes, "payload chunk size");
  JournalEntry entry = make_entry(EntryType::app_payload);
  entry.timeout_s = static_cast<uint32_t>(chunk.size());
  std::memcpy(reinterpret_cast<char*>(&entry) + offsetof(JournalEntry, id), chunk.data(),
              chunk.size());
  return entry;
}

std::span<const char> payload_chunk(const JournalEntry& entry) {
  return {reinterpret_cast<const char*>(&entry) + offsetof(JournalEntry, id), entry.timeout_s};
}

std::span<const std::byte> JournalBatchBuffer::seal(uint64_t seq, int64_t timestamp) {
  JournalHeader header;
  std::memset(&header, 0, sizeof(header));
  header.magic = kJournalMagic;
  header.version = kJournalVersion;
  header.header_bytes = sizeof(JournalHeader);
  header.seq = seq;
  header.timestamp = timestamp;
  header.entry_count = static_cast<uint32_t>(size());
  header.entry_bytes = kJournalEntryBytes;
  std::memcpy(static_cast<void*>(&slots_[0]), &header, sizeof(header));
  std::span<const std::byte> record(reinterpret_cast<const std::byte*>(slots_.data()),
                                    slots_.size() * kJournalEntryBytes);
  header.checksum = checksum_of(record);
  std::memcpy(static_cast<void*>(&slots_[0]), &header, sizeof(header));
  return record;
}

Result<JournalHeader> decode_header(std::span<const std::byte> record) {
  if (record.size() < sizeof(JournalHeader)) return corrupt("record shorter than its header");
  JournalHeader header;
  std::memcpy(&header, record.data(), sizeof(header));
  if (header.magic != kJournalMagic) return corrupt("bad magic");
  if (header.version != kJournalVersion) {
    return corrupt("unsupported journal version " + std::to_string(header.version));
  }
  if (header.header_bytes != sizeof(JournalHeader) || header.entry_bytes != kJournalEntryBytes) {
    return corrupt("unexpected header or entry size");
  }
  if (record.size() != sizeof(JournalHeader) + uint64_t{header.entry_count} * kJournalEntryBytes) {
    return corrupt("record size does not match its entry count");
  }
  if (!all_zero(header.reserved, sizeof(header.reserved))) return corrupt("reserved header bytes set");
  if (checksum_of(record) != header.checksum) {
    return corrupt("checksum mismatch in batch " + std::to_string(header.seq));
  }
  return header;
}

Result<DecodedBatch> decode_batch(std::span<const std::byte> record) {
  Result<JournalHeader> header = decode_header(record);
  if (!header.ok()) return header.error();
  DecodedBatch batch;
  batch.seq = header->seq;
  batch.timestamp = header->timestamp;
  batch.entries.resize(header->entry_count);
  // An empty vector's data() may be null, and memcpy from or to null is undefined even for 0 bytes.
  if (!batch.entries.empty()) {
    std::memcpy(static_cast<void*>(batch.entries.data()), record.data() + sizeof(JournalHeader),
                batch.entries.size() * kJournalEntryBytes);
  }
  for (const JournalEntry& entry : batch.entries) {
    if (entry.type != EntryType::create_account && entry.type != EntryType::create_transfer &&
        entry.type != EntryType::expire_pending && entry.type != EntryType::app_event &&
        entry.type != EntryType::app_payload) {
      return corrupt("unknown entry type in batch " + std::to_string(batch.seq));
    }
    if (entry.type == EntryType::app_payload &&
        (entry.timeout_s == 0 || entry.timeout_s > kAppPayloadChunkBytes)) {
      return corrupt("payload entry of " + std::to_string(entry.timeout_s) + " bytes in batch " +
                     std::to_string(batch.seq));
    }
    if (entry.type == EntryType::app_payload) {
      // Everything past the chunk is zero, so a payload entry has one encoding only.
      const auto* bytes = reinterpret_cast<const uint8_t*>(&entry);
      size_t chunk_end = offsetof(JournalEntry, id) + entry.timeout_s;
      if (!all_zero(bytes + chunk_end, kJournalEntryBytes - chunk_end)) {
        return corrupt("bytes set past a payload chunk in batch " + std::to_string(batch.seq));
      }
    }
    if (!all_zero(entry.reserved, sizeof(entry.reserved))) {
      return corrupt("reserved entry bytes set in batch " + std::to_string(batch.seq));
    }
  }
  return batch;
}

}  // namespace mpay::ledger
