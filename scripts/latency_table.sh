#!/usr/bin/env bash
# Measures the latency tables of docs/latency.md: batch-1 224x224 latency at 1 and 2 threads, plain
# and --fast, for the ESPNetv2 scales and the baselines, plus interleaved A/B comparisons and the op
# profile of one --fast ESPNetv2 inference. Writes the raw JSON to results/latency/ and prints the
# Markdown table (results/latency/table.md); scripts/docs-tables.py copies it into docs/latency.md.
# Usage: scripts/latency_table.sh [BUILD_DIR] [SAMPLES]   (defaults: build, 100)
# OMP_WAIT_POLICY defaults to active (spinning workers): on an idle machine passive adds a thread
# wake-up to each of the ~400 ops of an inference (measured: espnetv2@fast 2.6x slower at 2
# threads). On a machine shared with other jobs set OMP_WAIT_POLICY=passive (spinning workers stall
# behind other processes there). The policy is recorded in the JSON.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build}/espbench
samples=${2:-100}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-active}
out=$root/results/latency
mkdir -p "$out"
models=(
  "espnetv2_s0.5|espnetv2 --set scale=0.5"
  "espnetv2_s1.0|espnetv2 --set scale=1.0"
  "espnetv2_s2.0|espnetv2 --set scale=2.0"
  "mobilenet_v1_1.0|mobilenet_v1 --set width=1.0"
  "mobilenet_v2_1.0|mobilenet_v2 --set width=1.0"
  "shufflenet_v1_g3_1x|shufflenet_v1 --set groups=3 --set width=1.0"
  "shufflenet_v2_x1.0|shufflenet_v2 --set width=1.0"
)
for entry in "${models[@]}"; do
  name=${entry%%|*}
  args=${entry#*|}
  for mode in plain fast; do
    flag=""
    [[ $mode == fast ]] && flag="--fast"
    # shellcheck disable=SC2086
    "$bin" measure $args --latency --threads 1,2 $flag --samples "$samples" --json >"$out/$name.$mode.json.tmp"
    mv "$out/$name.$mode.json.tmp" "$out/$name.$mode.json"
    echo "measured $name $mode" >&2
  done
done
# Ratios that only mean something when measured interleaved in one run.
cmp() {  # NAME A B THREADS
  "$bin" compare "$2" "$3" --threads "$4" --rounds 20 --samples 20 --json >"$out/compare_$1.json.tmp"
  mv "$out/compare_$1.json.tmp" "$out/compare_$1.json"
  echo "compared $1" >&2
}
for t in 1 2; do
  cmp "espnetv2_fast_vs_mobilenet_v2_fast_t$t" "espnetv2@fast" "mobilenet_v2@fast" "$t"
  cmp "espnetv2_fast_vs_plain_t$t" "espnetv2@fast" "espnetv2@plain" "$t"
  # Is channels_last worth a place in the default parts? (measured, not assumed)
  cmp "mobilenet_v2_channels_last_t$t" "mobilenet_v2@fast=fold_bn,channels_last" "mobilenet_v2@fast=fold_bn" "$t"
  cmp "espnetv2_channels_last_t$t" "espnetv2@fast=fold_bn,channels_last" "espnetv2@fast=fold_bn" "$t"
  # Our own grouped 1x1 kernel (gemm) against oneDNN, the rest of --fast alike.
  cmp "espnetv2_gemm_t$t" "espnetv2@fast" "espnetv2@fast=fold_bn,eesp_kernel,fuse" "$t"
done
# Where one --fast inference spends its time (per op, our kernels included).
"$bin" measure espnetv2 --latency --fast --threads 2 --profile --samples "$samples" --json \
  >"$out/profile_espnetv2_fast_t2.json.tmp"
mv "$out/profile_espnetv2_fast_t2.json.tmp" "$out/profile_espnetv2_fast_t2.json"
python3 "$root/scripts/latency_table.py" "$out" | tee "$out/table.md"
