#!/usr/bin/env bash
# Measures the segmentation latency table of docs/latency.md: espnetv2_seg (20 classes) at the
# input sizes segmentation users run (512x256, 1024x512, 2048x1024) and scales 0.5, 1.0, 1.5 and
# 2.0, batch 1, at THREADS threads, --fast against plain interleaved in one `espbench compare` run
# per size and scale (ROUNDS rounds of SAMPLES inferences per side; at 2048x1024 at most 2 per
# round, a plain s=2 inference there takes seconds), so that both figures of a row see the same
# machine state. Writes the raw JSON to results/seg-latency/ and prints the Markdown table
# (results/seg-latency/table.md, table.csv); scripts/docs-tables.py copies it into docs/latency.md.
# Usage: scripts/seg_latency_table.sh [BUILD_DIR] [ROUNDS] [SAMPLES] [THREADS]   (defaults: build, 5, 4, 2)
# OMP_WAIT_POLICY defaults to passive here: the table is made on a machine shared with other jobs,
# where spinning workers stall behind them (see the classification table's note); it is recorded
# in each JSON.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build}/espbench
rounds=${2:-5}
samples=${3:-4}
threads=${4:-2}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
out=$root/results/seg-latency
mkdir -p "$out"
for size in 256x512 512x1024 1024x2048; do
  n=$samples
  [[ $size == 1024x2048 && $n -gt 2 ]] && n=2
  for scale in 0.5 1.0 1.5 2.0; do
    name="s${scale}_${size#*x}x${size%x*}"
    side="espnetv2_seg:scale=$scale,num_classes=20"
    "$bin" compare "$side@fast" "$side@plain" --input "3x$size" --threads "$threads" --rounds "$rounds" \
      --samples "$n" --warmup 1 --json >"$out/$name.json.tmp"
    mv "$out/$name.json.tmp" "$out/$name.json"
    echo "measured $name" >&2
  done
done
python3 "$root/scripts/seg_latency_table.py" "$out" --csv "$out/table.csv" | tee "$out/table.md"
