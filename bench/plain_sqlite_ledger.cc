#include "plain_sqlite_ledger.h"

#include <sqlite3.h>

#include <cstdio>
#include <random>

#include "bench_support.h"

namespace mpay::bench {
namespace {

void must(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "plain ledger: %s: %s\n", what, sqlite3_errmsg(db));
    std::abort();
  }
}

void exec(sqlite3* db, const char* sql) { must(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql); }

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  must(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr), db, sql);
  return statement;
}

}  // namespace

PlainRunResult run_plain_sqlite_ledger(const std::string& directory, uint32_t accounts,
                                       double seconds) {
  sqlite3* db = nullptr;
  std::string path = directory + "/plain.db";
  must(sqlite3_open(path.c_str(), &db), db, "open");
  exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  exec(db,
       "CREATE TABLE accounts (id INTEGER PRIMARY KEY, debits INTEGER NOT NULL, "
       "credits INTEGER NOT NULL);"
       "CREATE TABLE transfers (id BLOB PRIMARY KEY, debit_account_id INTEGER NOT NULL, "
       "credit_account_id INTEGER NOT NULL, amount INTEGER NOT NULL, timestamp INTEGER NOT NULL);");
  exec(db, "BEGIN");
  sqlite3_stmt* insert_account = prepare(db, "INSERT INTO accounts VALUES (?, 0, 1000000000000)");
  for (uint32_t i = 0; i < accounts; ++i) {
    sqlite3_bind_int64(insert_account, 1, i);
    must(sqlite3_step(insert_account), db, "insert account");
    sqlite3_reset(insert_account);
  }
  exec(db, "COMMIT");

  sqlite3_stmt* begin = prepare(db, "BEGIN IMMEDIATE");
  sqlite3_stmt* commit = prepare(db, "COMMIT");
  sqlite3_stmt* balance = prepare(db, "SELECT credits - debits FROM accounts WHERE id = ?");
  sqlite3_stmt* debit = prepare(db, "UPDATE accounts SET debits = debits + ? WHERE id = ?");
  sqlite3_stmt* credit = prepare(db, "UPDATE accounts SET credits = credits + ? WHERE id = ?");
  sqlite3_stmt* insert = prepare(db, "INSERT INTO transfers VALUES (?, ?, ?, ?, ?)");

  std::mt19937_64 random(42);
  LatencyRecorder latency;
  PlainRunResult result;
  auto start = SteadyClock::now();
  uint64_t id_counter = 0;
  while (since_ns(start) < static_cast<int64_t>(seconds * 1e9)) {
    auto t0 = SteadyClock::now();
    int64_t from = static_cast<int64_t>(random() % accounts);
    int64_t to = static_cast<int64_t>((from + 1 + random() % (accounts - 1)) % accounts);
    int64_t amount = 1 + static_cast<int64_t>(random() % 100);
    must(sqlite3_step(begin), db, "begin");
    sqlite3_reset(begin);
    sqlite3_bind_int64(balance, 1, from);
    must(sqlite3_step(balance), db, "balance");
    int64_t available = sqlite3_column_int64(balance, 0);
    sqlite3_reset(balance);
    sqlite3_bind_int64(balance, 1, to);
    must(sqlite3_step(balance), db, "balance");
    sqlite3_reset(balance);
    if (available >= amount) {
      sqlite3_bind_int64(debit, 1, amount);
      sqlite3_bind_int64(debit, 2, from);
      must(sqlite3_step(debit), db, "debit");
      sqlite3_reset(debit);
      sqlite3_bind_int64(credit, 1, amount);
      sqlite3_bind_int64(credit, 2, to);
      must(sqlite3_step(credit), db, "credit");
      sqlite3_reset(credit);
      // Time-ordered 16-byte ids, like the engine's: the plain store gets the same key locality.
      unsigned char id[16] = {};
      uint64_t ordered = ++id_counter;
      for (int i = 0; i < 8; ++i) id[i] = static_cast<unsigned char>(ordered >> (56 - 8 * i));
      uint64_t noise = random();
      for (int i = 0; i < 8; ++i) id[8 + i] = static_cast<unsigned char>(noise >> (8 * i));
      sqlite3_bind_blob(insert, 1, id, sizeof(id), SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert, 2, from);
      sqlite3_bind_int64(insert, 3, to);
      sqlite3_bind_int64(insert, 4, amount);
      sqlite3_bind_int64(insert, 5, static_cast<int64_t>(ordered));
      must(sqlite3_step(insert), db, "insert transfer");
      sqlite3_reset(insert);
    }
    must(sqlite3_step(commit), db, "commit");
    sqlite3_reset(commit);
    latency.record(since_ns(t0));
    ++result.transfers;
  }
  result.seconds = static_cast<double>(since_ns(start)) / 1e9;
  result.latency_p50_ns = latency.percentile_ns(0.50);
  result.latency_p99_ns = latency.percentile_ns(0.99);
  for (sqlite3_stmt* s : {begin, commit, balance, debit, credit, insert, insert_account}) {
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return result;
}

}  // namespace mpay::bench
