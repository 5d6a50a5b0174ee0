// mpay: the operator's command line. Wiring only: each command calls into the libraries.
//
//   mpay journal verify [--data DIR]       check every record and replay the whole journal
//   mpay projections rebuild [--data DIR]  drop the projections and rebuild them from the journal
//   mpay keys rotate --purpose pin|pii|token [--keys DIR]
//                                           add a new current server key (mpayd stopped)
//   mpay sandbox-bank statement --day YYYY-MM-DD [--data DIR]
//                                           the sandbox bank's statement of a day, as CSV
//   mpay merchant create ... | keys create|revoke ...
//   mpay carrier-bill --carrier X --month YYYY-MM   a carrier's bill, from the running mpayd
//                                           merchants, through the running mpayd (merchant_commands.h)
//   mpay qr render ... | decode FILE.png   QR code images of a payload, offline (qr_commands.h)
//   mpay version
//
// Commands that write refuse to run while mpayd holds the data directory.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "cli/carrier_bill_command.h"
#include "cli/merchant_commands.h"
#include "cli/qr_commands.h"
#include "core/clock.h"
#include "ledger/journal_verifier.h"
#include "ledger/ledger.h"
#include "store/data_directory_lock.h"
#include "payments/bank/sandbox_bank.h"
#include "security/key_ring.h"
#include "store/sqlite/sqlite_ledger_storage.h"

namespace {

int fail(const mpay::Error& error) {
  std::fprintf(stderr, "mpay: %s: %s\n", error.code.c_str(), error.message.c_str());
  return 1;
}

int journal_verify(const std::string& data) {
  mpay::SystemClock clock;
  auto lock = mpay::store::DataDirectoryLock::acquire(data);
  if (!lock.ok()) return fail(lock.error());
  auto storage = mpay::store::sqlite::SqliteLedgerStorage::open({data, 1, true}, clock);
  if (!storage.ok()) return fail(storage.error());
  auto verified = mpay::ledger::verify_journal(**storage, [](uint64_t done, uint64_t total) {
    std::fprintf(stderr, "verified %llu of %llu batches\n", static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total));
  });
  if (!verified.ok()) return fail(verified.error());
  std::printf("journal ok: %llu batches, %llu events, %llu accounts, %llu pending transfers\n",
              static_cast<unsigned long long>(verified->batches),
              static_cast<unsigned long long>(verified->events),
              static_cast<unsigned long long>(verified->accounts),
              static_cast<unsigned long long>(verified->pending));
  if (verified->snapshot_checked_seq) {
    std::printf("snapshot at batch %llu matches the replay\n",
                static_cast<unsigned long long>(*verified->snapshot_checked_seq));
  }
  std::printf("zero-sum invariant: %s\n", verified->zero_sum_holds ? "holds" : "BROKEN");
  return verified->zero_sum_holds ? 0 : 1;
}

int projections_rebuild(const std::string& data) {
  mpay::SystemClock clock;
  auto lock = mpay::store::DataDirectoryLock::acquire(data);
  if (!lock.ok()) return fail(lock.error());
  auto storage = mpay::store::sqlite::SqliteLedgerStorage::open({data}, clock);
  if (!storage.ok()) return fail(storage.error());
  mpay::Status reset = (*storage)->projection_reset();
  if (!reset.ok()) return fail(reset.error());
  // Opening the ledger brings projections up to the journal (with progress in the log).
  auto ledger = mpay::ledger::Ledger::open({}, **storage, clock);
  if (!ledger.ok()) return fail(ledger.error());
  auto stats = (*ledger)->stats();
  (*ledger)->close();
  std::printf("projections rebuilt up to batch %llu\n",
              static_cast<unsigned long long>(stats.projected_seq));
  return 0;
}

// New hashes and ciphertexts use the new key; what older keys protected still verifies and opens
// (PINs are re-hashed under the new key at their next use). The lookup key is not rotatable here:
// phone digests would have to be recomputed for every user first.
int keys_rotate(const std::string& data, std::string keys, const std::string& purpose) {
  if (purpose != "pin" && purpose != "pii" && purpose != "token") {
    return fail(mpay::Error("purpose_invalid",
                            "rotatable keys: pin, pii, token (rotating token signs every user out)"));
  }
  auto lock = mpay::store::DataDirectoryLock::acquire(data);  // mpayd must not run meanwhile
  if (!lock.ok()) return fail(lock.error());
  if (keys.empty()) keys = data + "/keys";
  mpay::SystemRandom random;
  auto ring = mpay::security::KeyRing::open(keys, purpose, random);
  if (!ring.ok()) return fail(ring.error());
  uint32_t before = ring->current_id();
  auto rotated = ring->rotate(random);
  if (!rotated.ok()) return fail(rotated.error());
  std::printf("%s key rotated: %u -> %u (in %s)\n", purpose.c_str(), before, *rotated, keys.c_str());
  return 0;
}

// The sandbox bank (not a bank) writes the day's confirmed orders as its statement file, the way
// a bank's daily statement arrives for reconciliation.
int sandbox_bank_statement(const std::string& data, const std::string& day) {
  auto lock = mpay::store::DataDirectoryLock::acquire(data);  // mpayd holds the bank's file
  if (!lock.ok()) return fail(lock.error());
  mpay::SystemClock clock;
  mpay::SystemRandom random;
  mpay::bank::SandboxBankOptions options;
  options.statement_directory = data + "/sandbox-bank";
  auto bank = mpay::bank::SandboxBank::open(options, clock, random);
  if (!bank.ok()) return fail(bank.error());
  auto path = (*bank)->export_statement(day);
  if (!path.ok()) return fail(path.error());
  std::printf("%s\n", path->c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mpay: operator tools for the mpay payment platform"};
  app.require_subcommand(1);
  std::string data = "./data";

  CLI::App* journal = app.add_subcommand("journal", "the ledger journal");
  journal->require_subcommand(1);
  CLI::App* verify = journal->add_subcommand("verify", "check checksums and replay every batch");
  verify->add_option("--data", data, "data directory")->capture_default_str();

  CLI::App* projections = app.add_subcommand("projections", "the query projections");
  projections->require_subcommand(1);
  CLI::App* rebuild = projections->add_subcommand("rebuild", "rebuild from the journal");
  rebuild->add_option("--data", data, "data directory")->capture_default_str();

  CLI::App* keys = app.add_subcommand("keys", "the server keys kept outside the database");
  keys->require_subcommand(1);
  CLI::App* rotate = keys->add_subcommand("rotate", "add a new current key of one purpose");
  std::string keys_directory, purpose;
  rotate->add_option("--data", data, "data directory (locked while rotating)")->capture_default_str();
  rotate->add_option("--keys", keys_directory, "key directory (default DATA/keys)");
  rotate->add_option("--purpose", purpose, "pin, pii or token")->required();

  CLI::App* sandbox_bank = app.add_subcommand("sandbox-bank", "the sandbox bank (not a bank)");
  sandbox_bank->require_subcommand(1);
  CLI::App* statement = sandbox_bank->add_subcommand("statement", "write a day's statement CSV");
  std::string day;
  statement->add_option("--data", data, "data directory")->capture_default_str();
  statement->add_option("--day", day, "YYYY-MM-DD (UTC)")->required();

  std::function<int()> run_merchant_command = mpay::cli::add_merchant_commands(app);
  std::function<int()> run_carrier_bill = mpay::cli::add_carrier_bill_command(app);
  std::function<int()> run_qr_command = mpay::cli::add_qr_commands(app);
  app.add_subcommand("version", "print the version");

  CLI11_PARSE(app, argc, argv);
  spdlog::set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
  if (verify->parsed()) return journal_verify(data);
  if (rebuild->parsed()) return projections_rebuild(data);
  if (rotate->parsed()) return keys_rotate(data, keys_directory, purpose);
  if (statement->parsed()) return sandbox_bank_statement(data, day);
  if (int status = run_merchant_command(); status >= 0) return status;
  if (int status = run_carrier_bill(); status >= 0) return status;
  if (int status = run_qr_command(); status >= 0) return status;
  std::printf("mpay 0.1.0\n");
  return 0;
}
