// Gathers a thread's hand-offs to other threads over a stretch of work and makes each once at its
// end. The ledger's completer runs each round of completions (the submissions of one or more
// durable commit groups) inside a DeferredHandOffs scope: each completion answers an HTTP request
// (a post to the I/O thread: a lock, and a wake-up of that thread's epoll) or queues an SMS (a
// write to the outbox); done one by one, that was two or three system calls per request on the
// path every payment waits on, and the I/O thread woke once per answer.
// Inside the scope a component keeps its work in its own pending state and registers one flush;
// the scope runs every registered flush once, in the order registered, when it ends.
//
// Components decide per call: defer() returns false when no scope is open on the calling thread,
// and the caller then hands off at once, as before. Scopes do not nest: an inner one is inert.
// Flushes must not throw. One thread per scope; the flushes run on that thread.
#pragma once

#include <functional>
#include <vector>

namespace mpay {

class DeferredHandOffs {
 public:
  DeferredHandOffs();
  ~DeferredHandOffs();  // runs the registered flushes
  DeferredHandOffs(const DeferredHandOffs&) = delete;
  DeferredHandOffs& operator=(const DeferredHandOffs&) = delete;

  // With a scope open on this thread: registers `flush` under `key` unless one is registered
  // under that key already, and returns true (the caller keeps its work for the flush).
  // Without one: returns false and registers nothing.
  static bool defer(const void* key, const std::function<void()>& flush);

 private:
  struct Flush {
    const void* key;
    std::function<void()> run;
  };
  bool active_ = false;  // false for an inner, inert scope
  std::vector<Flush> flushes_;
};

}  // namespace mpay
