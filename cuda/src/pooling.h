// pooling.h - per-sequence mean over residues and the BOS row, FP32.
#pragma once

#include <cuda_runtime.h>

#include "common.h"

namespace esm2j {

// x: [N, E] FP32 (a representation layer). For each sequence s with tokens [a, b):
//   mean[s, :] = mean of x[a+1 .. b-2, :]  (residues only; 0 when the sequence has none)
//   bos[s, :]  = x[a, :]
// Either output may be NULL.
cudaError_t launch_pool(Variant variant, const float* x, const int* cu_seqlens, int n_seqs, int hidden, float* mean,
                        float* bos, cudaStream_t stream);

}  // namespace esm2j
