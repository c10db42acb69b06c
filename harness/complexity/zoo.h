// The model zoo measured in one go: every registered model at its defaults and at every published
// configuration, each compared with its published figure.
#pragma once
#include <string>

#include "modules/options.h"

namespace espbench {

struct ZooRequest {
  std::string out_dir;  // one JSON per configuration plus zoo.csv and zoo.json
  std::string device = "cpu";
};

// Returns the summary rows (also written to out_dir when set).
json measure_zoo(const ZooRequest& req);

}  // namespace espbench
