// layernorm.h - fused (bias + residual add) + LayerNorm over rows of the FP32 residual stream.
#pragma once

#include <cuda_runtime.h>

#include "common.h"

namespace esm2j {

// For each row r < n_rows of x ([n_rows, hidden], FP32, updated in place when y is given):
//   if y:     x[r] += y[r] + y_bias            (y: compute dtype; y_bias: FP32 [hidden] or NULL)
//   out_h[r] = (x[r] - mean) / sqrt(var + eps) * gamma + beta   (compute dtype; NULL to skip)
//   out_f[r] = the same in FP32                                  (NULL to skip)
// Statistics in FP32, two passes (mean, then centred variance), biased variance as PyTorch.
cudaError_t launch_add_layernorm(Variant variant, DType dtype, float* x, const void* y, const float* y_bias,
                                 const float* gamma, const float* beta, float eps, void* out_h, float* out_f,
                                 int n_rows, int hidden, cudaStream_t stream);

}  // namespace esm2j
