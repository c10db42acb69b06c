// `espbench infer`: a model with official or espbench weights run on a .npy input; writes the
// output (or one layer's) as .npy. The work is harness/weights/infer.h; the output is written only
// when everything before it succeeded.
#include <fmt/format.h>

#include <iostream>

#include "harness/cli/commands.h"
#include "harness/runtime/runtime.h"
#include "harness/train/segment_image.h"
#include "harness/weights/infer.h"
#include "harness/weights/npy.h"
#include "modules/error.h"

namespace espbench::cli {

namespace {

struct InferFlags {
  ModelFlags model;
  weights::InferRequest request;
  std::string output;
  std::string image, colour_png;  // a JPEG/PNG as the input; the argmax labels as a colour PNG
  std::vector<int> image_size;    // width, height the image is resized to
  RuntimeFlags runtime;
  bool quiet = false;
};

}  // namespace

void add_infer(CLI::App& app) {
  auto f = std::make_shared<InferFlags>();
  auto* cmd = app.add_subcommand(
      "infer", "run a model with weights from a file (.pth or espbench checkpoint) on a .npy input");
  add_model_flags(*cmd, f->model);
  cmd->add_option("--weights", f->request.weights,
                  "weights: official .pth (legacy or zip) or espbench checkpoint")
      ->required();
  cmd->add_flag("--allow-missing", f->request.allow_missing,
                "load the keys that match and report the rest (e.g. a trunk from a segmentation file)");
  cmd->add_flag("--fast{default}", f->request.fast,
                "inference transform; --fast = default parts, --fast=PARTS a comma list (see measure)");
  auto* input = cmd->add_option("--input", f->request.input, "input tensor: .npy, float32 [N, C, H, W]");
  auto* image = cmd->add_option("--image", f->image,
                                "input image instead: JPEG or PNG, normalised as the segmentation sets do");
  input->excludes(image);
  cmd->add_option("--image-size", f->image_size, "with --image: resize it to WIDTH HEIGHT first")
      ->expected(2)
      ->needs(image);
  cmd->add_option("--output", f->output, "output tensor: .npy, float32");
  cmd->add_option(
      "--colour-png", f->colour_png,
      "write the output's argmax over classes (per-pixel logits [1, K, H, W]) as a colour PNG, at "
      "the image's size with --image");
  cmd->add_option("--layer", f->request.layer, "write this layer's output instead (e.g. level4)");
  cmd->add_flag("--quiet", f->quiet, "print nothing on success");
  add_runtime_flags(*cmd, f->runtime);
  cmd->callback([f] {
    f->request.device = apply_runtime(f->runtime);
    f->request.model = ModelSpec{f->model.model, options_from_sets(f->model.sets)};
    if (f->request.input.empty() == f->image.empty())
      throw Error("infer: give the input as --input FILE.npy or --image FILE (JPEG/PNG)");
    if (f->output.empty() && f->colour_png.empty())
      throw Error("infer: give --output FILE.npy and/or --colour-png FILE.png");
    int file_w = 0, file_h = 0;
    if (!f->image.empty()) {
      const int w = f->image_size.empty() ? 0 : f->image_size[0],
                h = f->image_size.empty() ? 0 : f->image_size[1];
      if (!f->image_size.empty() && (w < 1 || h < 1 || w > 8192 || h > 8192))
        throw Error(
            fmt::format("option --image-size: {} {} is invalid: expected WIDTH HEIGHT in 1..8192", w, h));
      f->request.input_tensor = train::image_input(f->image, w, h, &file_w, &file_h);
      f->request.input = f->image;
    }
    const weights::InferResult r = weights::run_infer(f->request);
    if (!f->colour_png.empty()) train::write_label_prediction(r.output, f->colour_png, file_w, file_h);
    if (!f->output.empty()) weights::write_npy(f->output, r.output);
    if (f->quiet) return;
    std::cerr << r.load.summary() << "\n";
    std::cout << fmt::format("{} {} [{}] -> {}\n", f->model.model,
                             f->request.layer.empty() ? "output" : f->request.layer,
                             fmt::join(r.output.sizes(), ","), f->output.empty() ? f->colour_png : f->output);
  });
}

}  // namespace espbench::cli
