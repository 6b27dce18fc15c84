// bias_gelu.h - bias + erf-GELU after FC1 / the LM-head dense layer, and a plain FP32 bias add.
#pragma once

#include <cuda_runtime.h>

#include "common.h"

namespace esm2j {

// y[r, c] = gelu_erf(y[r, c] + bias[c]) for r < rows, c < cols. y: [rows, cols] compute dtype.
// If out_f32 is not NULL the result goes there ([rows, cols] FP32) and y is left unchanged.
cudaError_t launch_bias_gelu(Variant variant, DType dtype, void* y, const float* bias, float* out_f32, int64_t rows,
                             int cols, cudaStream_t stream);

// y[r, c] += bias[c], FP32 (the LM head's output bias on the logits).
cudaError_t launch_bias_add_f32(float* y, const float* bias, int64_t rows, int cols, cudaStream_t stream);

}  // namespace esm2j
