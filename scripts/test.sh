#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the default test suite with CTest.
# Heavy cases go under a hidden Catch2 tag (one starting with a dot) and do not run here; see
# docs/testing.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Slurm + munge too (about 35 s of apt on a loaded machine), so the [slurm] test runs its local
# cluster; ESPBENCH_WITH_SLURM=0 skips them and CTest then reports that test as Skipped.
ESPBENCH_WITH_SLURM=${ESPBENCH_WITH_SLURM:-1} "$root/scripts/install-deps.sh"
# Formatting is part of the suite: a file that differs from .clang-format fails it.
"$root/scripts/format.sh" --check
# So are the generated tables of README.md, docs/ and results/: each must match the files it is made from.
python3 "$root/scripts/docs-tables.py" --check
"$root/scripts/build.sh" "$root/build"
cd "$root/build"
# One intra-op thread per test process: CTest runs two processes on two cores.
ESPBENCH_THREADS=${ESPBENCH_THREADS:-1} ctest --output-on-failure -j "${ESPBENCH_TEST_JOBS:-2}" "$@"
