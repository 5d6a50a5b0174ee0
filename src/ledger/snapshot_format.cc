#include "ledger/snapshot_format.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace mpay::ledger {
namespace {

constexpr uint32_t kSnapshotMagic = 0x3153504D;  // "MPS1" in file order
constexpr uint16_t kSnapshotVersion = 1;
constexpr size_t kHeaderBytes = 64;
constexpr size_t kChecksumEnd = 16;  // magic, version, reserved, checksum
constexpr size_t kAccountBytes = 88;
constexpr size_t kPendingBytes = 64;

class Writer {
 public:
  explicit Writer(std::vector<std::byte>* out) : out_(out) {}
  template <typename T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    size_t at = out_->size();
    out_->resize(at + sizeof(T));
    std::memcpy(out_->data() + at, &value, sizeof(T));
  }
  void pad_to(size_t size) { out_->resize(size); }

 private:
  std::vector<std::byte>* out_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::byte> in) : in_(in) {}
  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, in_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }
  void seek(size_t at) { at_ = at; }
  size_t position() const { return at_; }

 private:
  std::span<const std::byte> in_;
  size_t at_ = 0;
};

Error corrupt(std::string message) { return Error("snapshot_corrupt", std::move(message)); }

// Padding is written as zeros; anything else means the bytes are not what encode_snapshot wrote.
bool all_zero(std::span<const std::byte> bytes, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    if (bytes[i] != std::byte{0}) return false;
  }
  return true;
}

}  // namespace

std::vector<std::byte> encode_snapshot(const LedgerImage& image) {
  std::vector<std::byte> out;
  out.reserve(kHeaderBytes + image.accounts.size() * kAccountBytes +
              image.pending.size() * kPendingBytes);
  Writer w(&out);
  w.put(kSnapshotMagic);
  w.put(kSnapshotVersion);
  w.put(uint16_t{0});
  w.put(uint64_t{0});  // checksum, filled in below
  w.put(image.seq);
  w.put(image.last_timestamp);
  w.put(uint64_t{image.accounts.size()});
  w.put(uint64_t{image.pending.size()});
  w.pad_to(kHeaderBytes);
  for (const AccountState& a : image.accounts) {
    size_t start = out.size();
    w.put(a.account.id.value());
    w.put(a.account.user_data);
    w.put(a.account.currency);
    w.put(static_cast<uint16_t>(a.account.kind));
    w.put(a.account.flags);
    w.put(a.account.code);
    w.put(a.timestamp);
    w.put(a.balances.debits_pending);
    w.put(a.balances.debits_posted);
    w.put(a.balances.credits_pending);
    w.put(a.balances.credits_posted);
    w.pad_to(start + kAccountBytes);
  }
  for (const auto& [id, p] : image.pending) {
    size_t start = out.size();
    w.put(id.value());
    w.put(p.debit_index);
    w.put(p.credit_index);
    w.put(p.amount);
    w.put(p.timestamp);
    w.put(p.expires_at);
    w.put(p.currency);
    w.pad_to(start + kPendingBytes);
  }
  uint64_t checksum = XXH3_64bits(out.data() + kChecksumEnd, out.size() - kChecksumEnd);
  std::memcpy(out.data() + 8, &checksum, sizeof(checksum));
  return out;
}

Result<LedgerImage> decode_snapshot(std::span<const std::byte> bytes) {
  if (bytes.size() < kHeaderBytes) return corrupt("snapshot shorter than its header");
  Reader r(bytes);
  if (r.get<uint32_t>() != kSnapshotMagic) return corrupt("bad magic");
  if (r.get<uint16_t>() != kSnapshotVersion) return corrupt("unsupported snapshot version");
  // Not covered by the checksum (it sits before it), so it must be checked on its own.
  if (r.get<uint16_t>() != 0) return corrupt("reserved header bytes set");
  uint64_t checksum = r.get<uint64_t>();
  if (XXH3_64bits(bytes.data() + kChecksumEnd, bytes.size() - kChecksumEnd) != checksum) {
    return corrupt("checksum mismatch");
  }
  LedgerImage image;
  image.seq = r.get<uint64_t>();
  image.last_timestamp = r.get<int64_t>();
  uint64_t account_count = r.get<uint64_t>();
  uint64_t pending_count = r.get<uint64_t>();
  if (account_count > (bytes.size() / kAccountBytes) || pending_count > (bytes.size() / kPendingBytes) ||
      bytes.size() != kHeaderBytes + account_count * kAccountBytes + pending_count * kPendingBytes) {
    return corrupt("snapshot size does not match its counts");
  }
  if (!all_zero(bytes, r.position(), kHeaderBytes)) return corrupt("reserved header bytes set");
  image.accounts.resize(account_count);
  for (uint64_t i = 0; i < account_count; ++i) {
    r.seek(kHeaderBytes + i * kAccountBytes);
    AccountState& a = image.accounts[i];
    a.account.id = AccountId(r.get<Id128>());
    a.account.user_data = r.get<uint64_t>();
    a.account.currency = r.get<uint16_t>();
    a.account.kind = static_cast<AccountKind>(r.get<uint16_t>());
    a.account.flags = r.get<uint16_t>();
    a.account.code = r.get<uint16_t>();
    a.timestamp = r.get<int64_t>();
    a.balances.debits_pending = r.get<int64_t>();
    a.balances.debits_posted = r.get<int64_t>();
    a.balances.credits_pending = r.get<int64_t>();
    a.balances.credits_posted = r.get<int64_t>();
    if (!all_zero(bytes, r.position(), kHeaderBytes + (i + 1) * kAccountBytes)) {
      return corrupt("reserved account bytes set");
    }
  }
  std::vector<Id128> ids;
  ids.reserve(image.accounts.size());
  for (const AccountState& a : image.accounts) ids.push_back(a.account.id.value());
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) {
    return corrupt("an account appears twice");
  }
  size_t pending_start = kHeaderBytes + account_count * kAccountBytes;
  image.pending.resize(pending_count);
  for (uint64_t i = 0; i < pending_count; ++i) {
    r.seek(pending_start + i * kPendingBytes);
    auto& [id, p] = image.pending[i];
    id = TransferId(r.get<Id128>());
    p.debit_index = r.get<uint32_t>();
    p.credit_index = r.get<uint32_t>();
    p.amount = r.get<int64_t>();
    p.timestamp = r.get<int64_t>();
    p.expires_at = r.get<int64_t>();
    p.currency = r.get<uint16_t>();
    if (!all_zero(bytes, r.position(), pending_start + (i + 1) * kPendingBytes)) {
      return corrupt("reserved pending transfer bytes set");
    }
    if (p.debit_index >= account_count || p.credit_index >= account_count) {
      return corrupt("pending transfer refers to an account out of range");
    }
  }
  return image;
}

}  // namespace mpay::ledger
