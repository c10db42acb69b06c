// Data sets for training and evaluation, opened by name from the data-set registry.
//
//   DataSpec spec;                      // fashion-mnist from /usr/share/datasets/fashion-mnist
//   DataSplits data = open_data(spec);  // throws espbench::Error naming the file on bad input
//   Loader loader(data.train, LoaderOptions{});   // harness/data/loader.h
//   json summary = data.info();         // for reports
//
// Sets (DataSpec::name_or_path): each is one DataSetEntry registered in its own file
// (harness/data/set_<name>.cpp) with one ESPBENCH_REGISTER_DATA_SET line; docs/extending.md.
//   fashion-mnist  gzipped (or plain) IDX files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
//                  t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; root defaults to
//                  $ESPBENCH_FASHION_MNIST, else /usr/share/datasets/fashion-mnist (Debian's
//                  dataset-fashion-mnist). Held in memory as one uint8 tensor per split.
//   cifar10        the binary version: data_batch_1..5.bin and test_batch.bin, each a whole number of
//                  3073-byte records (1 label byte + 3072 pixel bytes, CHW); root (or its
//                  cifar-10-batches-bin/ subfolder) is required, or $ESPBENCH_CIFAR10.
//   imagefolder    ImageNet layout root/train/<class>/*.jpg and root/val/<class>/*.jpg (also
//                  .jpeg, any case), decoded with libjpeg(-turbo) per sample. Class index = position
//                  of the class folder name in the sorted train/ folder list. Any other string that
//                  names a directory is taken as an image folder (or as fashion-mnist / cifar10
//                  when it holds their files).
//   synthetic      deterministic random images (class-dependent 8x8 patterns plus noise, so they are
//                  learnable), generated per sample: any shape/size, no memory, no files.
//
// Pixels are scaled to [0,1] and normalised per channel: Fashion-MNIST 0.2860/0.3530, CIFAR-10
// (0.4914,0.4822,0.4465)/(0.2470,0.2435,0.2616), image folders (0.485,0.456,0.406)/(0.229,0.224,
// 0.225), synthetic 0.5/0.29.
//
// Training augmentation (train split only, when DataSpec::augment):
//   small images (fashion-mnist, cifar10, synthetic): random crop of the original size from the image
//     zero-padded by crop_padding pixels on each side, then a horizontal flip with p = 0.5. Padding
//     is black, i.e. raw pixel 0 before normalisation (as torchvision's RandomCrop(padding=p) on the
//     raw image in the standard CIFAR recipe), not 0 after normalisation.
//   image folders: RandomResizedCrop(image_size, scale [scale_min, scale_max], ratio [3/4, 4/3]) as
//     torchvision draws it, then a horizontal flip with p = 0.5. Evaluation (and training with
//     augmentation off): shorter side resized to resize_size, centre crop image_size. Resampling is
//     antialiased bilinear (PIL-style triangle filter) straight from the crop box of the decoded
//     image; large downscales first use libjpeg's DCT scaling (1/2, 1/4, 1/8) when the box stays at
//     least the output size.
//
// Unreadable JPEGs are found when first decoded: a warning goes to stderr once per file, the file is
// counted in skipped_files() and from then on the next readable file of the split (by index, cyclic)
// stands in for it, so batches keep their size and the run its determinism.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "modules/options.h"
#include "modules/registry.h"

namespace espbench::data {

struct Normalization {
  std::vector<double> mean, std;  // one per channel, for pixels in [0, 1]
};

// One split of a data set. All methods are thread-safe (the loader calls get() from its workers).
class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual int64_t size() const = 0;       // examples used (after limit)
  virtual int64_t full_size() const = 0;  // examples present
  virtual int64_t num_classes() const = 0;
  virtual int64_t channels() const = 0;  // of the images get() writes
  virtual int64_t height() const = 0;
  virtual int64_t width() const = 0;
  virtual Normalization normalization() const = 0;
  // Whether this split has training augmentation configured (get()'s `augment` is a no-op if not).
  virtual bool has_augmentation() const = 0;
  virtual json augmentation() const = 0;  // settings, for reports
  virtual int64_t skipped_files() const { return 0; }

  // Writes example `index` (0 <= index < size()) into `out` as normalised float32 CHW
  // (channels() * height() * width() values) and returns its label in [0, num_classes()).
  // With `augment` (and has_augmentation()) the random augmentation is a function of `seed` only.
  virtual int64_t get(int64_t index, bool augment, uint64_t seed, float* out) const = 0;
  // The label get(index, ...) returns (for an image folder: before any unreadable-file stand-in).
  virtual int64_t label(int64_t index) const = 0;

  // Segmentation sets (dense labels): get() and label() throw; get_dense() writes the image as get()
  // does and its label map, height() * width() values in [0, num_classes()) or kIgnoreLabel. The
  // loader then makes int64 [N, H, W] label batches.
  virtual bool dense_labels() const { return false; }
  virtual void get_dense(int64_t index, bool augment, uint64_t seed, float* image, int64_t* labels) const;
  // Names of the classes, in class order, when the set knows them (else empty).
  virtual std::vector<std::string> class_names() const { return {}; }
};

// A pixel whose label is this value counts nowhere: no loss, no metric.
constexpr int64_t kIgnoreLabel = 255;

struct DataSpec {
  std::string name_or_path = "fashion-mnist";  // a name from data_set_names() or a directory
  std::string root;                            // folder holding the files ("" = the set's default, see above)
  int64_t limit_train = 0;                     // use only the first N training examples (0 = all)
  int64_t limit_test = 0;                      // use only the first N test examples (0 = all)
  bool augment = true;                         // training-split augmentation
  bool flip = true;                            // horizontal flip within the augmentation
  int64_t crop_padding = -1;                   // small images: -1 = auto (2 up to 28 px, else 4), 0 = no crop
  // Image folders.
  int64_t image_size = 224;   // training and evaluation crop (square)
  int64_t resize_size = 256;  // evaluation: shorter side before the centre crop (>= image_size)
  double scale_min = 0.08;    // random-resized-crop area fraction range
  double scale_max = 1.0;
  // Synthetic.
  int64_t synthetic_train = 1024, synthetic_test = 256;
  int64_t synthetic_channels = 3, synthetic_height = 32, synthetic_width = 32;
  int64_t synthetic_classes = 10;
  uint64_t synthetic_seed = 0;
  // Options of registered sets that have no field above (key -> value, resolved).
  json extra = json::object();
};

// JSON form of DataSpec: keys "name" (name_or_path), "root" and the field names above; missing keys
// take the defaults, unknown keys and bad values throw espbench::Error.
OptionSchema data_option_schema();
DataSpec data_spec_from_json(const json& options);
json to_json(const DataSpec& spec);

struct DataSplits {
  std::string name;  // resolved set: fashion-mnist, cifar10, imagefolder or synthetic
  std::string path;  // folder the files came from ("" for synthetic)
  std::shared_ptr<const Dataset> train, test;
  // name, path, train/test sizes (used and full), num_classes, channels, height, width,
  // normalization, augmentation, skipped_files (so far: image folders find bad files lazily).
  json info() const;
};

// One data set: its own options (rows of data_option_schema()) and how it opens.
struct DataSetEntry {
  std::string name;
  std::string description;  // one line
  int list_rank = 0;        // position in listings and error messages (then by name)
  OptionSchema options;     // keys only this set reads (DataSpec fields, or DataSpec::extra)
  // Checks the spec beyond the schema's ranges; may be empty.
  std::function<void(const DataSpec&)> validate;
  // Opens both splits. `root` is DataSpec::root, or the folder given as the name; "" when neither
  // (the set falls back on its default or says which folder it needs).
  std::function<DataSplits(const DataSpec& spec, const std::string& root)> open;
  // Whether a folder given by path holds this set; may be empty (never recognised). Folders are
  // offered to the sets in recognise_rank order.
  std::function<bool(const std::filesystem::path& folder)> recognise;
  int recognise_rank = 0;
};

Registry<DataSetEntry>& data_set_registry();

std::vector<std::string> data_set_names();
DataSplits open_data(const DataSpec& spec);

// Shared by the set files: $var when set and not empty, else `fallback`; whether `p` is a file.
std::string env_or(const char* var, const std::string& fallback);
bool exists_file(const std::filesystem::path& p);

}  // namespace espbench::data

#define ESPBENCH_REGISTER_DATA_SET(entry_expr) \
  ESPBENCH_REGISTER(::espbench::data::data_set_registry(), entry_expr)
