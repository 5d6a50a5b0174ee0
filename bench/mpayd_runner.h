// Starts `mpayd` as a child process for a benchmark and stops it afterwards.
//
// start() picks a free port (binds port 0 and releases it), runs
//   <binary> --data <data_directory> --listen 127.0.0.1:<port> --log-level warn <extra arguments>
// with stdout and stderr going to <log_path>, and waits until GET /healthz answers 200. It fails
// (as a value) when the binary is missing, when mpayd exits early, or when it is not healthy
// within the start-up deadline; the child is then killed. An optional argument that mpayd rejects
// as unknown is dropped and mpayd started again without it (for flags newer than the server).
// stop() sends SIGTERM and waits (SIGKILL after a deadline); the destructor does the same if
// stop() was not called. Single-threaded use.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "http_load_client.h"

namespace mpay::bench {

struct MpaydLaunch {
  std::string binary;
  std::string data_directory;
  std::string log_path;
  std::vector<std::string> arguments;           // always passed
  std::vector<std::string> optional_arguments;  // one flag and its value: dropped if unknown to mpayd
  std::chrono::milliseconds startup_deadline{30000};
};

class MpaydRunner {
 public:
  static Result<std::unique_ptr<MpaydRunner>> start(const MpaydLaunch& launch);
  ~MpaydRunner();
  MpaydRunner(const MpaydRunner&) = delete;
  MpaydRunner& operator=(const MpaydRunner&) = delete;

  const HttpEndpoint& endpoint() const { return endpoint_; }
  pid_t pid() const { return pid_; }
  // Whether the optional arguments were accepted (false if mpayd runs without them).
  bool optional_arguments_accepted() const { return optional_accepted_; }
  // SIGTERM, then wait; the exit code, or 128 + signal. Idempotent.
  int stop();
  // The last `lines` lines of the child's output, for error reports.
  std::string log_tail(size_t lines) const;

 private:
  MpaydRunner() = default;

  pid_t pid_ = -1;
  HttpEndpoint endpoint_;
  std::string log_path_;
  bool optional_accepted_ = true;
  int exit_code_ = -1;
};

// The last `lines` lines of a text file ("" if unreadable).
std::string file_tail(const std::string& path, size_t lines);

}  // namespace mpay::bench
