#include "store/sqlite/group_commit_writer.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "core/thread_priority.h"

namespace mpay::store::sqlite {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<SqliteDatabase> db, Options options)
    : db_(std::move(db)), options_(options) {
  thread_ = std::thread([this] {
    // At most 15 characters: a longer name is refused (ERANGE) and the thread stays "mpayd" in
    // perf and top, as this one did when it was "store-group-commit".
    pthread_setname_np(pthread_self(), options_.thread_name.substr(0, 15).c_str());
    if (options_.thread_nice != 0 && !set_current_thread_nice(options_.thread_nice)) {
      spdlog::warn("{}: could not lower the writer thread's priority to nice {}", db_->path(),
                   options_.thread_nice);
    }
    run();
  });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  thread_.join();
}

Status GroupCommitWriter::execute(Work work) { return enqueue_and_wait(std::move(work), false); }

Status GroupCommitWriter::execute_durable(Work work) { return enqueue_and_wait(std::move(work), true); }

Status GroupCommitWriter::enqueue_and_wait(Work work, bool durable) {
  auto unit = std::make_shared<Unit>();
  unit->work = std::move(work);
  unit->durable = durable;
  std::unique_lock lock(mutex_);
  if (stopping_) return Error("store_busy", "the store is shutting down");
  if (queue_.size() >= options_.queue_max) return Error("store_busy", "too many writes waiting");
  queue_.push_back(unit);
  // While the writer gathers, only a full group needs it early: a wake-up per unit would cost a
  // context switch each and change nothing.
  if (waits_for_work_ || queue_.size() >= options_.units_per_commit_max) work_cv_.notify_one();
  done_cv_.wait(lock, [&] { return unit->done; });
  return unit->status;
}

void GroupCommitWriter::run() {
  std::vector<std::shared_ptr<Unit>> group;
  while (true) {
    group.clear();
    {
      std::unique_lock lock(mutex_);
      waits_for_work_ = true;
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      waits_for_work_ = false;
      if (queue_.empty()) return;  // stopping, and everything queued is done
      if (options_.gather_ns > 0) {
        work_cv_.wait_for(lock, std::chrono::nanoseconds(options_.gather_ns), [this] {
          return stopping_ || queue_.size() >= options_.units_per_commit_max;
        });
      }
      while (!queue_.empty() && group.size() < options_.units_per_commit_max) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    // SQLite refuses to change the sync level inside a transaction: it is raised for the whole
    // group when a unit in it must survive a power loss.
    bool raise_sync = options_.synchronous_normal &&
                      std::any_of(group.begin(), group.end(), [](const auto& unit) { return unit->durable; });
    Status begun = raise_sync ? db_->exec("PRAGMA synchronous=FULL") : ok_status();
    if (begun.ok()) begun = db_->begin();
    if (begun.ok()) {
      for (const std::shared_ptr<Unit>& unit : group) {
        Status savepoint = db_->exec("SAVEPOINT unit");
        if (!savepoint.ok()) {
          unit->status = savepoint;
          continue;
        }
        unit->status = unit->work(*db_);
        if (unit->status.ok()) {
          unit->status = db_->exec("RELEASE unit");
        } else {
          (void)db_->exec("ROLLBACK TO unit");
          (void)db_->exec("RELEASE unit");
        }
      }
      Status committed = db_->commit();
      if (!committed.ok()) {
        (void)db_->rollback();
        for (const std::shared_ptr<Unit>& unit : group) {
          if (unit->status.ok()) unit->status = committed;
        }
      }
    } else {
      for (const std::shared_ptr<Unit>& unit : group) unit->status = begun;
    }
    // If lowering it fails the connection stays at FULL: slower, never less durable.
    if (raise_sync) (void)db_->exec("PRAGMA synchronous=NORMAL");
    {
      std::lock_guard lock(mutex_);
      for (const std::shared_ptr<Unit>& unit : group) unit->done = true;
      commits_ += 1;
      units_ += group.size();
    }
    done_cv_.notify_all();
  }
}

uint64_t GroupCommitWriter::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

uint64_t GroupCommitWriter::units() const {
  std::lock_guard lock(mutex_);
  return units_;
}

}  // namespace mpay::store::sqlite
