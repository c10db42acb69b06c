#!/usr/bin/env bash
# Configures and builds espbench (Release, Ninja, ccache + precompiled LibTorch headers).
# Usage: scripts/build.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build}
# ccache and precompiled headers: these settings let ccache reuse PCH-based compiles.
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Paths relative to the checkout in ccache's hashes: another clone of the same sources hits the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
jobs=${ESPBENCH_BUILD_JOBS:-$(nproc)}
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release ${ESPBENCH_CMAKE_ARGS:-}
fi
cmake --build "$dir" -j "$jobs"
