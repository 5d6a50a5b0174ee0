#include "notify/sms_sender.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

namespace mpay::notify {

Result<std::unique_ptr<OutboxSmsSender>> OutboxSmsSender::open(const std::string& path,
                                                              Clock& clock) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error("sms_unavailable", "cannot open " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<OutboxSmsSender>(new OutboxSmsSender(fd, clock));
}

OutboxSmsSender::~OutboxSmsSender() { ::close(fd_); }

Status OutboxSmsSender::send(const SmsMessage& message) {
  if (message.text.size() > kSmsTextBytesMax) {
    return Error("sms_too_long", "message text is too long");
  }
  nlohmann::json line = {{"at_ns", clock_.now_ns()},
                         {"to", message.to_e164},
                         {"purpose", message.purpose},
                         {"text", message.text}};
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  // One write() per line with O_APPEND: readers never see half a line from two writers.
  ssize_t written = ::write(fd_, text.data(), text.size());
  if (written != static_cast<ssize_t>(text.size())) {
    return Error("sms_unavailable", "cannot append to the SMS outbox");
  }
  return ok_status();
}

}  // namespace mpay::notify
