#include "harness/sweep/runner.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "harness/report/atomic_file.h"
#include "harness/report/context.h"
#include "harness/report/tables.h"
#include "harness/sweep/run_status.h"
#include "harness/train/final_latency.h"
#include "harness/train/progress.h"
#include "harness/train/run_config.h"
#include "harness/train/trainer.h"
#include "modules/error.h"

namespace espbench::sweep {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string run_dir_of(const Plan& plan, const std::string& out, const std::string& id) {
  return (fs::path(sweep_dir(plan, out)) / id).string();
}

std::string report_status(const std::string& run_dir) {
  const std::optional<std::string> text = read_file((fs::path(run_dir) / "report.json").string());
  if (!text) return "";
  const json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  return j.is_object() && j.contains("status") && j["status"].is_string() ? j["status"].get<std::string>()
                                                                          : "";
}

bool process_alive(int64_t pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string si(int64_t v) { return v < 0 ? "?" : report::si_number(static_cast<double>(v)); }

// Trains one run (all its attempts); returns "" when done, else the last error.
std::string train_one(const std::string& sweep, const PlannedRun& run, const std::string& dir,
                      const SweepOptions& o, json& st) {
  std::string error;
  for (int64_t attempt = 0; attempt <= o.retries; ++attempt) {
    st["status"] = "running";
    st["attempts"] = st.value("attempts", 0) + 1;
    st["pid"] = static_cast<int64_t>(::getpid());
    st["host"] = this_host();
    st["started_utc"] = utc_now_iso();
    st["updated_utc"] = st["started_utc"];
    st.erase("error");
    st.erase("finished_utc");
    write_status(dir, st);

    const std::string log_path = (fs::path(dir) / "log").string();
    std::FILE* log = std::fopen(log_path.c_str(), "a");
    if (!log) throw Error(fmt::format("cannot write '{}': {}", log_path, std::strerror(errno)));
    std::fprintf(log, "== attempt %lld, pid %lld on %s, %s\n",
                 static_cast<long long>(st["attempts"].get<int64_t>()), static_cast<long long>(::getpid()),
                 this_host().c_str(), utc_now_iso().c_str());
    std::fflush(log);
    train::TrainOptions topt;
    topt.progress.mode = train::ProgressOptions::Mode::Plain;
    topt.progress.plain_interval_s = 30.0;
    topt.progress.out = log;
    try {
      const json report = train::train_run(run.config, dir, topt);
      error = report["status"] == "done"
                  ? ""
                  : report.value("error", "status " + report["status"].get<std::string>());
    } catch (const std::exception& e) {
      error = first_line(e.what());
      if (error.empty()) error = "unknown error";
    }
    if (!error.empty()) std::fprintf(log, "== failed: %s\n", error.c_str());
    std::fclose(log);

    st["updated_utc"] = utc_now_iso();
    st["finished_utc"] = st["updated_utc"];
    if (error.empty()) {
      st["status"] = "done";
      write_status(dir, st);
      return "";
    }
    st["status"] = "failed";
    st["error"] = error;
    write_status(dir, st);
    std::fprintf(o.stream, "[%s] run %s (%s) FAILED (attempt %lld): %s%s\n", sweep.c_str(), run.id.c_str(),
                 run.label.c_str(), static_cast<long long>(st["attempts"].get<int64_t>()), error.c_str(),
                 attempt < o.retries ? "; retrying" : "");
    std::fflush(o.stream);
  }
  return error;
}

// Another sweep under the same output root that already finished a run with this id (the id hashes
// the resolved config: same model, data, training and seed), checked by re-hashing its config.
// Sibling sweeps are searched in name order; "" when none.
std::string find_done_twin(const std::string& out, const std::string& sweep, const PlannedRun& run) {
  std::error_code ec;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(out, ec))
    if (e.is_directory(ec) && e.path().filename() != sweep) dirs.push_back(e.path() / run.id);
  std::sort(dirs.begin(), dirs.end());
  for (const auto& d : dirs) {
    if (!fs::exists(d / "config.json", ec) || run_state(d.string()) != "done") continue;
    try {
      const json cfg = train::load_json_file((d / "config.json").string());
      if (train::run_id(train::resolve_run_config(cfg, (d / "config.json").string())) == run.id)
        return d.string();
    } catch (const std::exception&) {  // an unreadable twin is no twin
    }
  }
  return "";
}

// The twin's report as this run's: its config is this run's (the same training; what is measured
// afterwards may differ), and it keeps the twin's latency block only where this config asks for
// latency, so a sweep that times nothing shows no timing of a single reused arm (complete_measurements
// re-measures a copied block measured with other settings). A report that is not JSON is copied as it is.
std::string reused_report(const std::string& twin_report, const PlannedRun& run) {
  json r = json::parse(twin_report, nullptr, /*allow_exceptions=*/false);
  if (!r.is_object()) return twin_report;
  r["config"] = train::to_json(run.config);
  if (!run.config.measure.latency) r.erase("latency");
  return r.dump(2) + "\n";
}

// Copies the twin's report, log and checkpoints (from which a measurement the twin's config did not
// ask for can still be made) into this run's folder and marks it done, reused_from the twin.
void reuse_twin(const std::string& twin, const std::string& dir, const PlannedRun& run, json& st) {
  const fs::path from(twin), to(dir);
  if (const auto log = read_file((from / "log").string())) write_file_atomic((to / "log").string(), *log);
  for (const char* ckpt : {"checkpoint_last.pt", "checkpoint_best.pt"}) {
    std::error_code ec;
    if (fs::exists(from / ckpt, ec))
      fs::copy_file(from / ckpt, to / ckpt, fs::copy_options::overwrite_existing, ec);
  }
  write_file_atomic((to / "report.json").string(),
                    reused_report(read_file((from / "report.json").string()).value_or(""), run));
  st["status"] = "done";
  st["attempts"] = 0;
  st["reused_from"] = fs::relative(from, to.parent_path().parent_path()).string();
  st["label"] = run.label;
  st["finished_utc"] = utc_now_iso();
  st["updated_utc"] = st["finished_utc"];
  write_status(dir, st);
}

// A finished run whose report lacks the measurement its config asks for (measure.latency added or
// changed after it trained, or a twin reused from a sweep that asked for none) is measured from its
// last checkpoint without retraining: the trainer, resumed on a finished run, only measures. The
// run's status keeps its training times. Returns "" when nothing was missing or the measurement
// was made, else why it could not be.
std::string complete_measurements(const std::string& sweep, const PlannedRun& run, const std::string& dir,
                                  const SweepOptions& o, json& st) {
  const fs::path d(dir);
  if (train::latency_up_to_date(run.config, train::previous_latency((d / "report.json").string(), run.id)))
    return "";
  std::error_code ec;
  if (!fs::exists(d / "checkpoint_last.pt", ec))
    return "its report has no latency block for the config's measure.latency and the folder has no "
           "checkpoint_last.pt to measure from (delete the run folder to retrain it)";
  write_file_atomic((d / "config.json").string(), train::to_json(run.config).dump(2) + "\n");
  const json trained = st;
  const std::string error = train_one(sweep, run, dir, o, st);
  if (!error.empty()) return error;
  for (const char* key : {"started_utc", "finished_utc", "attempts"})
    if (trained.contains(key)) st[key] = trained[key];
  st["measured_utc"] = utc_now_iso();
  write_status(dir, st);
  return "";
}

}  // namespace

std::string sweep_dir(const Plan& plan, const std::string& out) {
  return (fs::path(out) / plan.manifest.name).string();
}

std::string run_state(const std::string& run_dir) {
  const json st = read_status(run_dir);
  const std::string s = st.value("status", "");
  const std::string rs = report_status(run_dir);
  if (s == "done" && rs == "done") return "done";
  if (s == "failed") return "failed";
  if (s == "running") {
    if (st.value("host", "") == this_host() && !process_alive(st.value("pid", int64_t{0})))
      return "interrupted";
    return "running";
  }
  if (s == "done" || rs == "running" || rs == "stopped" || rs == "done") return "interrupted";
  return "pending";
}

std::vector<std::string> pending_run_ids(const Plan& plan, const std::string& out) {
  std::vector<std::string> ids;
  for (const auto& r : plan.runs)
    if (run_state(run_dir_of(plan, out, r.id)) != "done") ids.push_back(r.id);
  return ids;
}

std::vector<PlannedRun> select_runs(const Plan& plan, const SweepOptions& o) {
  if (o.run_id.empty()) return shard_runs(plan.runs, o.shard_index, o.shard_count);
  std::vector<std::string> ids;
  for (const auto& r : plan.runs) {
    if (r.id == o.run_id) return {r};
    ids.push_back(r.id);
  }
  const std::string hint = closest_match(o.run_id, ids);
  throw Error(
      fmt::format("option --run-id: {} is not a run of {} ({} runs{}; `espbench sweep {} --dry-run` "
                  "lists them)",
                  o.run_id, plan.manifest.path, ids.size(),
                  hint.empty() ? "" : ", did you mean " + hint + "?", plan.manifest.path));
}

SweepResult run_sweep(const Plan& plan, const SweepOptions& o) {
  const std::vector<PlannedRun> runs = select_runs(plan, o);
  const std::string sdir = sweep_dir(plan, o.out);
  write_file_atomic((fs::path(sdir) / "manifest.json").string(), plan.manifest.raw.dump(2) + "\n");

  SweepResult res;
  res.selected = static_cast<int64_t>(runs.size());
  const std::string& name = plan.manifest.name;
  double trained_s = 0.0;
  auto left = [&] { return res.selected - res.done - res.failed - res.busy; };
  auto eta = [&] {
    if (res.trained == 0) return std::string("?");
    return train::Progress::format_duration(trained_s / static_cast<double>(res.trained) *
                                            static_cast<double>(left()));
  };
  auto say = [&](const std::string& line) {
    if (o.quiet) return;
    std::fprintf(o.stream, "[%s] %s\n", name.c_str(), line.c_str());
    std::fflush(o.stream);
  };

  for (const PlannedRun& planned : runs) {
    PlannedRun run = planned;
    if (o.threads > 0) run.config.runtime.threads = o.threads;
    const std::string dir = run_dir_of(plan, o.out, run.id);
    RunLock lock(dir);
    json st = read_status(dir);
    if (!lock.held()) {
      ++res.busy;
      say(fmt::format("run {} ({}) is held by another process (pid {} on {}): skipped", run.id, run.label,
                      st.value("pid", int64_t{0}), st.value("host", "?")));
      continue;
    }
    auto finish_measurements = [&] {
      const std::string why = complete_measurements(name, run, dir, o, st);
      if (why.empty()) return;
      ++res.unmeasured;
      say(fmt::format("run {} ({}) is done but not measured: {}", run.id, run.label, why));
    };
    if (run_state(dir) == "done") {
      ++res.done;
      finish_measurements();
      continue;
    }
    if (st.empty())
      st = {{"run_id", run.id}, {"status", "pending"}, {"attempts", 0}, {"created_utc", utc_now_iso()}};
    st["run_id"] = run.id;
    st["label"] = run.label;
    write_file_atomic((fs::path(dir) / "config.json").string(), train::to_json(run.config).dump(2) + "\n");
    const bool resuming = fs::exists(fs::path(dir) / "checkpoint_last.pt");
    if (o.reuse && !resuming && run_state(dir) == "pending") {
      const std::string twin = find_done_twin(o.out, name, run);
      if (!twin.empty()) {
        reuse_twin(twin, dir, run, st);
        ++res.done;
        ++res.reused;
        say(fmt::format("run {} ({}) is done in {}: reused (same resolved config), not retrained", run.id,
                        run.label, st["reused_from"].get<std::string>()));
        finish_measurements();
        continue;
      }
    }
    say(fmt::format("{} done, {} failed, {} left, ETA {}: {} run {} ({})", res.done, res.failed, left(),
                    eta(), resuming ? "resuming" : "starting", run.id, run.label));
    const auto t0 = Clock::now();
    const std::string error = train_one(name, run, dir, o, st);
    trained_s += std::chrono::duration<double>(Clock::now() - t0).count();
    ++res.trained;
    if (error.empty()) {
      ++res.done;
      continue;
    }
    ++res.failed;
    res.failures.push_back(fmt::format("{} ({}): {}", run.id, run.label, error));
    if (o.fail_fast) {
      say("--fail-fast: stopping at the first failure");
      break;
    }
  }
  const std::string summary = fmt::format(
      "[{}] {} of {} runs done{}{}, {} failed, {} held elsewhere, {} not started; results in {}", name,
      res.done, res.selected,
      res.reused ? fmt::format(" ({} reused from other sweeps)", res.reused) : std::string(),
      res.unmeasured ? fmt::format(" ({} without the latency their config asks for)", res.unmeasured)
                     : std::string(),
      res.failed, res.busy, left(), sdir);
  std::fprintf(o.stream, "%s\n", summary.c_str());
  std::fflush(o.stream);
  return res;
}

std::string dry_run_listing(const Plan& plan, const SweepOptions& o) {
  std::vector<PlannedRun> runs = select_runs(plan, o);
  measure_runs(runs);
  std::string s =
      fmt::format("sweep '{}' ({}): {} runs", plan.manifest.name, plan.manifest.path, plan.runs.size());
  if (plan.excluded + plan.constrained + plan.merged > 0)
    s += fmt::format(" of {} combinations ({} excluded, {} outside the constraints, {} duplicates merged)",
                     plan.expanded, plan.excluded, plan.constrained, plan.merged);
  if (o.shard_count > 1)
    s += fmt::format("; shard {}/{}: {} runs", o.shard_index, o.shard_count, runs.size());
  s += fmt::format("\n{:<16}  {:<11}  {:>9}  {:>9}  {:>6}  {}\n", "run id", "state", "params", "MACs",
                   "epochs", "label");
  for (const auto& r : runs)
    s += fmt::format("{:<16}  {:<11}  {:>9}  {:>9}  {:>6}  {}\n", r.id,
                     run_state(run_dir_of(plan, o.out, r.id)), si(r.params), si(r.macs),
                     r.config.train.epochs, r.label);
  s += "MACs: conv + linear multiply-accumulates per image at the training resolution\n";
  return s;
}

}  // namespace espbench::sweep
