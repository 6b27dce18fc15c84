// rotary.h - QKV bias, query scaling, rotary position embedding and the head layout for attention.
#pragma once

#include <cuda_runtime.h>

#include "common.h"

namespace esm2j {

// Where attention reads q, k, v: element (token t, head h, dim d) of q is
// q[t * row_stride + h * head_stride + d], d < head_dim_padded (dims >= head_dim are zero).
struct HeadLayout {
    void* q;
    void* k;
    void* v;
    int64_t row_stride;
    int64_t head_stride;
    int head_dim_padded;
};

// table[p * half + i] = (cos, sin)(p * inv_freq[i]) for p < n_pos, i < half; angle in FP64.
cudaError_t launch_rope_table(const float* inv_freq, int half, int n_pos, float2* table, cudaStream_t stream);

// qkv: [N, 3E] compute dtype (q | k | v, head-major inside each: column h*D + d), bias: [3E] FP32.
// Writes q = rot((qkv_q + b_q) * q_scale), k = rot(qkv_k + b_k), v = qkv_v + b_v into `out`.
// The fast variant reads cos/sin from `table` (n_pos >= longest sequence), the reference one
// computes them from inv_freq itself.
cudaError_t launch_qkv_rotary(Variant variant, DType dtype, const void* qkv, const float* bias, const float* inv_freq,
                              const float2* table, const int* tok_pos, int n_tokens, int n_heads, int head_dim,
                              float q_scale, const HeadLayout& out, cudaStream_t stream);

}  // namespace esm2j
