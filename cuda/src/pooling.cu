// pooling.cu - sequence-level outputs of one representation layer (fair-esm esm-extract semantics):
//
//   mean[s, e] = 1/(T-2) * sum_{t=1}^{T-2} x[a+t, e]     (BOS and EOS excluded; 0 if T == 2)
//   bos[s, e]  = x[a, e]
//
// x: [N, E] FP32 packed rows, sequence s = rows [a, a+T) with a = cu_seqlens[s]; mean, bos: [n_seqs, E]
// FP32. Fast: each thread owns 4 adjacent columns (16-byte loads, coalesced across the warp) and
// walks the sequence's rows; the grid spans (column blocks, sequences), launched in slices of at most
// 65535 sequences. Reference: one thread per output element (grid-stride).
#include "device_common.cuh"
#include "pooling.h"

namespace esm2j {

namespace {

__global__ void pool_kernel(const float* __restrict__ x, const int* __restrict__ cu_seqlens, int hidden,
                            float* __restrict__ mean, float* __restrict__ bos) {
    const int s = blockIdx.y;
    const int e = (blockIdx.x * blockDim.x + threadIdx.x) * 4;
    if (e >= hidden) return;
    const int a = cu_seqlens[s], b = cu_seqlens[s + 1];
    if (bos) store4_f32(bos + (int64_t)s * hidden + e, load4_f32(x + (int64_t)a * hidden + e));
    if (!mean) return;
    float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
    for (int t = a + 1; t < b - 1; ++t) {
        const float4 v = load4_f32(x + (int64_t)t * hidden + e);
        acc.x += v.x;
        acc.y += v.y;
        acc.z += v.z;
        acc.w += v.w;
    }
    const int n = b - a - 2;
    const float inv = n > 0 ? 1.f / (float)n : 0.f;
    store4_f32(mean + (int64_t)s * hidden + e, make_float4(acc.x * inv, acc.y * inv, acc.z * inv, acc.w * inv));
}

__global__ void pool_reference_kernel(const float* x, const int* cu_seqlens, int n_seqs, int hidden, float* mean,
                                      float* bos) {
    const int64_t n = (int64_t)n_seqs * hidden;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        const int s = (int)(i / hidden), e = (int)(i % hidden);
        const int a = cu_seqlens[s], b = cu_seqlens[s + 1];
        if (bos) bos[i] = x[(int64_t)a * hidden + e];
        if (mean) {
            double acc = 0.0;
            for (int t = a + 1; t < b - 1; ++t) acc += x[(int64_t)t * hidden + e];
            mean[i] = b - a > 2 ? (float)(acc / (b - a - 2)) : 0.f;
        }
    }
}

}  // namespace

cudaError_t launch_pool(Variant variant, const float* x, const int* cu_seqlens, int n_seqs, int hidden, float* mean,
                        float* bos, cudaStream_t stream) {
    if (n_seqs <= 0 || (!mean && !bos)) return cudaSuccess;
    const bool vector_ok = hidden % 4 == 0 && aligned16(x) && (!mean || aligned16(mean)) && (!bos || aligned16(bos));
    if (variant == Variant::Fast && vector_ok) {
        const int threads = std::min(128, round_up(hidden / 4, 32));
        // Sequences on grid.y, in slices of at most 65535 (cu_seqlens holds absolute token offsets, so x needs none).
        for (int s0 = 0; s0 < n_seqs; s0 += (int)kMaxGridYZ) {
            const int slice = (int)std::min<int64_t>(kMaxGridYZ, (int64_t)n_seqs - s0);
            const dim3 grid(ceil_div(hidden / 4, threads), slice);
            float* mean_s0 = mean ? mean + (int64_t)s0 * hidden : nullptr;
            float* bos_s0 = bos ? bos + (int64_t)s0 * hidden : nullptr;
            pool_kernel<<<grid, threads, 0, stream>>>(x, cu_seqlens + s0, hidden, mean_s0, bos_s0);
            const cudaError_t err = cudaGetLastError();
            if (err != cudaSuccess) return err;
        }
        return cudaSuccess;
    }
    const int64_t n = (int64_t)n_seqs * hidden;
    pool_reference_kernel<<<grid_stride_blocks(n, 256), 256, 0, stream>>>(x, cu_seqlens, n_seqs, hidden, mean, bos);
    return cudaGetLastError();
}

}  // namespace esm2j
