#!/usr/bin/env bash
# Installs every Debian package espbench needs; idempotent (installs only what is missing).
# Runs as root, or through sudo when not root.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libgloo-dev libopenblas0-openmp
  libbenchmark-dev nlohmann-json3-dev libfmt-dev catch2 libcli11-dev
  libjpeg62-turbo-dev libpng-dev zlib1g-dev gnuplot-nox dataset-fashion-mnist clang-format python3
  chromium  # headless, for the test that renders a sweep's report.html
)
# Extra packages for the cluster path (Slurm job arrays); opt in with ESPBENCH_WITH_SLURM=1.
if [[ "${ESPBENCH_WITH_SLURM:-0}" == 1 ]]; then
  PACKAGES+=(slurm-wlm munge)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# LibTorch's 1x1-conv fallback is ~4x slower on the reference BLAS: prefer OpenBLAS (OpenMP).
for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
  cand=$(update-alternatives --list "$alt" 2>/dev/null | grep openblas-openmp | head -n1 || true)
  [[ -n "$cand" ]] && $SUDO update-alternatives --set "$alt" "$cand" >/dev/null || true
done
echo "install-deps: done"
