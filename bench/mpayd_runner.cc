#include "mpayd_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <thread>

#include "bench_support.h"

namespace mpay::bench {
namespace {

constexpr auto kHealthPollInterval = std::chrono::milliseconds(50);
constexpr auto kHealthRequestTimeout = std::chrono::milliseconds(1000);
constexpr auto kStopDeadline = std::chrono::seconds(20);

// A port nobody listens on right now: bind port 0, read it, release it. Another process could take
// it before mpayd does; start-up then fails with a clear message rather than measuring the wrong
// server.
Result<uint16_t> free_loopback_port() {
  try {
    boost::asio::io_context context;
    boost::asio::ip::tcp::acceptor acceptor(
        context, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
  } catch (const std::exception& e) {
    return Error("no_port", std::string("cannot bind a loopback port: ") + e.what());
  }
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

Result<pid_t> spawn(const std::vector<std::string>& arguments, const std::string& log_path) {
  int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log < 0) return Error("log_unwritable", "cannot create " + log_path);
  std::vector<std::string> copies = arguments;
  std::vector<char*> argv;
  for (std::string& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    ::close(log);
    return Error("fork_failed", "fork failed");
  }
  if (pid == 0) {
    int null_input = ::open("/dev/null", O_RDONLY);
    if (null_input >= 0) dup2(null_input, STDIN_FILENO);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(log);
  return pid;
}

}  // namespace

std::string file_tail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::deque<std::string> last;
  std::string line;
  while (std::getline(in, line)) {
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  std::string text;
  for (const std::string& l : last) text += "    " + l + "\n";
  return text;
}

Result<std::unique_ptr<MpaydRunner>> MpaydRunner::start(const MpaydLaunch& launch) {
  if (access(launch.binary.c_str(), X_OK) != 0) {
    return Error("no_mpayd", "mpayd not found or not executable at '" + launch.binary +
                                 "' (build it, or pass --mpayd PATH or --url)");
  }
  std::error_code ec;
  std::filesystem::create_directories(launch.data_directory, ec);
  if (ec) return Error("no_data_directory", "cannot create " + launch.data_directory + ": " + ec.message());

  bool with_optional = !launch.optional_arguments.empty();
  for (;;) {
    Result<uint16_t> port = free_loopback_port();
    if (!port.ok()) return port.error();
    std::unique_ptr<MpaydRunner> runner(new MpaydRunner());
    runner->endpoint_ = {"127.0.0.1", *port};
    runner->log_path_ = launch.log_path;
    runner->optional_accepted_ = with_optional;
    std::vector<std::string> arguments = {launch.binary, "--data", launch.data_directory, "--listen",
                                          "127.0.0.1:" + std::to_string(*port), "--log-level", "warn"};
    arguments.insert(arguments.end(), launch.arguments.begin(), launch.arguments.end());
    if (with_optional) {
      arguments.insert(arguments.end(), launch.optional_arguments.begin(), launch.optional_arguments.end());
    }
    Result<pid_t> pid = spawn(arguments, launch.log_path);
    if (!pid.ok()) return pid.error();
    runner->pid_ = *pid;

    SteadyClock::time_point deadline = SteadyClock::now() + launch.startup_deadline;
    BlockingHttpClient health(runner->endpoint_, kHealthRequestTimeout);
    std::string last_problem = "no answer yet";
    for (;;) {
      int status = 0;
      if (waitpid(runner->pid_, &status, WNOHANG) == runner->pid_) {
        runner->pid_ = -1;
        int code = exit_code_of(status);
        std::string log = file_tail(launch.log_path, 20);
        if (with_optional && log.find(launch.optional_arguments.front()) != std::string::npos) {
          std::printf("  note: mpayd does not accept %s; starting it without\n",
                      launch.optional_arguments.front().c_str());
          with_optional = false;
          break;  // start again without the optional arguments
        }
        return Error("mpayd_exited", "mpayd exited during start-up with status " + std::to_string(code) +
                                         " (" + launch.binary + "); its output:\n" + log);
      }
      HttpReply reply = health.request("GET", "/healthz");
      if (reply.transport_error.empty() && reply.status == 200) return runner;
      last_problem = reply.transport_error.empty() ? "status " + std::to_string(reply.status)
                                                   : reply.transport_error;
      if (SteadyClock::now() >= deadline) {
        runner->stop();
        return Error("mpayd_unhealthy", "mpayd at " + runner->endpoint_.text() + " not healthy within " +
                                            std::to_string(launch.startup_deadline.count()) +
                                            " ms (GET /healthz: " + last_problem + "); its output:\n" +
                                            file_tail(launch.log_path, 20));
      }
      std::this_thread::sleep_for(kHealthPollInterval);
    }
  }
}

MpaydRunner::~MpaydRunner() { stop(); }

int MpaydRunner::stop() {
  if (pid_ <= 0) return exit_code_;
  ::kill(pid_, SIGTERM);
  SteadyClock::time_point deadline = SteadyClock::now() + kStopDeadline;
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_ || done < 0) break;
    if (SteadyClock::now() >= deadline) {
      std::printf("  note: mpayd did not stop within %lld s of SIGTERM; killing it\n",
                  static_cast<long long>(kStopDeadline.count()));
      ::kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  exit_code_ = exit_code_of(status);
  return exit_code_;
}

std::string MpaydRunner::log_tail(size_t lines) const { return file_tail(log_path_, lines); }

}  // namespace mpay::bench
