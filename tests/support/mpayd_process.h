// Runs build/mpayd as a child process for end-to-end tests: on a free port (--listen
// 127.0.0.1:0, the port read from its "listening on" line), with a data directory the test owns.
// stop() sends SIGTERM and returns the exit status; kill() sends SIGKILL.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace mpay::testing {

class MpaydProcess {
 public:
  MpaydProcess(const std::string& binary, const std::string& data_directory,
               std::vector<std::string> extra_arguments = {})
      : data_(data_directory) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<std::string> arguments = {binary, "--data", data_directory, "--listen",
                                            "127.0.0.1:0", "--log-level", "warn"};
      arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
      std::vector<char*> argv;
      for (std::string& a : arguments) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = fdopen(out[0], "r");
    char line[512];
    while (fgets(line, sizeof(line), stdout_) != nullptr) {
      std::string text(line);
      size_t at = text.find("listening on http://");
      if (at == std::string::npos) continue;
      size_t colon = text.find(':', at + 20);
      port_ = static_cast<uint16_t>(std::stoi(text.substr(colon + 1)));
      break;
    }
    if (port_ == 0) {
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
      throw std::runtime_error("mpayd did not start (exit status " + std::to_string(status) + ")");
    }
  }

  ~MpaydProcess() {
    if (pid_ > 0) kill_now();
    if (stdout_) fclose(stdout_);
  }

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  std::string operator_token() const {
    std::ifstream in(data_ + "/operator-token");
    std::string token;
    std::getline(in, token);
    return token;
  }

  // SIGTERM, then wait; returns the exit code (or 128 + signal).
  int stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    return wait_exit();
  }

  void kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    wait_exit();
  }

 private:
  int wait_exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
  }

  std::string data_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  FILE* stdout_ = nullptr;
};

}  // namespace mpay::testing
