// layernorm.cu - fused residual add + LayerNorm, the join between sub-layers of a pre-LN block:
//
//   x[r, :] += y[r, :] + b              (when y is given: the sub-layer output and its bias)
//   h[r, :]  = (x[r, :] - mu) * rstd * gamma + beta,   mu = mean(x[r]), rstd = 1/sqrt(var(x[r]) + eps)
//
// x: [N, E] FP32 residual stream (kept in FP32 so that the representations the caller pools are
// not rounded to BF16); y: [N, E] compute dtype; b, gamma, beta: [E] FP32; h: [N, E] compute
// dtype and/or FP32. The fast kernel keeps its part of the row in registers (16-byte loads,
// one block per row, block reductions); the reference kernel is one thread per row.
#include "device_common.cuh"
#include "layernorm.h"

namespace esm2j {

namespace {

constexpr int kMaxChunks = 8;  // float4 chunks per thread: E <= 8 * 4 * 256 = 8192

template <typename T, int CHUNKS>
__global__ void add_layernorm_kernel(float* __restrict__ x, const T* __restrict__ y, const float* __restrict__ y_bias,
                                     const float* __restrict__ gamma, const float* __restrict__ beta, float eps,
                                     T* __restrict__ out_h, float* __restrict__ out_f, int hidden) {
    __shared__ float scratch[32];
    const int64_t row = blockIdx.x;
    float* xr = x + row * hidden;
    float4 v[CHUNKS];
    float sum = 0.f;
#pragma unroll
    for (int c = 0; c < CHUNKS; ++c) {
        const int e = (c * blockDim.x + threadIdx.x) * 4;
        v[c] = make_float4(0.f, 0.f, 0.f, 0.f);
        if (e < hidden) {
            v[c] = load4_f32(xr + e);
            if (y) {
                const float4 a = load4_f32(y + row * hidden + e);
                const float4 b = y_bias ? load4_f32(y_bias + e) : make_float4(0.f, 0.f, 0.f, 0.f);
                v[c].x += a.x + b.x;
                v[c].y += a.y + b.y;
                v[c].z += a.z + b.z;
                v[c].w += a.w + b.w;
                store4_f32(xr + e, v[c]);
            }
            sum += (v[c].x + v[c].y) + (v[c].z + v[c].w);
        }
    }
    const float mean = block_sum(sum, scratch) / hidden;
    float sq = 0.f;
#pragma unroll
    for (int c = 0; c < CHUNKS; ++c) {
        const int e = (c * blockDim.x + threadIdx.x) * 4;
        if (e < hidden) {
            const float a = v[c].x - mean, b = v[c].y - mean, d = v[c].z - mean, f = v[c].w - mean;
            sq += (a * a + b * b) + (d * d + f * f);
        }
    }
    const float rstd = rsqrtf(block_sum(sq, scratch) / hidden + eps);
#pragma unroll
    for (int c = 0; c < CHUNKS; ++c) {
        const int e = (c * blockDim.x + threadIdx.x) * 4;
        if (e < hidden) {
            const float4 g = load4_f32(gamma + e), b = load4_f32(beta + e);
            float4 o;
            o.x = (v[c].x - mean) * rstd * g.x + b.x;
            o.y = (v[c].y - mean) * rstd * g.y + b.y;
            o.z = (v[c].z - mean) * rstd * g.z + b.z;
            o.w = (v[c].w - mean) * rstd * g.w + b.w;
            if (out_h) store4_f32(out_h + row * hidden + e, o);
            if (out_f) store4_f32(out_f + row * hidden + e, o);
        }
    }
}

template <typename T>
__global__ void add_layernorm_reference_kernel(float* x, const T* y, const float* y_bias, const float* gamma,
                                               const float* beta, float eps, T* out_h, float* out_f, int n_rows,
                                               int hidden) {
    const int64_t row = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
    if (row >= n_rows) return;
    float* xr = x + row * hidden;
    if (y)
        for (int e = 0; e < hidden; ++e) xr[e] += to_f32(y[row * hidden + e]) + (y_bias ? y_bias[e] : 0.f);
    float mean = 0.f;
    for (int e = 0; e < hidden; ++e) mean += xr[e];
    mean /= hidden;
    float var = 0.f;
    for (int e = 0; e < hidden; ++e) var += (xr[e] - mean) * (xr[e] - mean);
    var /= hidden;
    const float rstd = 1.f / sqrtf(var + eps);
    for (int e = 0; e < hidden; ++e) {
        const float o = (xr[e] - mean) * rstd * gamma[e] + beta[e];
        if (out_h) out_h[row * hidden + e] = from_f32<T>(o);
        if (out_f) out_f[row * hidden + e] = o;
    }
}

template <typename T>
cudaError_t add_layernorm_typed(Variant variant, float* x, const T* y, const float* y_bias, const float* gamma,
                                const float* beta, float eps, T* out_h, float* out_f, int n_rows, int hidden,
                                cudaStream_t stream) {
    const int quads = hidden / 4;
    const int threads = std::min(256, round_up(std::max(quads, 1), 32));
    const int chunks = ceil_div(quads, threads);
    // 8-byte (2-byte types) or 16-byte (float) accesses need every pointer aligned accordingly.
    const bool vector_ok = hidden % 4 == 0 && chunks <= kMaxChunks && aligned16(x) && aligned16(gamma) &&
                           aligned16(beta) && (!y_bias || aligned16(y_bias)) && (!y || aligned16(y)) &&
                           (!out_h || aligned16(out_h)) && (!out_f || aligned16(out_f));
    if (variant == Variant::Fast && vector_ok) {
#define ESM2J_LN_CASE(C)                                                                                           \
    case C:                                                                                                        \
        add_layernorm_kernel<T, C><<<n_rows, threads, 0, stream>>>(x, y, y_bias, gamma, beta, eps, out_h, out_f, \
                                                                   hidden);                                        \
        break;
        switch (chunks) {
            ESM2J_LN_CASE(1)
            ESM2J_LN_CASE(2)
            ESM2J_LN_CASE(3)
            ESM2J_LN_CASE(4)
            ESM2J_LN_CASE(5)
            ESM2J_LN_CASE(6)
            ESM2J_LN_CASE(7)
            ESM2J_LN_CASE(8)
        }
#undef ESM2J_LN_CASE
    } else {
        add_layernorm_reference_kernel<T><<<ceil_div(n_rows, 128), 128, 0, stream>>>(x, y, y_bias, gamma, beta, eps,
                                                                                      out_h, out_f, n_rows, hidden);
    }
    return cudaGetLastError();
}

}  // namespace

cudaError_t launch_add_layernorm(Variant variant, DType dtype, float* x, const void* y, const float* y_bias,
                                 const float* gamma, const float* beta, float eps, void* out_h, float* out_f,
                                 int n_rows, int hidden, cudaStream_t stream) {
    if (n_rows <= 0) return cudaSuccess;
    switch (dtype) {
        case DType::F32:
            return add_layernorm_typed(variant, x, (const float*)y, y_bias, gamma, beta, eps, (float*)out_h, out_f,
                                       n_rows, hidden, stream);
        case DType::F16:
            return add_layernorm_typed(variant, x, (const __half*)y, y_bias, gamma, beta, eps, (__half*)out_h, out_f,
                                       n_rows, hidden, stream);
        case DType::BF16:
            return add_layernorm_typed(variant, x, (const __nv_bfloat16*)y, y_bias, gamma, beta, eps,
                                       (__nv_bfloat16*)out_h, out_f, n_rows, hidden, stream);
    }
    return cudaErrorInvalidValue;
}

}  // namespace esm2j
