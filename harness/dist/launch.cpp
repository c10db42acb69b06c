#include "harness/dist/launch.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <thread>

#include "modules/error.h"

extern char** environ;

namespace espbench::dist {

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw Error(fmt::format("launch: socket(): {}", std::strerror(errno)));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof(a);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    throw Error(fmt::format("launch: cannot find a free port: {}", std::strerror(errno)));
  }
  close(fd);
  return ntohs(a.sin_port);
}

namespace {

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    if (!extra_env.count(kv.substr(0, kv.find('=')))) env.push_back(kv);
  }
  for (const auto& [k, v] : extra_env) env.push_back(k + "=" + v);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const auto& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw Error(fmt::format("launch: fork(): {}", std::strerror(errno)));
  if (pid == 0) {
    execve(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

std::vector<RankExit> launch(const std::vector<std::string>& argv, const LaunchOptions& o) {
  if (o.nproc < 1 || o.nproc > 1024)
    throw Error(fmt::format("option --nproc: must be in [1, 1024], got {}", o.nproc));
  if (argv.empty())
    throw Error("launch: no command to run after `--` (e.g. `espbench launch --nproc 2 -- train ...`)");
  const int port = o.master_port > 0 ? static_cast<int>(o.master_port) : free_port();
  std::map<pid_t, int64_t> running;
  for (int64_t r = 0; r < o.nproc; ++r) {
    running[spawn(argv, {{"RANK", std::to_string(r)},
                         {"LOCAL_RANK", std::to_string(r)},
                         {"WORLD_SIZE", std::to_string(o.nproc)},
                         {"MASTER_ADDR", o.master_addr},
                         {"MASTER_PORT", std::to_string(port)}})] = r;
  }
  using Clock = std::chrono::steady_clock;
  std::vector<RankExit> exits;
  std::optional<Clock::time_point> failed_at;
  int signals_sent = 0;
  while (!running.empty()) {
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0 && running.count(pid)) {
      exits.push_back({running[pid], exit_code(status)});
      running.erase(pid);
      if (exits.back().code != 0 && !failed_at) failed_at = Clock::now();
      continue;
    }
    if (failed_at) {
      const double waited = std::chrono::duration<double>(Clock::now() - *failed_at).count();
      if ((signals_sent == 0 && waited > o.grace_s) || (signals_sent == 1 && waited > o.grace_s + 10.0)) {
        for (const auto& [p, r] : running) kill(p, signals_sent == 0 ? SIGTERM : SIGKILL);
        ++signals_sent;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return exits;
}

}  // namespace espbench::dist
