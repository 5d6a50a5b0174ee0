// One thread that runs short jobs handed over by callbacks that must not block (a bank's answer,
// a ledger completion) and that need blocking work done (a durable store update). Jobs run in
// order. Bounded: post() refuses when jobs_max are waiting, so a flood cannot eat the memory.
// The destructor runs what is queued, then joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace mpay::wallet {

class BackgroundWorker {
 public:
  explicit BackgroundWorker(size_t jobs_max = 100'000);
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  // False when the queue is full or the worker is stopping; the job is then not run.
  bool post(std::function<void()> job);
  // Blocks until every job posted before the call has run (tests, shutdown ordering).
  void drain();

 private:
  void run();

  const size_t jobs_max_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> jobs_;
  bool running_job_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mpay::wallet
