// Compiled by the CTest case `layering.modules_cannot_include_harness` with the include path that
// espbench_modules gets: it must fail, because modules/ may not depend on harness/.
#include "harness/latency/stats.h"
