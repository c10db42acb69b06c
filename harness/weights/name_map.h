// Official (EdgeNets) parameter names -> espbench module paths. espbench names its modules as the
// official code does, with these exceptions, which the loader maps:
//   inp_reinf.0 / inp_reinf.1   -> inp_reinf.cbr / inp_reinf.cb  (the input reinforcement's two convs;
//                                  officially an nn.Sequential)
//   cbr.0 / cbr.1 / cbr.2       -> conv / bn / act  (the decoder's CBR, officially a Sequential)
//   br.0 / br.1                 -> bn / act         (the decoder's BR, the same)
// and the wrappers official files may carry: `module.` (nn.DataParallel) and `base_net.` (the
// classification trunk inside a segmentation network).
#pragma once
#include <string>
#include <vector>

namespace espbench::weights {

// `key` with the renames above applied (component-wise; "" when none applies).
std::string official_to_espbench(const std::string& key);

// The names `key` may have in an espbench model, in the order the loader tries them: the key as
// is, renamed, and both with the wrapper prefixes removed.
std::vector<std::string> candidate_names(const std::string& key);

}  // namespace espbench::weights
