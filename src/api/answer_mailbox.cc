#include "api/answer_mailbox_internal.h"

#include <spdlog/spdlog.h>

#include "api/http_connection_internal.h"
#include "core/deferred_hand_offs.h"

namespace mpay::api {

bool AnswerMailbox::add(std::shared_ptr<HttpConnection> connection, uint64_t request_sequence,
                        HttpResponse response) {
  {
    std::lock_guard lock(mutex_);
    answers_.push_back(Answer{std::move(connection), request_sequence, std::move(response)});
  }
  if (DeferredHandOffs::defer(this, [this] { post_delivery(); })) return true;
  return post_delivery();
}

bool AnswerMailbox::post_delivery() {
  {
    std::lock_guard lock(mutex_);
    if (delivery_posted_ || answers_.empty()) return true;
    delivery_posted_ = true;
  }
  if (post_([this] { deliver(); })) return true;
  // Stopped: no worker will run a delivery again. Dropping the answers also lets their
  // connections (which hold the server's context, which holds this mailbox) go.
  std::vector<Answer> dropped;
  {
    std::lock_guard lock(mutex_);
    dropped.swap(answers_);
    delivery_posted_ = false;
  }
  spdlog::warn("http: {} responses dropped: the server has stopped", dropped.size());
  return false;
}

void AnswerMailbox::deliver() {
  std::vector<Answer> answers;
  {
    std::lock_guard lock(mutex_);
    answers.swap(answers_);
    delivery_posted_ = false;
  }
  for (Answer& answer : answers) {
    answer.connection->deliver_response(answer.request_sequence, std::move(answer.response));
  }
}

}  // namespace mpay::api
