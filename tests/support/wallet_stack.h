// The ledger and the wallet on their real parts (SQLite, key files, sandbox bank and KYC, SMS
// outbox) in a test's directory, built the way mpayd builds them, for tests below HTTP. The clock,
// randomness and id generator are the test's, so it can turn time. Destruction stops the wallet
// (bank answers booked), then closes the ledger.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/ids.h"
#include "core/random.h"
#include "ledger/ledger.h"
#include "server/wallet_service.h"
#include "store/sqlite/sqlite_ledger_storage.h"

namespace mpay::testing {

class WalletStack {
 public:
  // Check ok() (with ASSERT_TRUE) before using the stack.
  WalletStack(const std::string& directory, Clock& clock, RandomSource& random, UuidV7Generator& ids) {
    auto storage = store::sqlite::SqliteLedgerStorage::open({directory}, clock);
    if (!storage.ok()) {
      fail(storage.error());
      return;
    }
    storage_ = std::move(*storage);
    auto ledger = ledger::Ledger::open({}, *storage_, clock);
    if (!ledger.ok()) {
      fail(ledger.error());
      return;
    }
    ledger_ = std::move(*ledger);
    server::WalletServiceOptions options;
    options.data_directory = directory;
    options.keys_directory = directory + "/keys";
    auto wallet = server::WalletService::open(options, *ledger_, clock, random, ids);
    if (!wallet.ok()) {
      fail(wallet.error());
      return;
    }
    wallet_ = std::move(*wallet);
  }
  ~WalletStack() {
    if (wallet_) wallet_->shutdown();
    if (ledger_) ledger_->close();
  }
  WalletStack(const WalletStack&) = delete;
  WalletStack& operator=(const WalletStack&) = delete;

  bool ok() const { return wallet_ != nullptr; }
  const std::string& error() const { return error_; }
  ledger::Ledger& ledger() { return *ledger_; }
  wallet::WalletContext& wallet() { return wallet_->context(); }
  // For services built on the wallet (server::RequestService).
  server::WalletService& service() { return *wallet_; }

 private:
  void fail(const Error& error) { error_ = error.code + ": " + error.message; }

  std::string error_;
  std::unique_ptr<store::sqlite::SqliteLedgerStorage> storage_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<server::WalletService> wallet_;
};

}  // namespace mpay::testing
