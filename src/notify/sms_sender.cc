#include "notify/sms_sender.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <spdlog/spdlog.h>

#include "core/deferred_hand_offs.h"
#include "core/json_text.h"

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

Status SmsSender::send_all(const std::vector<SmsMessage>& messages) {
  for (const SmsMessage& message : messages) {
    Status sent = send(message);
    if (!sent.ok()) return sent;
  }
  return ok_status();
}

Result<std::string> OutboxSmsSender::line_of(const SmsMessage& message) {
  if (message.text.size() > kSmsTextBytesMax) {
    return Error("sms_too_long", "message text is too long");
  }
  // Written straight to text (one line per message, on the commit path): the bytes a tree's
  // dump gave, keys in its order.
  std::string line;
  line.reserve(64 + message.to_e164.size() + message.purpose.size() + message.text.size());
  JsonObjectText object(line);
  object.integer("at_ns", clock_.now_ns())
      .string("purpose", message.purpose)
      .string("text", message.text)
      .string("to", message.to_e164);
  object.close();
  line += '\n';
  return line;
}

Status OutboxSmsSender::append(const std::string& lines) {
  std::lock_guard lock(mutex_);
  // One write() with O_APPEND: readers never see half a line from two writers.
  ssize_t written = ::write(fd_, lines.data(), lines.size());
  if (written != static_cast<ssize_t>(lines.size())) {
    return Error("sms_unavailable", "cannot append to the SMS outbox");
  }
  return ok_status();
}

Status OutboxSmsSender::append_or_defer(std::string lines) {
  if (DeferredHandOffs::defer(this, [this] { append_deferred(); })) {
    std::lock_guard lock(deferred_mutex_);
    deferred_lines_ += lines;
    return ok_status();
  }
  return append(lines);
}

void OutboxSmsSender::append_deferred() {
  std::string lines;
  {
    std::lock_guard lock(deferred_mutex_);
    lines.swap(deferred_lines_);
  }
  if (lines.empty()) return;
  Status appended = append(lines);
  if (!appended.ok()) {
    spdlog::warn("SMS outbox: {} bytes of queued messages not written: {}", lines.size(),
                 appended.error().message);
  }
}

Status OutboxSmsSender::send(const SmsMessage& message) {
  Result<std::string> line = line_of(message);
  if (!line.ok()) return line.error();
  return append_or_defer(std::move(*line));
}

Status OutboxSmsSender::send_all(const std::vector<SmsMessage>& messages) {
  std::string lines;
  for (const SmsMessage& message : messages) {
    Result<std::string> line = line_of(message);
    if (!line.ok()) return line.error();
    lines += *line;
  }
  if (lines.empty()) return ok_status();
  return append_or_defer(std::move(lines));
}

}  // namespace mpay::notify
