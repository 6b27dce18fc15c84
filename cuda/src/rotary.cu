// rotary.cu - from the fused QKV projection to attention's inputs, for every token t at position p
// (restarting at 0 in each sequence), head h and dim d < D (half = D/2):
//
//   q = (qkv[t, h*D + d] + bq) * D^-0.5,  k = qkv[t, E + h*D + d] + bk,  v = qkv[t, 2E + h*D + d] + bv
//   rot(x)[d]        = x[d] cos(p f_d) - x[d+half] sin(p f_d)        d < half   (half-split, as
//   rot(x)[d + half] = x[d+half] cos(p f_d) + x[d] sin(p f_d)                    fair-esm, NOT interleaved)
//
// with f = inv_freq exactly as the checkpoint stores it (fp16-rounded in published models). q and k
// are rotated, v is not. Angles are formed in FP64 (p * f reaches ~1e3 rad, where FP32 would lose
// ~1e-4 of phase), cos/sin rounded to FP32. Output layout: see HeadLayout; dims D..Dp-1 are zeroed
// so attention can run at a padded head dim (24 -> 32).
#include "device_common.cuh"
#include "rotary.h"

namespace esm2j {

namespace {

__global__ void rope_table_kernel(const float* __restrict__ inv_freq, int half, int n_pos, float2* __restrict__ table) {
    const int64_t n = (int64_t)n_pos * half;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        const int p = (int)(i / half), f = (int)(i % half);
        double s, c;
        sincos((double)p * (double)inv_freq[f], &s, &c);
        table[i] = make_float2((float)c, (float)s);
    }
}

template <typename T, bool USE_TABLE>
__global__ void qkv_rotary_kernel(const T* __restrict__ qkv, const float* __restrict__ bias,
                                  const float* __restrict__ inv_freq, const float2* __restrict__ table,
                                  const int* __restrict__ tok_pos, int n_heads, int head_dim, float q_scale,
                                  HeadLayout out) {
    const int t = blockIdx.x;
    const int hidden = n_heads * head_dim, half = head_dim / 2, dp = out.head_dim_padded;
    const int p = tok_pos[t];
    const T* row = qkv + (int64_t)t * 3 * hidden;
    T* q = static_cast<T*>(out.q) + (int64_t)t * out.row_stride;
    T* k = static_cast<T*>(out.k) + (int64_t)t * out.row_stride;
    T* v = static_cast<T*>(out.v) + (int64_t)t * out.row_stride;
    for (int j = threadIdx.x; j < n_heads * dp; j += blockDim.x) {
        const int h = j / dp, d = j % dp;
        const int64_t o = h * out.head_stride + d;
        if (d >= head_dim) {
            q[o] = k[o] = v[o] = from_f32<T>(0.f);
            continue;
        }
        const int i = d < half ? d : d - half;  // frequency index
        const int c = h * head_dim + d;         // column in q/k/v
        const int cp = d < half ? c + half : c - half;  // the partner in the rotation
        float cs, sn;
        if (USE_TABLE) {
            const float2 e = table[(int64_t)p * half + i];
            cs = e.x;
            sn = e.y;
        } else {
            double s, co;
            sincos((double)p * (double)inv_freq[i], &s, &co);
            cs = (float)co;
            sn = (float)s;
        }
        const float sign = d < half ? -1.f : 1.f;
        const float xq = (to_f32(row[c]) + bias[c]) * q_scale, pq = (to_f32(row[cp]) + bias[cp]) * q_scale;
        const float xk = to_f32(row[hidden + c]) + bias[hidden + c];
        const float pk = to_f32(row[hidden + cp]) + bias[hidden + cp];
        q[o] = from_f32<T>(xq * cs + sign * pq * sn);
        k[o] = from_f32<T>(xk * cs + sign * pk * sn);
        v[o] = from_f32<T>(to_f32(row[2 * hidden + c]) + bias[2 * hidden + c]);
    }
}

template <typename T>
cudaError_t qkv_rotary_typed(Variant variant, const T* qkv, const float* bias, const float* inv_freq,
                             const float2* table, const int* tok_pos, int n_tokens, int n_heads, int head_dim,
                             float q_scale, const HeadLayout& out, cudaStream_t stream) {
    const int threads = std::min(512, round_up(n_heads * out.head_dim_padded, 32));
    if (variant == Variant::Fast && table)
        qkv_rotary_kernel<T, true><<<n_tokens, threads, 0, stream>>>(qkv, bias, inv_freq, table, tok_pos, n_heads,
                                                                     head_dim, q_scale, out);
    else
        qkv_rotary_kernel<T, false><<<n_tokens, threads, 0, stream>>>(qkv, bias, inv_freq, table, tok_pos, n_heads,
                                                                      head_dim, q_scale, out);
    return cudaGetLastError();
}

}  // namespace

cudaError_t launch_rope_table(const float* inv_freq, int half, int n_pos, float2* table, cudaStream_t stream) {
    const int64_t total = (int64_t)n_pos * half;
    if (total <= 0) return cudaSuccess;
    rope_table_kernel<<<grid_stride_blocks(total, 256), 256, 0, stream>>>(inv_freq, half, n_pos, table);
    return cudaGetLastError();
}

cudaError_t launch_qkv_rotary(Variant variant, DType dtype, const void* qkv, const float* bias, const float* inv_freq,
                              const float2* table, const int* tok_pos, int n_tokens, int n_heads, int head_dim,
                              float q_scale, const HeadLayout& out, cudaStream_t stream) {
    if (n_tokens <= 0) return cudaSuccess;
    switch (dtype) {
        case DType::F32:
            return qkv_rotary_typed(variant, (const float*)qkv, bias, inv_freq, table, tok_pos, n_tokens, n_heads,
                                    head_dim, q_scale, out, stream);
        case DType::F16:
            return qkv_rotary_typed(variant, (const __half*)qkv, bias, inv_freq, table, tok_pos, n_tokens, n_heads,
                                    head_dim, q_scale, out, stream);
        case DType::BF16:
            return qkv_rotary_typed(variant, (const __nv_bfloat16*)qkv, bias, inv_freq, table, tok_pos, n_tokens,
                                    n_heads, head_dim, q_scale, out, stream);
    }
    return cudaErrorInvalidValue;
}

}  // namespace esm2j
