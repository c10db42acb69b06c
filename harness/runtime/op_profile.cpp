#include "harness/runtime/op_profile.h"

#include <ATen/record_function.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <sstream>

namespace espbench {

namespace {

using Clock = std::chrono::steady_clock;

struct Row {
  int64_t calls = 0;
  double ms = 0.0;
};

struct Table {
  std::mutex mutex;
  std::map<std::pair<std::string, std::string>, Row> rows;
};

Table* g_table = nullptr;
thread_local int t_depth = 0;

struct Timing : at::ObserverContext {
  Clock::time_point start;
  std::string shape;
};

std::string shape_of(const at::RecordFunction& fn) {
  for (const auto& v : fn.inputs())
    if (v.isTensor() && v.toTensor().defined()) {
      std::ostringstream s;
      s << v.toTensor().sizes();
      return s.str();
    }
  return "";
}

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  if (!g_table || t_depth++ > 0) return nullptr;
  auto ctx = std::make_unique<Timing>();
  ctx->shape = shape_of(fn);
  ctx->start = Clock::now();
  return ctx;
}

void on_end(const at::RecordFunction& fn, at::ObserverContext* raw) {
  t_depth -= 1;
  if (!g_table || !raw) return;
  auto* ctx = static_cast<Timing*>(raw);
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - ctx->start).count();
  std::lock_guard<std::mutex> lock(g_table->mutex);
  Row& r = g_table->rows[{fn.name(), ctx->shape}];
  r.calls += 1;
  r.ms += ms;
}

}  // namespace

struct OpProfile::State {
  Table table;
  at::CallbackHandle handle = 0;
  bool running = false;
};

OpProfile::OpProfile() : state_(std::make_unique<State>()) {
  g_table = &state_->table;
  state_->handle =
      at::addGlobalCallback(at::RecordFunctionCallback(&on_start, &on_end)
                                .needsInputs(true)
                                .scopes({at::RecordScope::FUNCTION, at::RecordScope::BACKWARD_FUNCTION}));
  state_->running = true;
}

OpProfile::~OpProfile() {
  if (state_->running) stop();
}

json OpProfile::stop() {
  if (state_->running) {
    at::removeCallback(state_->handle);
    g_table = nullptr;
    state_->running = false;
  }
  double total = 0.0;
  std::vector<std::pair<std::pair<std::string, std::string>, Row>> rows(state_->table.rows.begin(),
                                                                        state_->table.rows.end());
  for (const auto& r : rows) total += r.second.ms;
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.ms > b.second.ms; });
  json out = json::array();
  for (const auto& r : rows) {
    const double share = total > 0 ? r.second.ms / total : 0.0;
    if (share < 0.001) continue;
    out.push_back({{"name", r.first.first},
                   {"shape", r.first.second},
                   {"calls", r.second.calls},
                   {"total_ms", r.second.ms},
                   {"share", share}});
  }
  return out;
}

}  // namespace espbench
