#!/usr/bin/env bash
# The main job: installs, builds, then measures the whole model zoo at 3x224x224 and writes the
# results to results/zoo/ (one JSON per model configuration, plus a CSV summary).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build"
"$root/build/espbench" zoo --out "${1:-$root/results/zoo}"
