#!/usr/bin/env bash
# Measures the segmentation latency table of docs/latency.md: espnetv2_seg (20 classes) at the
# input sizes segmentation users run (512x256, 1024x512, 2048x1024), scales 0.5, 1.0, 1.5 and 2.0,
# batch 1, plain and --fast, one measurement per size and scale, at THREADS threads. Writes the raw
# JSON to results/seg-latency/ and prints the Markdown table (results/seg-latency/table.md);
# scripts/docs-tables.py copies it into docs/latency.md.
# Usage: scripts/seg_latency_table.sh [BUILD_DIR] [SAMPLES] [THREADS]   (defaults: build, 10, 2)
# 2048x1024 runs with at most 5 samples (a plain s=2 inference there takes seconds).
# OMP_WAIT_POLICY defaults to passive here: the table is made on a machine shared with other jobs,
# where spinning workers stall behind them (see the note under the classification table); it is
# recorded in each JSON.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build}/espbench
samples=${2:-10}
threads=${3:-2}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
out=$root/results/seg-latency
mkdir -p "$out"
for size in 256x512 512x1024 1024x2048; do
  n=$samples
  [[ $size == 1024x2048 && $n -gt 5 ]] && n=5
  for scale in 0.5 1.0 1.5 2.0; do
    for mode in plain fast; do
      flag=""
      [[ $mode == fast ]] && flag="--fast"
      name="s${scale}_${size#*x}x${size%x*}.$mode"
      # shellcheck disable=SC2086
      "$bin" measure espnetv2_seg --set scale="$scale" --set num_classes=20 --input "3x$size" --latency \
        --threads "$threads" $flag --samples "$n" --warmup 1 --json >"$out/$name.json.tmp"
      mv "$out/$name.json.tmp" "$out/$name.json"
      echo "measured $name" >&2
    done
  done
done
python3 "$root/scripts/seg_latency_table.py" "$out" --csv "$out/table.csv" | tee "$out/table.md"
