// The journal record and snapshot formats: round trips, and every kind of damage refused.
#include "ledger/journal_format.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstring>
#include <vector>

#include "ledger/snapshot_format.h"
#include "test_support.h"

namespace mpay::ledger {
namespace {

using namespace mpay::ledger::testing;  // NOLINT: test helpers

constexpr size_t kChecksumOffset = 8;
constexpr size_t kChecksumCoverageStart = 16;  // both formats: everything after the checksum

std::vector<std::byte> copy_of(std::span<const std::byte> bytes) {
  return std::vector<std::byte>(bytes.begin(), bytes.end());
}

// Rewrites the checksum so that only the check under test can catch the damage.
void reseal(std::vector<std::byte>* bytes) {
  uint64_t checksum =
      XXH3_64bits(bytes->data() + kChecksumCoverageStart, bytes->size() - kChecksumCoverageStart);
  std::memcpy(bytes->data() + kChecksumOffset, &checksum, sizeof(checksum));
}

template <typename T>
void put(std::vector<std::byte>* bytes, size_t offset, T value) {
  std::memcpy(bytes->data() + offset, &value, sizeof(T));
}

// ---------------------------------------------------------------------------------------------
// Journal records

// A batch with one entry of each type and every field set to something distinctive.
void fill_sample(JournalBatchBuffer* buffer) {
  JournalEntry& expiry = buffer->append();
  expiry = make_entry(EntryType::expire_pending);
  expiry.timestamp = 1000;
  expiry.id = Id128{0x0102030405060708, 0x1112131415161718};
  expiry.debit_account_id = raw_id(1);
  expiry.credit_account_id = raw_id(2);
  expiry.amount = 500;
  expiry.amount_released = 500;
  expiry.currency = kCny;

  JournalEntry& account = buffer->append();
  account = make_entry(EntryType::create_account);
  account.submission_end = 1;
  account.timestamp = 1001;
  account.id = raw_id(3);
  account.user_data = 0xFFFFFFFFFFFFFFFF;
  account.currency = kUsd;
  account.flags = account_flags::debits_must_not_exceed_credits;
  account.account_kind = static_cast<uint16_t>(AccountKind::merchant);
  account.code = 65535;

  JournalEntry& post = buffer->append();
  post = make_entry(EntryType::create_transfer);
  post.submission_end = 1;
  post.result = static_cast<uint16_t>(CreateTransferResult::created);
  post.timestamp = 1002;
  post.id = Id128{~0ULL, ~0ULL};
  post.debit_account_id = raw_id(1);
  post.credit_account_id = raw_id(2);
  post.pending_id = raw_id(77);
  post.amount = 0;
  post.amount_applied = std::numeric_limits<int64_t>::max();
  post.amount_released = std::numeric_limits<int64_t>::max();
  post.user_data = 12345;
  post.currency = kCny;
  post.code = 7;
  post.flags = transfer_flags::post_pending_transfer | transfer_flags::linked;
  post.defaulted = defaulted_fields::amount | defaulted_fields::currency;
  post.timeout_s = 0;

  JournalEntry& rejected = buffer->append();
  rejected = make_entry(EntryType::create_transfer);
  rejected.result = static_cast<uint16_t>(CreateTransferResult::exceeds_debits);
  rejected.timestamp = 1003;
  rejected.id = raw_id(78);
  rejected.amount = -4;
  rejected.timeout_s = 0xFFFFFFFF;
  rejected.submission_end = 1;
}

std::vector<std::byte> sample_record(uint64_t seq = 9, int64_t timestamp = 1000) {
  JournalBatchBuffer buffer;
  fill_sample(&buffer);
  return copy_of(buffer.seal(seq, timestamp));
}

void expect_journal_corrupt(std::span<const std::byte> record, const std::string& what) {
  Result<DecodedBatch> batch = decode_batch(record);
  EXPECT_FALSE(batch.ok()) << what;
  if (!batch.ok()) {
    EXPECT_EQ(batch.error().code, "journal_corrupt") << what;
  }
  Result<JournalHeader> header = decode_header(record);
  EXPECT_FALSE(header.ok()) << what << " (header only)";
}

TEST(JournalFormat, MakeEntryZeroesEveryByteButTheType) {
  JournalEntry entry = make_entry(EntryType::create_transfer);
  const auto* bytes = reinterpret_cast<const uint8_t*>(&entry);
  EXPECT_EQ(bytes[0], static_cast<uint8_t>(EntryType::create_transfer));
  for (size_t i = 1; i < sizeof(entry); ++i) EXPECT_EQ(bytes[i], 0) << i;
}

TEST(JournalFormat, SealThenDecodeGivesBackEveryEntry) {
  JournalBatchBuffer buffer;
  fill_sample(&buffer);
  std::span<const std::byte> record = buffer.seal(9, 1000);
  EXPECT_EQ(record.size(), (buffer.size() + 1) * kJournalEntryBytes);
  EXPECT_EQ(record.data(), buffer.record().data());

  Result<DecodedBatch> batch = decode_batch(record);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_EQ(batch->seq, 9u);
  EXPECT_EQ(batch->timestamp, 1000);
  ASSERT_EQ(batch->entries.size(), buffer.size());
  for (size_t i = 0; i < buffer.size(); ++i) {
    EXPECT_EQ(std::memcmp(&batch->entries[i], &buffer.entry(i), sizeof(JournalEntry)), 0) << i;
  }

  Result<JournalHeader> header = decode_header(record);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->magic, kJournalMagic);
  EXPECT_EQ(header->version, kJournalVersion);
  EXPECT_EQ(header->seq, 9u);
  EXPECT_EQ(header->timestamp, 1000);
  EXPECT_EQ(header->entry_count, buffer.size());
  EXPECT_EQ(header->entry_bytes, kJournalEntryBytes);
  EXPECT_EQ(std::memcmp(record.data(), "MPJ1", 4), 0);
}

TEST(JournalFormat, EmptyBatchRoundTrips) {
  JournalBatchBuffer buffer;
  std::vector<std::byte> record = copy_of(buffer.seal(1, 5));
  EXPECT_EQ(record.size(), kJournalEntryBytes);
  Result<DecodedBatch> batch = decode_batch(record);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->seq, 1u);
  EXPECT_TRUE(batch->entries.empty());
}

TEST(JournalFormat, SealingIsDeterministicAndResealingAfterClearWorks) {
  EXPECT_EQ(sample_record(), sample_record());
  EXPECT_NE(sample_record(9), sample_record(10));
  JournalBatchBuffer buffer;
  fill_sample(&buffer);
  buffer.seal(1, 1);
  buffer.clear();
  EXPECT_EQ(buffer.size(), 0u);
  fill_sample(&buffer);
  EXPECT_EQ(copy_of(buffer.seal(9, 1000)), sample_record());
}

TEST(JournalFormat, EveryFlippedByteIsDetected) {
  const std::vector<std::byte> good = sample_record();
  ASSERT_TRUE(decode_batch(good).ok());
  for (size_t at = 0; at < good.size(); ++at) {
    for (uint8_t mask : {0x01, 0x80, 0xFF}) {
      std::vector<std::byte> bad = good;
      bad[at] ^= std::byte{mask};
      expect_journal_corrupt(bad, "byte " + std::to_string(at) + " ^ " + std::to_string(mask));
    }
  }
}

TEST(JournalFormat, TruncatedOrExtendedRecordIsRejected) {
  const std::vector<std::byte> good = sample_record();
  for (size_t size = 0; size < good.size(); ++size) {
    expect_journal_corrupt(std::span<const std::byte>(good.data(), size),
                           "truncated to " + std::to_string(size));
  }
  std::vector<std::byte> longer = good;
  longer.push_back(std::byte{0});
  expect_journal_corrupt(longer, "one byte more");
  longer.resize(good.size() + kJournalEntryBytes);
  expect_journal_corrupt(longer, "one zero entry more");
  reseal(&longer);
  expect_journal_corrupt(longer, "one zero entry more, resealed");
}

TEST(JournalFormat, WrongMagicOrVersionIsRejected) {
  for (uint16_t version : {uint16_t{0}, uint16_t{kJournalVersion + 1}, uint16_t{0xFFFF}}) {
    std::vector<std::byte> bad = sample_record();
    put(&bad, offsetof(JournalHeader, version), version);
    reseal(&bad);
    expect_journal_corrupt(bad, "version " + std::to_string(version));
  }
  std::vector<std::byte> bad = sample_record();
  put(&bad, offsetof(JournalHeader, magic), uint32_t{0x324A504D});  // "MPJ2"
  reseal(&bad);
  expect_journal_corrupt(bad, "magic");
}

TEST(JournalFormat, WrongSizesInTheHeaderAreRejected) {
  std::vector<std::byte> bad = sample_record();
  put(&bad, offsetof(JournalHeader, header_bytes), uint16_t{64});
  reseal(&bad);
  expect_journal_corrupt(bad, "header_bytes");

  bad = sample_record();
  put(&bad, offsetof(JournalHeader, entry_bytes), uint32_t{64});
  reseal(&bad);
  expect_journal_corrupt(bad, "entry_bytes");

  for (uint32_t count : {0u, 3u, 5u, 0xFFFFFFFFu}) {
    bad = sample_record();
    put(&bad, offsetof(JournalHeader, entry_count), count);
    reseal(&bad);
    expect_journal_corrupt(bad, "entry_count " + std::to_string(count));
  }
}

TEST(JournalFormat, ReservedHeaderBytesSetAreRejectedEvenWithAValidChecksum) {
  for (size_t i = 0; i < sizeof(JournalHeader::reserved); ++i) {
    std::vector<std::byte> bad = sample_record();
    bad[offsetof(JournalHeader, reserved) + i] = std::byte{1};
    reseal(&bad);
    expect_journal_corrupt(bad, "header reserved byte " + std::to_string(i));
  }
}

TEST(JournalFormat, ReservedEntryBytesSetAreRejectedEvenWithAValidChecksum) {
  for (size_t entry = 0; entry < 4; ++entry) {
    for (size_t i = 0; i < sizeof(JournalEntry::reserved); ++i) {
      JournalBatchBuffer buffer;
      fill_sample(&buffer);
      buffer.entry(entry).reserved[i] = 0x20;
      std::span<const std::byte> record = buffer.seal(9, 1000);
      Result<DecodedBatch> batch = decode_batch(record);
      EXPECT_FALSE(batch.ok()) << "entry " << entry << " reserved byte " << i;
      if (!batch.ok()) {
        EXPECT_EQ(batch.error().code, "journal_corrupt");
      }
    }
  }
}

TEST(JournalFormat, UnknownEntryTypeIsRejectedEvenWithAValidChecksum) {
  for (uint8_t type : {uint8_t{0}, uint8_t{6}, uint8_t{255}}) {
    JournalBatchBuffer buffer;
    fill_sample(&buffer);
    buffer.entry(2).type = static_cast<EntryType>(type);
    Result<DecodedBatch> batch = decode_batch(buffer.seal(9, 1000));
    EXPECT_FALSE(batch.ok()) << "type " << int{type};
    if (!batch.ok()) {
      EXPECT_EQ(batch.error().code, "journal_corrupt");
    }
  }
}

TEST(JournalFormat, PayloadEntriesCarryTheirBytesThroughSealAndDecode) {
  EXPECT_EQ(app_payload_entries(0), 0u);
  EXPECT_EQ(app_payload_entries(1), 1u);
  EXPECT_EQ(app_payload_entries(kAppPayloadChunkBytes), 1u);
  EXPECT_EQ(app_payload_entries(kAppPayloadChunkBytes + 1), 2u);
  std::string full(kAppPayloadChunkBytes, '\xAB');
  std::string short_one = "terms";
  JournalBatchBuffer buffer;
  buffer.append() = make_payload_entry(full);
  buffer.append() = make_payload_entry(short_one);
  buffer.entry(0).timestamp = 1;
  buffer.entry(1).timestamp = 2;
  Result<DecodedBatch> batch = decode_batch(buffer.seal(3, 1000));
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  ASSERT_EQ(batch->entries.size(), 2u);
  std::span<const char> first = payload_chunk(batch->entries[0]);
  std::span<const char> second = payload_chunk(batch->entries[1]);
  EXPECT_EQ(std::string(first.begin(), first.end()), full);
  EXPECT_EQ(std::string(second.begin(), second.end()), short_one);
}

TEST(JournalFormat, PayloadEntriesOfABadLengthOrWithBytesPastTheirChunkAreRejected) {
  for (uint32_t length : {0u, static_cast<uint32_t>(kAppPayloadChunkBytes + 1), 0xFFFFFFFFu}) {
    JournalBatchBuffer buffer;
    buffer.append() = make_payload_entry(std::string("abc"));
    buffer.entry(0).timeout_s = length;
    Result<DecodedBatch> batch = decode_batch(buffer.seal(1, 1000));
    ASSERT_FALSE(batch.ok()) << "length " << length;
    EXPECT_EQ(batch.error().code, "journal_corrupt");
  }
  // A byte after the chunk (in the chunk's own area, then in the fields behind it).
  for (size_t offset : {size_t{16 + 3}, size_t{16 + kAppPayloadChunkBytes}, size_t{127}}) {
    JournalBatchBuffer buffer;
    buffer.append() = make_payload_entry(std::string("abc"));
    reinterpret_cast<uint8_t*>(&buffer.entry(0))[offset] = 1;
    Result<DecodedBatch> batch = decode_batch(buffer.seal(1, 1000));
    ASSERT_FALSE(batch.ok()) << "byte " << offset;
    EXPECT_EQ(batch.error().code, "journal_corrupt");
  }
}

// ---------------------------------------------------------------------------------------------
// Snapshots

constexpr size_t kSnapshotHeaderBytes = 64;
constexpr size_t kSnapshotAccountBytes = 88;
constexpr size_t kSnapshotPendingBytes = 64;
// Where the meaningful bytes of each part end; the rest of the part is zero padding.
constexpr size_t kSnapshotHeaderUsed = 48;
constexpr size_t kSnapshotAccountUsed = 72;
constexpr size_t kSnapshotPendingUsed = 50;

LedgerImage sample_image() {
  LedgerImage image;
  image.seq = 4242;
  image.last_timestamp = 1'700'000'000'123'456'789;
  for (uint64_t i = 1; i <= 3; ++i) {
    AccountState a;
    a.account.id = AccountId(Id128{i << 40, ~i});
    a.account.user_data = 1000 + i;
    a.account.currency = i == 2 ? kUsd : kCny;
    a.account.kind = static_cast<AccountKind>(i);
    a.account.flags = static_cast<uint16_t>(i - 1);
    a.account.code = static_cast<uint16_t>(60000 + i);
    a.timestamp = 1'700'000'000'000'000'000 + static_cast<int64_t>(i);
    a.balances = AccountBalances{static_cast<int64_t>(i), std::numeric_limits<int64_t>::max(),
                                 static_cast<int64_t>(3 * i), 0};
    image.accounts.push_back(a);
  }
  PendingState p;
  p.debit_index = 0;
  p.credit_index = 2;
  p.amount = 77;
  p.timestamp = 1'700'000'000'000'000'005;
  p.expires_at = 1'700'000'060'000'000'005;
  p.currency = kCny;
  image.pending.emplace_back(TransferId(raw_id(5)), p);
  p.debit_index = 2;
  p.credit_index = 0;
  p.amount = 1;
  p.expires_at = 0;
  image.pending.emplace_back(TransferId(Id128{9, 9}), p);
  return image;
}

void expect_snapshot_corrupt(std::span<const std::byte> bytes, const std::string& what) {
  Result<LedgerImage> image = decode_snapshot(bytes);
  EXPECT_FALSE(image.ok()) << what;
  if (!image.ok()) {
    EXPECT_EQ(image.error().code, "snapshot_corrupt") << what;
  }
}

TEST(SnapshotFormat, EncodeThenDecodeGivesBackTheImage) {
  const LedgerImage image = sample_image();
  std::vector<std::byte> bytes = encode_snapshot(image);
  EXPECT_EQ(bytes.size(),
            kSnapshotHeaderBytes + 3 * kSnapshotAccountBytes + 2 * kSnapshotPendingBytes);
  EXPECT_EQ(std::memcmp(bytes.data(), "MPS1", 4), 0);
  Result<LedgerImage> decoded = decode_snapshot(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(images_equal(*decoded, image));
  EXPECT_EQ(encode_snapshot(*decoded), bytes);
}

TEST(SnapshotFormat, EmptyImageRoundTrips) {
  std::vector<std::byte> bytes = encode_snapshot(LedgerImage{});
  EXPECT_EQ(bytes.size(), kSnapshotHeaderBytes);
  Result<LedgerImage> decoded = decode_snapshot(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(images_equal(*decoded, LedgerImage{}));
}

TEST(SnapshotFormat, EveryFlippedByteIsDetected) {
  const std::vector<std::byte> good = encode_snapshot(sample_image());
  for (size_t at = 0; at < good.size(); ++at) {
    for (uint8_t mask : {0x01, 0x80, 0xFF}) {
      std::vector<std::byte> bad = good;
      bad[at] ^= std::byte{mask};
      expect_snapshot_corrupt(bad, "byte " + std::to_string(at) + " ^ " + std::to_string(mask));
    }
  }
}

TEST(SnapshotFormat, TruncatedOrExtendedSnapshotIsRejected) {
  const std::vector<std::byte> good = encode_snapshot(sample_image());
  for (size_t size = 0; size < good.size(); ++size) {
    expect_snapshot_corrupt(std::span<const std::byte>(good.data(), size),
                            "truncated to " + std::to_string(size));
  }
  std::vector<std::byte> longer = good;
  longer.push_back(std::byte{0});
  expect_snapshot_corrupt(longer, "one byte more");
  reseal(&longer);
  expect_snapshot_corrupt(longer, "one byte more, resealed");
  longer.resize(good.size() + kSnapshotPendingBytes);
  reseal(&longer);
  expect_snapshot_corrupt(longer, "one zero pending record more, resealed");
}

TEST(SnapshotFormat, WrongMagicOrVersionIsRejected) {
  for (uint16_t version : {uint16_t{0}, uint16_t{2}, uint16_t{0xFFFF}}) {
    std::vector<std::byte> bad = encode_snapshot(sample_image());
    put(&bad, 4, version);
    reseal(&bad);
    expect_snapshot_corrupt(bad, "version " + std::to_string(version));
  }
  std::vector<std::byte> bad = encode_snapshot(sample_image());
  put(&bad, 0, uint32_t{0x324A504D});
  reseal(&bad);
  expect_snapshot_corrupt(bad, "magic");
}

TEST(SnapshotFormat, ReservedBytesSetAreRejectedEvenWithAValidChecksum) {
  const std::vector<std::byte> good = encode_snapshot(sample_image());
  std::vector<size_t> reserved = {6, 7};  // the u16 after the version
  for (size_t i = kSnapshotHeaderUsed; i < kSnapshotHeaderBytes; ++i) reserved.push_back(i);
  for (size_t a = 0; a < 3; ++a) {
    size_t start = kSnapshotHeaderBytes + a * kSnapshotAccountBytes;
    for (size_t i = kSnapshotAccountUsed; i < kSnapshotAccountBytes; ++i)
      reserved.push_back(start + i);
  }
  for (size_t p = 0; p < 2; ++p) {
    size_t start = kSnapshotHeaderBytes + 3 * kSnapshotAccountBytes + p * kSnapshotPendingBytes;
    for (size_t i = kSnapshotPendingUsed; i < kSnapshotPendingBytes; ++i)
      reserved.push_back(start + i);
  }
  for (size_t at : reserved) {
    ASSERT_EQ(good[at], std::byte{0}) << "byte " << at << " is not padding";
    std::vector<std::byte> bad = good;
    bad[at] = std::byte{1};
    reseal(&bad);
    expect_snapshot_corrupt(bad, "reserved byte " + std::to_string(at));
  }
}

TEST(SnapshotFormat, CountsThatDisagreeWithTheSizeAreRejected) {
  constexpr size_t kAccountCountOffset = 32;
  constexpr size_t kPendingCountOffset = 40;
  for (uint64_t accounts :
       {uint64_t{0}, uint64_t{2}, uint64_t{4}, ~uint64_t{0}, uint64_t{1} << 61}) {
    std::vector<std::byte> bad = encode_snapshot(sample_image());
    put(&bad, kAccountCountOffset, accounts);
    reseal(&bad);
    expect_snapshot_corrupt(bad, "account_count " + std::to_string(accounts));
  }
  for (uint64_t pending : {uint64_t{0}, uint64_t{3}, ~uint64_t{0}}) {
    std::vector<std::byte> bad = encode_snapshot(sample_image());
    put(&bad, kPendingCountOffset, pending);
    reseal(&bad);
    expect_snapshot_corrupt(bad, "pending_count " + std::to_string(pending));
  }
}

TEST(SnapshotFormat, PendingTransferNamingAnAccountOutOfRangeIsRejected) {
  const size_t pending_start = kSnapshotHeaderBytes + 3 * kSnapshotAccountBytes;
  for (size_t offset : {size_t{16}, size_t{20}}) {  // debit_index, credit_index
    std::vector<std::byte> bad = encode_snapshot(sample_image());
    put(&bad, pending_start + kSnapshotPendingBytes + offset, uint32_t{3});
    reseal(&bad);
    expect_snapshot_corrupt(bad, "index at " + std::to_string(offset));
  }
}

}  // namespace
}  // namespace mpay::ledger

namespace mpay::ledger {
namespace {

TEST(SnapshotFormat, AnAccountListedTwiceIsRejectedNotAborted) {
  LedgerImage image;
  image.seq = 3;
  AccountState account;
  account.account.id = AccountId(Id128{7, 7});
  account.account.currency = 156;
  image.accounts = {account, account};
  Result<LedgerImage> decoded = decode_snapshot(encode_snapshot(image));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "snapshot_corrupt");
}

}  // namespace
}  // namespace mpay::ledger
