#include "harness/dist/process_group.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "modules/error.h"

// c10d with Gloo: present in Debian's libtorch-dev (needs libgloo-dev for the headers) and in
// upstream LibTorch; CMake's Torch target defines USE_C10D_GLOO when the library has it.
#if defined(USE_C10D_GLOO) && __has_include(<torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>) && \
    __has_include(<gloo/config.h>)
#define ESPBENCH_HAVE_C10D 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#if defined(USE_C10D_NCCL)
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

namespace espbench::dist {

namespace {

std::string one_line(const std::exception& e) {
  std::string what = e.what();
  if (const auto* ce = dynamic_cast<const c10::Error*>(&e)) what = ce->what_without_backtrace();
  return what.substr(0, what.find('\n'));
}

std::string rank_list(const std::vector<int64_t>& ranks) {
  std::string out;
  for (int64_t r : ranks) out += (out.empty() ? "" : ", ") + std::to_string(r);
  return out;
}

}  // namespace

bool c10d_available() {
#ifdef ESPBENCH_HAVE_C10D
  return true;
#else
  return false;
#endif
}

struct ProcessGroup::Impl {
  DistSettings s;
  std::string backend = "none";
#ifdef ESPBENCH_HAVE_C10D
  c10::intrusive_ptr<c10d::TCPStore> store;     // rank 0: the server; used by the main thread only
  c10::intrusive_ptr<c10d::TCPStore> hb_store;  // heartbeat thread's own connection
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#if defined(USE_C10D_NCCL)
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif
  std::thread heartbeat;
  std::mutex m;
  std::condition_variable cv;
  bool stop = false;
  std::chrono::milliseconds hb_period{1000};

  std::chrono::milliseconds timeout() const {
    return std::chrono::milliseconds(static_cast<int64_t>(s.timeout_s * 1000.0));
  }
  std::string where() const { return fmt::format("{}:{}", s.master_addr, s.master_port); }

  static std::string key(const char* kind, int64_t r) { return fmt::format("espbench/{}/{}", kind, r); }

  c10::intrusive_ptr<c10d::TCPStore> open_store(bool server) {
    c10d::TCPStoreOptions o;
    o.port = static_cast<uint16_t>(s.master_port);
    o.isServer = server;
    o.waitWorkers = false;  // joining is checked below, with names for the missing ranks
    o.timeout = timeout();
    return c10::make_intrusive<c10d::TCPStore>(s.master_addr, o);
  }

  void connect(const std::string& device) {
    try {
      store = open_store(s.rank == 0);
    } catch (const std::exception& e) {
      if (s.rank == 0)
        throw Error(
            fmt::format("distributed: rank 0 cannot host the rendezvous on {} ({}); pick a free "
                        "--master-port / MASTER_PORT",
                        where(), one_line(e)));
      throw Error(
          fmt::format("distributed: rank {} cannot reach rank 0's rendezvous at {} within {} s ({}); "
                      "is rank 0 running, and are MASTER_ADDR/MASTER_PORT the same on every rank?",
                      s.rank, where(), s.timeout_s, one_line(e)));
    }
    wait_for_all_ranks();
    try {
      hb_store = open_store(false);
    } catch (const std::exception& e) {
      throw Error(fmt::format("distributed: rank {}: rank 0's rendezvous at {} went away ({})", s.rank,
                              where(), one_line(e)));
    }
    create_backend(device);
    heartbeat = std::thread([this] { beat(); });
  }

  void wait_for_all_ranks() {
    const auto deadline = std::chrono::steady_clock::now() + timeout();
    try {
      store->set(key("joined", s.rank), std::vector<uint8_t>{1});
      std::vector<int64_t> missing;
      while (true) {
        missing.clear();
        for (int64_t r = 0; r < s.world_size; ++r)
          if (!store->check({key("joined", r)})) missing.push_back(r);
        if (missing.empty()) return;
        if (std::chrono::steady_clock::now() > deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      throw Error(
          fmt::format("distributed: rank{} {} of {} did not join the rendezvous at {} within {} s; start "
                      "every rank with the same WORLD_SIZE, MASTER_ADDR and MASTER_PORT",
                      missing.size() > 1 ? "s" : "", rank_list(missing), s.world_size, where(), s.timeout_s));
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      throw Error(
          fmt::format("distributed: rank {}: rendezvous at {} failed ({}); rank 0 hosts it and may have "
                      "exited",
                      s.rank, where(), one_line(e)));
    }
  }

  void create_backend(const std::string& device) {
    const bool cuda = device.rfind("cuda", 0) == 0;
    backend = s.backend == "auto" ? (cuda ? "nccl" : "gloo") : s.backend;
#if !defined(USE_C10D_NCCL)
    if (backend == "nccl") {
      if (s.backend == "nccl")
        throw Error(
            "option --dist-backend: nccl is not available: this LibTorch was built without NCCL (use gloo)");
      backend = "gloo";  // auto on CUDA without NCCL: Gloo also reduces CUDA tensors (via the host)
    }
#endif
    try {
#if defined(USE_C10D_NCCL)
      if (backend == "nccl") {
        auto o = c10d::ProcessGroupNCCL::Options::create();
        o->timeout = timeout();
        nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, static_cast<int>(s.rank),
                                                           static_cast<int>(s.world_size), o);
        return;
      }
#endif
      auto o = c10d::ProcessGroupGloo::Options::create(timeout());
      if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
        o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
      else if (s.master_addr == "127.0.0.1" || s.master_addr == "localhost")
        o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
      else
        o->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
      gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(store, static_cast<int>(s.rank),
                                                         static_cast<int>(s.world_size), o);
    } catch (const std::exception& e) {
      throw lost("connecting the " + backend + " process group", e);
    }
  }

  void beat() {
    std::unique_lock<std::mutex> lock(m);
    while (!stop) {
      lock.unlock();
      try {
        hb_store->add(key("heartbeat", s.rank), 1);
      } catch (const std::exception&) {
        return;  // the store (rank 0) is gone; the main thread reports it at its next collective
      }
      lock.lock();
      cv.wait_for(lock, hb_period, [&] { return stop; });
    }
  }

  // The error for a failed collective: which ranks stopped beating.
  Error lost(const std::string& what, const std::exception& cause) {
    const std::string detail = one_line(cause);
    std::vector<int64_t> lost_ranks;
    bool store_gone = false;
    try {
      std::vector<int64_t> before(static_cast<size_t>(s.world_size));
      for (int64_t r = 0; r < s.world_size; ++r) before[r] = store->add(key("heartbeat", r), 0);
      std::this_thread::sleep_for(3 * hb_period);
      for (int64_t r = 0; r < s.world_size; ++r)
        if (r != s.rank && store->add(key("heartbeat", r), 0) == before[r]) lost_ranks.push_back(r);
    } catch (const std::exception&) {
      store_gone = true;
    }
    if (store_gone && s.rank != 0)
      return Error(
          fmt::format("distributed: rank 0 of {} is lost (its rendezvous store at {} is unreachable: the "
                      "process exited or crashed) while rank {} was {}: {}",
                      s.world_size, where(), s.rank, what, detail));
    if (!lost_ranks.empty())
      return Error(
          fmt::format("distributed: rank{} {} of {} {} lost (heartbeat stopped: the process exited, "
                      "crashed or hangs) while rank {} was {}: {}",
                      lost_ranks.size() > 1 ? "s" : "", rank_list(lost_ranks), s.world_size,
                      lost_ranks.size() > 1 ? "are" : "is", s.rank, what, detail));
    return Error(
        fmt::format("distributed: rank {} of {} failed while {} (every peer still beats; timeout {} s): {}",
                    s.rank, s.world_size, what, s.timeout_s, detail));
  }

  template <typename Fn>
  void run(const std::string& what, Fn&& fn) {
    try {
      c10::intrusive_ptr<c10d::Work> work;
#if defined(USE_C10D_NCCL)
      if (nccl) {
        work = fn(*nccl);
        work->wait(timeout());
        return;
      }
#endif
      work = fn(*gloo);
      work->wait(timeout());
    } catch (const std::exception& e) {
      throw lost(what, e);
    }
  }
#endif

  ~Impl() {
#ifdef ESPBENCH_HAVE_C10D
    {
      std::lock_guard<std::mutex> lock(m);
      stop = true;
    }
    cv.notify_all();
    if (heartbeat.joinable()) heartbeat.join();
#endif
  }
};

ProcessGroup::ProcessGroup(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ProcessGroup::~ProcessGroup() = default;

std::unique_ptr<ProcessGroup> ProcessGroup::connect(const DistSettings& settings, const std::string& device) {
  auto impl = std::make_unique<Impl>();
  impl->s = settings;
  if (settings.world_size > 1) {
#ifdef ESPBENCH_HAVE_C10D
    impl->hb_period = std::chrono::milliseconds(
        std::clamp<int64_t>(static_cast<int64_t>(settings.timeout_s * 100.0), 200, 2000));
    impl->connect(device);
#else
    throw Error(
        "distributed training needs c10d with Gloo, which this build lacks (LibTorch without USE_C10D_GLOO, "
        "or the gloo headers were missing: install libgloo-dev and rebuild)");
#endif
  }
  return std::unique_ptr<ProcessGroup>(new ProcessGroup(std::move(impl)));
}

int64_t ProcessGroup::rank() const { return impl_->s.rank; }
int64_t ProcessGroup::world_size() const { return impl_->s.world_size; }
const std::string& ProcessGroup::backend() const { return impl_->backend; }
const DistSettings& ProcessGroup::settings() const { return impl_->s; }

void ProcessGroup::allreduce(torch::Tensor& t, const std::string& what, bool max) {
  if (impl_->s.world_size == 1) return;
#ifdef ESPBENCH_HAVE_C10D
  impl_->run("all-reducing " + what, [&](auto& pg) {
    std::vector<torch::Tensor> v{t};
    c10d::AllreduceOptions o;
    o.reduceOp = max ? c10d::ReduceOp::MAX : c10d::ReduceOp::SUM;
    return pg.allreduce(v, o);
  });
#endif
}

void ProcessGroup::broadcast_from_0(torch::Tensor& t, const std::string& what) {
  if (impl_->s.world_size == 1) return;
#ifdef ESPBENCH_HAVE_C10D
  impl_->run("broadcasting " + what, [&](auto& pg) {
    std::vector<torch::Tensor> v{t};
    return pg.broadcast(v, c10d::BroadcastOptions{});
  });
#endif
}

json ProcessGroup::describe() const {
  const DistSettings& s = impl_->s;
  json j = {{"world_size", s.world_size}, {"rank", s.rank}, {"backend", impl_->backend}};
  if (s.world_size > 1) {
    j["master"] = fmt::format("{}:{}", s.master_addr, s.master_port);
    j["timeout_s"] = s.timeout_s;
    j["source"] = s.source;
  }
  return j;
}

}  // namespace espbench::dist
