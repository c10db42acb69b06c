// glibc's malloc may hand large freed blocks back to the kernel and map fresh pages for the next
// allocation of that size, so a training step can pay a page fault per 4 KiB of a large activation,
// every step (`perf` of bench-train: page-fault handling ~1-2% of samples). Measured, bench-train
// espnetv2 at 2 threads, interleaved with ESPBENCH_MALLOC_TUNING=0: median +6% images/s over 4
// pairs (0.91-1.10x; this machine's noise is of that size). configure_allocator() keeps blocks up to 32 MiB
// in the heap (mmap threshold) and stops returning freed heap memory until 1 GiB is free at its top (trim
// threshold). The process keeps its peak heap instead of shrinking; ESPBENCH_MALLOC_TUNING=0
// leaves glibc's defaults. Every report records the setting (context.malloc).
#pragma once
#include "modules/options.h"

namespace espbench {

// Applies the tuning once (the CLI's main calls it first thing); a no-op without glibc.
void configure_allocator();

// {"tuned": bool, "mmap_threshold_bytes", "trim_threshold_bytes"} (thresholds only when tuned).
json allocator_record();

}  // namespace espbench
