#!/usr/bin/env bash
# Builds espbench with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/) and runs the
# default test suite under them. Any report fails the run: UBSan does not recover, ASan aborts on
# the first error, LeakSanitizer checks at exit. Leaks inside third-party libraries that keep
# process-lifetime allocations (LibTorch's registries, OpenMP, OpenBLAS) are suppressed by
# scripts/sanitize.supp; a leak in espbench's own code is not. NDEBUG as in the release build:
# LibTorch's headers read debug-only state when it is unset, which Debian's LibTorch never writes.
# Usage: scripts/sanitize.sh [ctest arguments...]   (e.g. -R kernels)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/build-asan
"$root/scripts/install-deps.sh"
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
fi
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
cmake --build "$dir" -j "${ESPBENCH_BUILD_JOBS:-$(nproc)}"
# No fake stack (detect_stack_use_after_return): its frames do not keep the 64-byte alignment the
# compiler gives the AVX-512 kernels' vector locals, whose aligned moves then fault.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/scripts/sanitize.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$dir"
start=$(date +%s)
ESPBENCH_THREADS=${ESPBENCH_THREADS:-1} ctest --output-on-failure -j "${ESPBENCH_TEST_JOBS:-2}" "$@"
echo "sanitize: default suite clean under ASan+UBSan in $(( $(date +%s) - start )) s"
