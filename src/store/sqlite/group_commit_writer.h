// Group commit for the ordinary tables: many callers' small writes share one SQLite transaction
// (and so one sync), the way the ledger's committer shares one sync between batches.
//
// A caller hands a unit of work (a function that runs statements on the writer's connection) and
// blocks until the transaction holding it is durable. The writer thread takes every unit waiting
// (up to units_per_commit_max), runs each inside its own SAVEPOINT — a unit that fails is rolled
// back alone and reports its own error, the others commit — then commits once and wakes every
// caller. A failed COMMIT fails every unit of that transaction (nothing of it is durable).
//
// On a connection opened with synchronous=NORMAL (a store whose contents can be rebuilt, e.g. the
// webhook outbox, whose events the ledger journal republishes), a commit survives the process
// being killed but not a power loss; execute_durable() is for the writes that must survive that
// too: the transaction that holds them runs with synchronous=FULL (set Options::synchronous_normal
// so the writer knows to raise it and lower it again).
//
// Thread-safe. Units run on the writer thread, one at a time: they must be short, must not block
// and must not call execute() themselves.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/error.h"
#include "store/sqlite/sqlite_database.h"

namespace mpay::store::sqlite {

class GroupCommitWriter {
 public:
  using Work = std::function<Status(SqliteDatabase&)>;

  struct Options {
    size_t units_per_commit_max = 4096;
    size_t queue_max = 65536;  // callers beyond this get "store_busy"
    bool synchronous_normal = false;  // the connection was opened with synchronous=NORMAL
    // Real time the writer waits, once a unit arrived, for more before it commits (0: commits at
    // once; a full group does not wait). For stores written by a few threads, whose commits are
    // not synced: there a group stays as small as the number of writers, and every commit writes
    // every page it touched, so waiting a little turns many small commits into a few large ones.
    // Each caller's write takes that much longer.
    int64_t gather_ns = 0;
    // The writer thread's name (at most 15 characters, shown by top and perf) and nice value
    // (core/thread_priority.h): a store nobody waits for can yield the CPU to the payment path.
    std::string thread_name = "store-commit";
    int thread_nice = 0;
  };

  GroupCommitWriter(std::unique_ptr<SqliteDatabase> db, Options options);
  ~GroupCommitWriter();  // finishes what is queued, then stops
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Runs `work` in the next group transaction and returns its status once that transaction is
  // durable (or failed). Errors: the work's own error, a store_error from COMMIT, store_busy.
  Status execute(Work work);
  Status execute_durable(Work work);

  uint64_t commits() const;
  uint64_t units() const;

 private:
  struct Unit {
    Work work;
    Status status;
    bool durable = false;
    bool done = false;
  };

  Status enqueue_and_wait(Work work, bool durable);

  void run();

  std::unique_ptr<SqliteDatabase> db_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<std::shared_ptr<Unit>> queue_;
  bool stopping_ = false;
  bool waits_for_work_ = false;  // idle, as opposed to gathering a group or writing one
  uint64_t commits_ = 0;
  uint64_t units_ = 0;
  std::thread thread_;
};

}  // namespace mpay::store::sqlite
