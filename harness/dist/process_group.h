// A c10d process group (Gloo on CPU, NCCL when built against a CUDA LibTorch that has it) behind
// a thin adapter, so the rest of espbench never touches c10d types (which moved between LibTorch
// 1.13 and 2.x) and every failure becomes one clear espbench::Error.
//
//   auto pg = ProcessGroup::connect(settings, "cpu");   // blocks until all ranks joined
//   pg->allreduce_sum(flat_grads, "gradients");          // in place, same result on every rank
//
// Rendezvous: rank 0 hosts a c10d::TCPStore on master_addr:master_port; every rank announces
// itself there and waits (at most timeout_s) for all the others, so a rank that never starts is
// named ("ranks 1, 3 of 4 did not join ...") instead of hanging. Collectives use the same timeout.
//
// Lost ranks: every rank bumps a heartbeat counter in the store from a side thread (every
// timeout/10 s, 0.2..2 s). When a collective fails (a peer's socket closed, or the timeout passed),
// the rank samples the counters twice, three heartbeat periods apart: ranks whose counter stood
// still are reported as lost ("rank 1 of 2 is lost: its process exited or crashed"), and an
// unreachable store means rank 0, which hosts it, is gone. The error is thrown, so the caller
// (the trainer) records it and the process exits non-zero within about timeout + 3 heartbeats.
//
// world_size 1 connects nothing: every collective is the identity.
#pragma once
#include <torch/types.h>

#include <memory>
#include <string>

#include "harness/dist/settings.h"
#include "modules/options.h"

namespace espbench::dist {

// Whether this build has c10d with Gloo (false: the headers were missing at compile time; a
// run with world_size > 1 then fails with an error saying so).
bool c10d_available();

class ProcessGroup {
 public:
  // `device` is the training device ("cpu", "cuda:0"); it picks the backend for "auto".
  static std::unique_ptr<ProcessGroup> connect(const DistSettings& settings, const std::string& device);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int64_t rank() const;
  int64_t world_size() const;
  const std::string& backend() const;  // "gloo", "nccl", or "none" for world_size 1
  const DistSettings& settings() const;

  // In-place collectives on a contiguous tensor of the same shape on every rank; `what` names the
  // data in error messages.
  void allreduce_sum(torch::Tensor& tensor, const std::string& what) { allreduce(tensor, what, false); }
  void allreduce_max(torch::Tensor& tensor, const std::string& what) { allreduce(tensor, what, true); }
  void broadcast_from_0(torch::Tensor& tensor, const std::string& what);

  // {"world_size", "rank", "backend", "master", "timeout_s", "source"} for reports.
  json describe() const;

  struct Impl;

 private:
  explicit ProcessGroup(std::unique_ptr<Impl> impl);
  void allreduce(torch::Tensor& tensor, const std::string& what, bool max);
  std::unique_ptr<Impl> impl_;
};

}  // namespace espbench::dist
