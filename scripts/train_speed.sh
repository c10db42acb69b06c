#!/usr/bin/env bash
# Training throughput of ESPNetv2 s=1.0 on Fashion-MNIST (official stride-2 stem, 1x28x28, batch 128)
# with espbench's native training kernels on and off, interleaved (on, off, on, off, ...) so that the
# ratio is measured under one machine state: this machine's speed drifts over minutes, a ratio of two
# separate sessions does not mean much. Writes one `bench-train --json` object per run to
# results/train-speed/{native,libtorch}.N.json, and the 1-minute load average before and after the
# runs to results/train-speed/conditions.json (other processes on the machine slow both rows);
# scripts/docs-tables.py turns them into the table of docs/training.md.
# Usage: scripts/train_speed.sh [BUILD_DIR] [PAIRS] [THREADS]   (defaults: build, 3, 2)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build}/espbench
pairs=${2:-3}
threads=${3:-2}
out=$root/results/train-speed
mkdir -p "$out"
rm -f "$out"/*.json
load_before=$(cut -d' ' -f1 /proc/loadavg)
for i in $(seq "$pairs"); do
  for kernels in native libtorch; do
    flag=1
    [[ $kernels == libtorch ]] && flag=0
    ESPBENCH_NATIVE_KERNELS=$flag "$bin" bench-train espnetv2 --threads "$threads" --steps 30 --warmup 5 \
      --window 10 --json >"$out/$kernels.$i.json.tmp"
    mv "$out/$kernels.$i.json.tmp" "$out/$kernels.$i.json"
    echo "measured $kernels $i" >&2
  done
done
cat >"$out/conditions.json" <<EOF
{"pairs": $pairs, "threads": $threads, "loadavg_1min_before": $load_before, "loadavg_1min_after": $(cut -d' ' -f1 /proc/loadavg)}
EOF
