// attention_reference.cu - the simplest correct attention, for checking the others:
//
//   s_u = scale * q_t . k_u,   m = max_u s_u,   o_t = sum_u exp(s_u - m) v_u / sum_u exp(s_u - m)
//
// for every query token t and head h, over the keys u of t's own sequence (packed layout and
// strides in AttentionParams). One thread per (query, head), FP32 arithmetic, two passes over the
// keys (max, then exponentials and the weighted sum). Slow and obviously right.
#include "attention.h"
#include "device_common.cuh"

namespace esm2j {

namespace {

constexpr int kMaxDim = 128;

template <typename T>
__global__ void attention_reference_kernel(AttentionParams p) {
    const int seq = blockIdx.z, h = blockIdx.y;
    const int start = p.cu_seqlens[seq], len = p.cu_seqlens[seq + 1] - start;
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= len) return;
    const T* q = static_cast<const T*>(p.q) + (int64_t)(start + i) * p.qkv_row_stride + (int64_t)h * p.qkv_head_stride;
    const T* k = static_cast<const T*>(p.k) + (int64_t)start * p.qkv_row_stride + (int64_t)h * p.qkv_head_stride;
    const T* v = static_cast<const T*>(p.v) + (int64_t)start * p.qkv_row_stride + (int64_t)h * p.qkv_head_stride;
    const int dim = p.head_dim;
    float qf[kMaxDim];
    for (int d = 0; d < dim; ++d) qf[d] = to_f32(q[d]);
    float m = -INFINITY;
    for (int u = 0; u < len; ++u) {
        float s = 0.f;
        for (int d = 0; d < dim; ++d) s += qf[d] * to_f32(k[(int64_t)u * p.qkv_row_stride + d]);
        m = fmaxf(m, s * p.softmax_scale);
    }
    float acc[kMaxDim];
    for (int d = 0; d < dim; ++d) acc[d] = 0.f;
    float l = 0.f;
    for (int u = 0; u < len; ++u) {
        float s = 0.f;
        for (int d = 0; d < dim; ++d) s += qf[d] * to_f32(k[(int64_t)u * p.qkv_row_stride + d]);
        const float e = expf(s * p.softmax_scale - m);
        l += e;
        for (int d = 0; d < dim; ++d) acc[d] += e * to_f32(v[(int64_t)u * p.qkv_row_stride + d]);
    }
    T* o = static_cast<T*>(p.o) + (int64_t)(start + i) * p.o_row_stride + (int64_t)h * p.o_head_stride;
    for (int d = 0; d < dim; ++d) o[d] = from_f32<T>(acc[d] / l);
}

}  // namespace

cudaError_t launch_attention_reference(const AttentionParams& p, cudaStream_t stream) {
    if (p.head_dim > kMaxDim || p.head_dim <= 0) return cudaErrorNotSupported;
    if (p.n_seqs <= 0 || p.max_seqlen <= 0) return cudaSuccess;
    const int threads = 64;
    return for_each_sequence_chunk(p, [&](const AttentionParams& c) {
        const dim3 grid(ceil_div(c.max_seqlen, threads), c.n_heads, c.n_seqs);  // slices of <= 65535 sequences
        switch (c.dtype) {
            case DType::F32: attention_reference_kernel<float><<<grid, threads, 0, stream>>>(c); break;
            case DType::F16: attention_reference_kernel<__half><<<grid, threads, 0, stream>>>(c); break;
            case DType::BF16: attention_reference_kernel<__nv_bfloat16><<<grid, threads, 0, stream>>>(c); break;
        }
        return cudaGetLastError();
    });
}

}  // namespace esm2j
