// Writes the binary seed corpora of the disk-format fuzz targets: real journal records and
// snapshots produced by the state machine and the writers the ledger itself uses.
//
//   cmake --build build --target fuzz_seed_corpus_writer && ./build/fuzz_seed_corpus_writer fuzz/corpus
//
// The output is committed (fuzz/corpus/journal/, fuzz/corpus/snapshot/); run this again only when
// a format changes. Deterministic: fixed ids and timestamps, so the files are the same every time.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "core/check.h"
#include "ledger/journal_format.h"
#include "ledger/snapshot_format.h"
#include "ledger/state_machine.h"
#include "ledger/types.h"

namespace {

namespace ledger = mpay::ledger;

constexpr uint16_t kCny = 156;
constexpr uint16_t kUsd = 840;
constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStartNs = 1'717'171'717'000'000'000;  // June 2024

mpay::Id128 id_of(uint64_t n) { return mpay::Id128{0x0190f4c27a3e7c41ULL, n}; }

ledger::Account account(uint64_t n, uint16_t currency, uint16_t flags, ledger::AccountKind kind) {
  ledger::Account a;
  a.id = mpay::AccountId(id_of(n));
  a.currency = currency;
  a.flags = flags;
  a.kind = kind;
  a.code = 100;
  return a;
}

ledger::Transfer transfer(uint64_t n, uint64_t debit, uint64_t credit, int64_t amount,
                          uint16_t flags = 0) {
  ledger::Transfer t;
  t.id = mpay::TransferId(id_of(1000 + n));
  t.debit_account_id = mpay::AccountId(id_of(debit));
  t.credit_account_id = mpay::AccountId(id_of(credit));
  t.amount = amount;
  t.currency = kCny;
  t.flags = flags;
  t.code = 1;
  t.user_data = n;
  return t;
}

ledger::Transfer second_phase(uint64_t n, uint64_t pending, uint16_t flag, int64_t amount) {
  ledger::Transfer t;
  t.id = mpay::TransferId(id_of(1000 + n));
  t.pending_id = mpay::TransferId(id_of(1000 + pending));
  t.amount = amount;
  t.flags = flag;
  return t;
}

void write(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  MPAY_CHECK(out.good(), "cannot write a corpus file");
  std::printf("%s: %zu bytes\n", path.c_str(), bytes.size());
}

std::vector<std::byte> copy(std::span<const std::byte> bytes) { return {bytes.begin(), bytes.end()}; }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_ROOT (fuzz/corpus)\n", argv[0]);
    return 2;
  }
  std::filesystem::path root = argv[1];
  std::filesystem::create_directories(root / "journal");
  std::filesystem::create_directories(root / "snapshot");

  ledger::StateMachineOptions options;
  options.id_window_transfers = 1024;
  options.id_filter_capacity = 1024;
  ledger::StateMachine machine(options, nullptr);
  ledger::JournalBatchBuffer buffer;

  // Snapshot of the empty ledger.
  write(root / "snapshot" / "empty.bin", ledger::encode_snapshot(machine.image()));

  // Batch 1: accounts (one rejected: it repeats an id with other fields).
  MPAY_CHECK(machine.begin_batch(1, kStartNs, 0, &buffer).ok(), "begin_batch");
  std::vector<ledger::Account> accounts = {
      account(1, kCny, ledger::account_flags::debits_must_not_exceed_credits,
              ledger::AccountKind::user_wallet),
      account(2, kCny, ledger::account_flags::debits_must_not_exceed_credits,
              ledger::AccountKind::merchant),
      account(3, kCny, 0, ledger::AccountKind::system),
      account(4, kUsd, ledger::account_flags::credits_must_not_exceed_debits,
              ledger::AccountKind::bank_clearing),
      account(1, kUsd, 0, ledger::AccountKind::user_wallet),
  };
  machine.create_accounts(accounts, &buffer);
  write(root / "journal" / "accounts.bin", buffer.seal(1, kStartNs));
  buffer.clear();

  // Batch 2: funding, a payment, a rejected overdraft, a linked chain, a pending transfer that
  // expires, one that is posted in part and one that is voided.
  MPAY_CHECK(machine.begin_batch(2, kStartNs + kSecond, 0, &buffer).ok(), "begin_batch");
  std::vector<ledger::Transfer> transfers = {
      transfer(1, 3, 1, 100000),
      transfer(2, 1, 2, 2550),
      transfer(3, 1, 2, 99999999),
      transfer(4, 1, 2, 100, ledger::transfer_flags::linked),
      transfer(5, 2, 1, 50),
      transfer(6, 1, 2, 700, ledger::transfer_flags::pending),
      transfer(7, 1, 2, 800, ledger::transfer_flags::pending),
      transfer(8, 1, 2, 900, ledger::transfer_flags::pending),
  };
  transfers[7].timeout_s = 1;
  MPAY_CHECK(machine.create_transfers(transfers, &buffer).ok(), "create_transfers");
  std::vector<std::byte> transfers_record = copy(buffer.seal(2, kStartNs + kSecond));
  write(root / "journal" / "transfers.bin", transfers_record);
  buffer.clear();

  // Batch 3, two seconds later: the expiry of transfer 8, a partial post and a void.
  MPAY_CHECK(machine.begin_batch(3, kStartNs + 3 * kSecond, 0, &buffer).ok(), "begin_batch");
  std::vector<ledger::Transfer> resolutions = {
      second_phase(9, 6, ledger::transfer_flags::post_pending_transfer, 500),
      second_phase(10, 7, ledger::transfer_flags::void_pending_transfer, 0),
      second_phase(11, 8, ledger::transfer_flags::post_pending_transfer, 0),
  };
  MPAY_CHECK(machine.create_transfers(resolutions, &buffer).ok(), "create_transfers");
  write(root / "journal" / "expiry_post_void.bin", buffer.seal(3, kStartNs + 3 * kSecond));
  buffer.clear();

  // An empty batch: a header only.
  MPAY_CHECK(machine.begin_batch(4, kStartNs + 4 * kSecond, 0, &buffer).ok(), "begin_batch");
  MPAY_CHECK(buffer.size() == 0, "batch 4 expired something");
  write(root / "journal" / "empty_batch.bin", buffer.seal(4, kStartNs + 4 * kSecond));

  // Damage the checksum catches: one flipped bit in an entry, and a record cut short.
  std::vector<std::byte> flipped = transfers_record;
  flipped[ledger::kJournalEntryBytes + 80] ^= std::byte{0x01};
  write(root / "journal" / "bad_checksum.bin", flipped);
  std::vector<std::byte> cut(transfers_record.begin(),
                             transfers_record.begin() + 2 * ledger::kJournalEntryBytes + 17);
  write(root / "journal" / "truncated.bin", cut);

  // A snapshot with accounts and one pending transfer, after a last batch that leaves one open.
  MPAY_CHECK(machine.begin_batch(5, kStartNs + 5 * kSecond, 0, &buffer).ok(), "begin_batch");
  std::vector<ledger::Transfer> open = {transfer(12, 1, 2, 1234, ledger::transfer_flags::pending)};
  open[0].timeout_s = 3600;
  MPAY_CHECK(machine.create_transfers(open, &buffer).ok(), "create_transfers");
  buffer.clear();
  write(root / "snapshot" / "accounts_and_pending.bin", ledger::encode_snapshot(machine.image()));
  return 0;
}
