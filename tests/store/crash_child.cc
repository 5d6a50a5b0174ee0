// The crash test's child: runs transfers against the ledger on DIR as fast as it can and appends
// every acknowledged outcome to an acknowledgement log, until it is killed (SIGKILL, by the test).
//
// usage: ledger_crash_child DIR ROUND ACK_LOG
//
// Transfer ids encode what the checker needs without the log: high = ROUND, low = chain number
// << 16 | chain length << 8 | index in chain, so the parent can tell whether a linked chain was
// applied whole or not at all, acknowledged or not.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "crash_protocol.h"
#include "ledger/ledger.h"
#include "store/sqlite/sqlite_ledger_storage.h"
#include "support/ledger_sync.h"

namespace mpay {
namespace {

using ledger::Transfer;

class AckLog {
 public:
  explicit AckLog(const char* path) : fd_(::open(path, O_WRONLY | O_CREAT | O_APPEND, 0644)) {
    if (fd_ < 0) std::abort();
  }
  // One write() per submission: the records of a submission reach the file together.
  void append(const std::vector<crash::AckRecord>& records) {
    std::lock_guard lock(mutex_);
    const char* bytes = reinterpret_cast<const char*>(records.data());
    size_t size = records.size() * sizeof(crash::AckRecord);
    while (size > 0) {
      ssize_t n = ::write(fd_, bytes, size);
      if (n <= 0) std::abort();
      bytes += n;
      size -= static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
  std::mutex mutex_;
};

Transfer make_transfer(uint64_t round, uint64_t chain, uint64_t length, uint64_t index,
                       uint64_t debit, uint64_t credit, int64_t amount) {
  Transfer t;
  t.id = TransferId(Id128{round, crash::transfer_low(chain, length, index)});
  t.debit_account_id = crash::account_id(debit);
  t.credit_account_id = crash::account_id(credit);
  t.amount = amount;
  t.currency = crash::kCurrency;
  if (index + 1 < length) t.flags = ledger::transfer_flags::linked;
  return t;
}

int run(const std::string& directory, uint64_t round, const char* ack_path) {
  SystemClock clock;
  auto storage = store::sqlite::SqliteLedgerStorage::open({directory}, clock);
  if (!storage.ok()) return 10;
  ledger::LedgerOptions options;
  options.snapshot_interval_batches = 100;  // so that kills land before, during and after snapshots
  auto opened = ledger::Ledger::open(options, **storage, clock);
  if (!opened.ok()) {
    std::fprintf(stderr, "child: open failed: %s\n", opened.error().message.c_str());
    return 11;
  }
  ledger::Ledger& ledger = **opened;
  testing::create_accounts_sync(ledger, crash::all_accounts());
  // Each round starts by funding the wallets, so transfers between them mostly succeed.
  std::vector<Transfer> funding;
  for (uint64_t w = 1; w <= crash::kWallets; ++w) {
    funding.push_back(make_transfer(round, w, 1, 0, 0, w, 1'000'000));
  }
  testing::create_transfers_sync(ledger, funding);

  AckLog log(ack_path);
  std::atomic<uint64_t> next_chain{crash::kWallets + 1};
  auto submitter = [&](uint64_t seed) {
    std::mt19937_64 random(seed);
    std::atomic<int> in_flight{0};
    while (true) {
      while (in_flight.load() >= 4) std::this_thread::yield();
      std::vector<Transfer> transfers;
      size_t wanted = 1 + random() % 400;
      while (transfers.size() < wanted) {
        uint64_t chain = next_chain++;
        uint64_t length = random() % 5 == 0 ? 2 + random() % 3 : 1;
        for (uint64_t i = 0; i < length; ++i) {
          uint64_t debit = 1 + random() % crash::kWallets;
          uint64_t credit = 1 + random() % crash::kWallets;
          if (credit == debit) credit = debit % crash::kWallets + 1;
          transfers.push_back(make_transfer(round, chain, length, i, debit, credit,
                                            1 + static_cast<int64_t>(random() % 30000)));
        }
      }
      ++in_flight;
      auto ids = std::make_shared<std::vector<Transfer>>(transfers);
      Status submitted = ledger.submit_transfers(
          std::move(transfers), [&, ids](std::vector<ledger::EventOutcome> outcomes) {
            std::vector<crash::AckRecord> records(outcomes.size());
            for (size_t i = 0; i < outcomes.size(); ++i) {
              records[i] = crash::AckRecord{outcomes[i].id.high, outcomes[i].id.low,
                                            (*ids)[i].amount, outcomes[i].result, {}};
            }
            log.append(records);
            --in_flight;
          });
      if (!submitted.ok()) std::abort();
    }
  };
  std::thread first(submitter, round * 2);
  std::thread second(submitter, round * 2 + 1);
  first.join();  // never returns: the parent kills us
  second.join();
  return 0;
}

}  // namespace
}  // namespace mpay

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DIR ROUND ACK_LOG\n", argv[0]);
    return 2;
  }
  return mpay::run(argv[1], std::strtoull(argv[2], nullptr, 10), argv[3]);
}
