#include "modules/kernels/batch_norm_act.h"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "modules/kernels/batch_norm_act_isa.h"
#include "modules/kernels/switch.h"

namespace espbench::kernels {

IsaTable<BatchNormActLoops> batch_norm_act_loops("batch_norm_act");

namespace {

struct Dims {
  int64_t n, c, hw;
  int64_t count() const { return n * hw; }  // elements per channel
  int64_t run() const { return c * hw; }    // elements per image
};

// The batch is cut into this many fixed slices for the reductions; partial sums are added in
// slice order, so results do not depend on the thread count. Each slice keeps two or three
// image-sized float accumulators (capped at ~32 MB in all).
int64_t chunks(const Dims& d) {
  return std::max<int64_t>(
      1, std::min<int64_t>({d.n, 16, (int64_t{8} << 20) / std::max<int64_t>(1, 3 * d.run())}));
}

// Runs f(slice, image) for every image; slices in parallel.
template <typename F>
void for_chunks(const Dims& d, F&& f) {
  const int64_t t = chunks(d);
  at::parallel_for(0, t, 1, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k)
      for (int64_t n = k * d.n / t; n < (k + 1) * d.n / t; ++n) f(k, n);
  });
}

// Runs f(image) for every image, in parallel.
template <typename F>
void for_images(const Dims& d, F&& f) {
  at::parallel_for(0, d.n, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, d.run())),
                   [&](int64_t b, int64_t e) {
                     for (int64_t n = b; n < e; ++n) f(n);
                   });
}

// Per-channel values repeated over the H*W positions: loops over one image's contiguous C*H*W run
// then vectorise whatever the map size (the maps of 28x28 training are as small as 1x1).
std::vector<float> expand(const std::vector<float>& per_channel, int64_t hw) {
  std::vector<float> out(per_channel.size() * static_cast<size_t>(hw));
  for (size_t c = 0; c < per_channel.size(); ++c)
    std::fill(out.begin() + static_cast<int64_t>(c) * hw, out.begin() + static_cast<int64_t>(c + 1) * hw,
              per_channel[c]);
  return out;
}

// Sums each channel's H*W positions of the slices' accumulators, in order, in double.
std::vector<double> fold(const std::vector<float>& parts, const Dims& d, int64_t slices) {
  std::vector<double> out(static_cast<size_t>(d.c), 0.0);
  for (int64_t k = 0; k < slices; ++k)
    for (int64_t c = 0; c < d.c; ++c)
      for (int64_t i = 0; i < d.hw; ++i) out[c] += parts[k * d.run() + c * d.hw + i];
  return out;
}

// The activation's slope (1, 0 or the PReLU weight) per (channel, position); all ones for None.
std::vector<float> negative_slopes(const at::Tensor& alpha, PostAct act, const Dims& d) {
  std::vector<float> a(static_cast<size_t>(d.c), act == PostAct::None ? 1.0f : 0.0f);
  if (act == PostAct::PReLU)
    for (int64_t c = 0; c < d.c; ++c) a[c] = alpha.data_ptr<float>()[alpha.numel() == 1 ? 0 : c];
  return expand(a, d.hw);
}

// z = x * scale + shift per channel (BN in training mode folded into an affine map).
void affine_of(const float* gamma, const float* beta, const float* mean, const float* invstd, const Dims& d,
               std::vector<float>& scale, std::vector<float>& shift) {
  scale.resize(static_cast<size_t>(d.c)), shift.resize(static_cast<size_t>(d.c));
  for (int64_t c = 0; c < d.c; ++c) {
    scale[c] = gamma[c] * invstd[c];
    shift[c] = beta[c] - mean[c] * scale[c];
  }
}

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct BatchNormActFunction : torch::autograd::Function<BatchNormActFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& gamma,
                            const at::Tensor& beta, const at::Tensor& alpha_in, at::Tensor running_mean,
                            at::Tensor running_var, at::Tensor num_batches_tracked, double momentum,
                            double eps, int64_t act_code) {
    const BatchNormActLoops& loops = batch_norm_act_loops.get();
    const at::Tensor x = x_in.contiguous();
    const at::Tensor alpha = alpha_in.contiguous();
    const Dims d{x.size(0), x.size(1), x.size(2) * x.size(3)};
    const int64_t run = d.run(), t = chunks(d);
    const PostAct act = static_cast<PostAct>(act_code);
    const float* xp = x.data_ptr<float>();

    std::vector<float> part_s(static_cast<size_t>(t * run), 0.0f), part_q(part_s.size(), 0.0f);
    for_chunks(d, [&](int64_t k, int64_t n) {
      loops.add_sum_sq(xp + n * run, &part_s[k * run], &part_q[k * run], run);
    });
    const std::vector<double> sum = fold(part_s, d, t), sq = fold(part_q, d, t);
    const double m = static_cast<double>(d.count());
    at::Tensor mean = at::empty({d.c}, x.options()), invstd = at::empty({d.c}, x.options());
    float* mp = mean.data_ptr<float>();
    float* ip = invstd.data_ptr<float>();
    std::vector<double> var(static_cast<size_t>(d.c));
    for (int64_t c = 0; c < d.c; ++c) {
      const double mu = sum[c] / m;
      var[c] = std::max(0.0, sq[c] / m - mu * mu);
      mp[c] = static_cast<float>(mu);
      ip[c] = static_cast<float>(1.0 / std::sqrt(var[c] + eps));
    }
    {  // running statistics, as BatchNorm2d: unbiased variance, momentum or cumulative average
      at::NoGradGuard no_grad;
      num_batches_tracked.add_(1);
      const double f =
          momentum >= 0 ? momentum : 1.0 / static_cast<double>(num_batches_tracked.item<int64_t>());
      float* rm = running_mean.data_ptr<float>();
      float* rv = running_var.data_ptr<float>();
      for (int64_t c = 0; c < d.c; ++c) {
        rm[c] = static_cast<float>((1 - f) * rm[c] + f * mp[c]);
        rv[c] = static_cast<float>((1 - f) * rv[c] + f * var[c] * m / (m - 1));
      }
    }
    std::vector<float> scale, shift;
    affine_of(gamma.data_ptr<float>(), beta.data_ptr<float>(), mp, ip, d, scale, shift);
    const std::vector<float> sc = expand(scale, d.hw), sh = expand(shift, d.hw),
                             neg = negative_slopes(alpha, act, d);
    at::Tensor y = at::empty_like(x);
    float* yp = y.data_ptr<float>();
    for_images(d, [&](int64_t n) {
      loops.affine_act(xp + n * run, sc.data(), sh.data(), neg.data(), yp + n * run, run);
    });
    ctx->save_for_backward({x, gamma, beta, alpha, mean, invstd});
    ctx->saved_data["act"] = act_code;
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const BatchNormActLoops& loops = batch_norm_act_loops.get();
    const auto saved = ctx->get_saved_variables();
    const at::Tensor &x = saved[0], &gamma = saved[1], &beta = saved[2], &alpha = saved[3];
    const float* mp = saved[4].data_ptr<float>();
    const float* ip = saved[5].data_ptr<float>();
    const PostAct act = static_cast<PostAct>(ctx->saved_data["act"].toInt());
    const at::Tensor gy = grads[0].contiguous();
    const Dims d{x.size(0), x.size(1), x.size(2) * x.size(3)};
    const int64_t run = d.run(), t = chunks(d);
    const float* xp = x.data_ptr<float>();
    const float* gyp = gy.data_ptr<float>();
    std::vector<float> scale, shift;
    affine_of(gamma.data_ptr<float>(), beta.data_ptr<float>(), mp, ip, d, scale, shift);
    const std::vector<float> sc = expand(scale, d.hw), sh = expand(shift, d.hw),
                             neg = negative_slopes(alpha, act, d);

    // Pass 1: per channel sum(gz), sum(gz * x) and, for PReLU, sum(gy * z) where z <= 0.
    std::vector<float> part_g(static_cast<size_t>(t * run), 0.0f), part_gx(part_g.size(), 0.0f);
    std::vector<float> part_a(act == PostAct::PReLU ? part_g.size() : 0, 0.0f);
    for_chunks(d, [&](int64_t k, int64_t n) {
      loops.add_grad_sums(xp + n * run, gyp + n * run, sc.data(), sh.data(), neg.data(), &part_g[k * run],
                          &part_gx[k * run], part_a.empty() ? nullptr : &part_a[k * run], run);
    });
    const std::vector<double> sum_g = fold(part_g, d, t), sum_gx = fold(part_gx, d, t);
    at::Tensor g_gamma = at::empty({d.c}, x.options()), g_beta = at::empty({d.c}, x.options());
    at::Tensor g_alpha;
    if (act == PostAct::PReLU) {
      const std::vector<double> sum_a = fold(part_a, d, t);
      g_alpha = at::zeros_like(alpha);
      float* ga = g_alpha.data_ptr<float>();
      for (int64_t c = 0; c < d.c; ++c) ga[alpha.numel() == 1 ? 0 : c] += static_cast<float>(sum_a[c]);
    }
    // gx = scale * (gz - mean(gz) - xhat * mean(gz * xhat)) = scale * gz + p + q * x per channel.
    const double m = static_cast<double>(d.count());
    std::vector<float> p(static_cast<size_t>(d.c)), q(static_cast<size_t>(d.c));
    for (int64_t c = 0; c < d.c; ++c) {
      const double gb = sum_g[c], gg = ip[c] * (sum_gx[c] - mp[c] * sum_g[c]);  // sum(gz), sum(gz * xhat)
      g_beta.data_ptr<float>()[c] = static_cast<float>(gb);
      g_gamma.data_ptr<float>()[c] = static_cast<float>(gg);
      q[c] = static_cast<float>(-scale[c] * ip[c] * gg / m);
      p[c] = static_cast<float>(-scale[c] * gb / m - q[c] * static_cast<double>(mp[c]));
    }
    at::Tensor gx;
    if (ctx->needs_input_grad(0)) {
      const std::vector<float> pe = expand(p, d.hw), qe = expand(q, d.hw);
      gx = at::empty_like(x);
      float* gxp = gx.data_ptr<float>();
      for_images(d, [&](int64_t n) {
        loops.grad_input(xp + n * run, gyp + n * run, sc.data(), sh.data(), neg.data(), pe.data(), qe.data(),
                         gxp + n * run, run);
      });
    }
    return {gx,
            ctx->needs_input_grad(1) ? g_gamma : at::Tensor(),
            ctx->needs_input_grad(2) ? g_beta : at::Tensor(),
            g_alpha.defined() && ctx->needs_input_grad(3) ? g_alpha : at::Tensor(),
            at::Tensor(),
            at::Tensor(),
            at::Tensor(),
            at::Tensor(),
            at::Tensor(),
            at::Tensor()};
  }
};

// PReLU alone (after a residual add or a concat), on the same loops: z = x (scale 1, shift 0).
struct PReLUFunction : torch::autograd::Function<PReLUFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& alpha_in) {
    const BatchNormActLoops& loops = batch_norm_act_loops.get();
    const at::Tensor x = x_in.contiguous(), alpha = alpha_in.contiguous();
    const Dims d{x.size(0), x.size(1), x.size(2) * x.size(3)};
    const std::vector<float> one(static_cast<size_t>(d.run()), 1.0f), zero(one.size(), 0.0f);
    const std::vector<float> neg = negative_slopes(alpha, PostAct::PReLU, d);
    at::Tensor y = at::empty_like(x);
    const float* xp = x.data_ptr<float>();
    float* yp = y.data_ptr<float>();
    for_images(d, [&](int64_t n) {
      loops.affine_act(xp + n * d.run(), one.data(), zero.data(), neg.data(), yp + n * d.run(), d.run());
    });
    ctx->save_for_backward({x, alpha});
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const BatchNormActLoops& loops = batch_norm_act_loops.get();
    const auto saved = ctx->get_saved_variables();
    const at::Tensor &x = saved[0], &alpha = saved[1];
    const at::Tensor gy = grads[0].contiguous();
    const Dims d{x.size(0), x.size(1), x.size(2) * x.size(3)};
    const int64_t run = d.run(), t = chunks(d);
    const std::vector<float> one(static_cast<size_t>(run), 1.0f), zero(one.size(), 0.0f);
    const std::vector<float> neg = negative_slopes(alpha, PostAct::PReLU, d);
    const float* xp = x.data_ptr<float>();
    const float* gyp = gy.data_ptr<float>();
    at::Tensor gx;
    if (ctx->needs_input_grad(0)) {
      gx = at::empty_like(x);
      float* gxp = gx.data_ptr<float>();
      for_images(d, [&](int64_t n) {
        loops.grad_input(xp + n * run, gyp + n * run, one.data(), zero.data(), neg.data(), zero.data(),
                         zero.data(), gxp + n * run, run);
      });
    }
    at::Tensor ga;
    if (ctx->needs_input_grad(1)) {
      std::vector<float> part_g(static_cast<size_t>(t * run), 0.0f), part_gx(part_g.size(), 0.0f),
          part_a(part_g.size(), 0.0f);
      for_chunks(d, [&](int64_t k, int64_t n) {
        loops.add_grad_sums(xp + n * run, gyp + n * run, one.data(), zero.data(), neg.data(),
                            &part_g[k * run], &part_gx[k * run], &part_a[k * run], run);
      });
      const std::vector<double> sum_a = fold(part_a, d, t);
      ga = at::zeros_like(alpha);
      float* gap = ga.data_ptr<float>();
      for (int64_t c = 0; c < d.c; ++c) gap[alpha.numel() == 1 ? 0 : c] += static_cast<float>(sum_a[c]);
    }
    return {gx, ga};
  }
};

}  // namespace

bool native_batch_norm_act_applies(const at::Tensor& x, const BatchNormState& bn) {
  return native_kernels_enabled() && x.device().is_cpu() && x.scalar_type() == at::kFloat && x.dim() == 4 &&
         x.layout() == at::kStrided && x.size(0) * x.size(2) * x.size(3) > 1 && bn.weight.defined() &&
         bn.bias.defined() && bn.running_mean.defined() && bn.running_var.defined() &&
         bn.num_batches_tracked.defined() && bn.weight.scalar_type() == at::kFloat &&
         bn.running_mean.scalar_type() == at::kFloat && bn.running_mean.is_contiguous() &&
         bn.running_var.is_contiguous();
}

at::Tensor batch_norm_act(const at::Tensor& x, const BatchNormState& bn, const at::Tensor& prelu_weight,
                          PostAct act) {
  at::RecordFunction record(at::RecordScope::FUNCTION);
  if (record.isActive()) record.before(kBatchNormActOpName);
  // Function::apply takes no undefined tensors: "no PReLU" is an empty one.
  const at::Tensor alpha = act == PostAct::PReLU ? prelu_weight : at::empty({0}, x.options());
  return BatchNormActFunction::apply(x, bn.weight, bn.bias, alpha, bn.running_mean, bn.running_var,
                                     bn.num_batches_tracked, bn.momentum ? *bn.momentum : -1.0, bn.eps,
                                     static_cast<int64_t>(act));
}

}  // namespace espbench::kernels

namespace espbench::kernels {

bool native_prelu_applies(const at::Tensor& x, const at::Tensor& weight) {
  return native_kernels_enabled() && x.device().is_cpu() && x.scalar_type() == at::kFloat && x.dim() == 4 &&
         x.layout() == at::kStrided && weight.scalar_type() == at::kFloat && weight.device().is_cpu() &&
         (weight.numel() == 1 || weight.numel() == x.size(1));
}

at::Tensor prelu(const at::Tensor& x, const at::Tensor& weight) {
  at::RecordFunction record(at::RecordScope::FUNCTION);
  if (record.isActive()) record.before(kPReLUOpName);
  return PReLUFunction::apply(x, weight);
}

}  // namespace espbench::kernels
