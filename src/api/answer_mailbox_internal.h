// Internal to src/api: the answers waiting for one worker thread, handed over from other threads
// (the ledger's completions) and delivered on that worker in one posted handler.
//
// Posting each answer on its own cost the posting thread a lock and a wake-up of the worker's
// epoll (epoll_ctl, futex) per answer, and the worker a wake-up per answer. The mailbox posts one
// delivery while answers wait and adds later answers to it; inside a DeferredHandOffs scope (the
// ledger completer's round of completions) it posts once, when the scope ends. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "api/http_message.h"

namespace mpay::api {

class HttpConnection;

class AnswerMailbox {
 public:
  // Posts `deliver` to the worker's io_context; false when the server no longer posts.
  using Post = std::function<bool(std::function<void()> deliver)>;
  explicit AnswerMailbox(Post post) : post_(std::move(post)) {}

  // False when the server has stopped and the answer was dropped (never while a scope defers).
  bool add(std::shared_ptr<HttpConnection> connection, uint64_t request_sequence,
           HttpResponse response);

 private:
  struct Answer {
    std::shared_ptr<HttpConnection> connection;
    uint64_t request_sequence;
    HttpResponse response;
  };
  bool post_delivery();
  void deliver();  // on the worker

  const Post post_;
  std::mutex mutex_;
  std::vector<Answer> answers_;
  bool delivery_posted_ = false;
};

}  // namespace mpay::api
