// Training mode with the run's BatchNorm policy (TrainSettings::batchnorm).
#pragma once
#include <string>

namespace torch::nn {
class Module;
}

namespace espbench::train {

// model.train(), then with batchnorm == "frozen" every BatchNorm layer back to eval mode (it then
// normalises with its running statistics and does not update them; its weight and bias still train).
void set_training_mode(torch::nn::Module& model, const std::string& batchnorm);

}  // namespace espbench::train
