#!/usr/bin/env bash
# The main job: installs, builds, measures the model zoo at 3x224x224 (results/zoo/, seconds), then
# runs a small real sweep on Fashion-MNIST (ablations/main.json: 5 runs, about 10 minutes on 2 cores)
# and leaves its reports, collect table, Markdown report and plots in results/main/.
# Usage: scripts/main-job.sh [RESULTS_DIR]   (default: results)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
results=${1:-$root/results}
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build"
bin="$root/build/espbench"
"$bin" zoo --out "$results/zoo"
# Rerunning resumes an interrupted sweep and skips finished runs.
"$bin" sweep "$root/ablations/main.json" --out "$results"
"$bin" collect "$results/main"
"$bin" report "$results/main" --markdown > "$results/main/report.md"
"$bin" report "$results/main"
"$bin" plot "$results/main"
