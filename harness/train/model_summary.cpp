#include "harness/train/model_summary.h"

#include <exception>

#include "harness/complexity/measure.h"

namespace espbench::train {

namespace {

json measured(const ModelSpec& spec, int64_t c, int64_t h, int64_t w) {
  MeasureRequest req;
  req.input = {1, c, h, w};
  json r = measure_complexity(spec, req);
  return {{"input", r["input"]}, {"params", r["params"]}, {"macs", r["macs"]}, {"profiles", r["profiles"]}};
}

}  // namespace

json model_summary(const RunConfig& config, int64_t channels, int64_t height, int64_t width) {
  const ResolvedModel m = resolve_model(config.model);
  json out = {{"name", config.model.name}, {"family", m.entry->family}, {"options", m.options}};
  try {
    out.update(measured(config.model, channels, height, width));
  } catch (const std::exception&) {
    // Left out: the model cannot be counted at this resolution (the run itself will say why).
  }
  const int64_t in_ch = m.options.value("in_channels", channels);
  if (in_ch == 3 && !(height == 224 && width == 224)) {
    try {
      out["at_224"] = measured(config.model, 3, 224, 224);
    } catch (const std::exception&) {
    }
  }
  return out;
}

int64_t count_params(const Network& model) {
  int64_t n = 0;
  for (const auto& p : model.parameters()) n += p.numel();
  return n;
}

}  // namespace espbench::train
