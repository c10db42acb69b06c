#!/usr/bin/env bash
# The main job: installs, builds, measures the model zoo at 3x224x224 (OUT/zoo/, seconds), then
# runs a small real sweep on Fashion-MNIST (ablations/main.json: 5 runs, about 5 minutes on 2 cores)
# and leaves its reports, collect table, Markdown report and plots in OUT/main/.
# Usage: scripts/main-job.sh [OUT]   (default: runs/main-job, outside git). results/zoo and
# results/main in git are this job's output with OUT=results; there it skips the finished runs, so
# retraining them means deleting their run folders first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
results=${1:-$root/runs/main-job}
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build"
bin="$root/build/espbench"
"$bin" zoo --out "$results/zoo"
# One 1-thread sweep process per core, all on the same folder (each skips the runs another holds):
# on 28x28 images that trains about 1.6x faster than one process with all cores. Rerunning resumes
# an interrupted sweep and skips finished runs; the last call fails if any run failed.
pids=()
for _ in $(seq "$(nproc)"); do
  "$bin" sweep "$root/ablations/main.json" --out "$results" --threads 1 &
  pids+=($!)
  sleep 2
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
"$bin" sweep "$root/ablations/main.json" --out "$results" --threads 1 --quiet
"$bin" collect "$results/main"
"$bin" report "$results/main" --markdown > "$results/main/report.md"
"$bin" report "$results/main"
"$bin" plot "$results/main"
