// embed.cu - embedding lookup and token dropout, as fair-esm's ESM2.forward computes them:
//
//   x[t, e] = embed[tok[t], e]                              embed: [V, E] compute dtype
//   x[t, :] = 0                          if tok[t] == <mask>   (token_dropout)
//   x[t, :] *= (1 - 0.12) / (1 - n_mask(s) / T(s))          for every token t of sequence s
//
// where T(s) counts <cls> and <eos> and n_mask(s) the <mask> tokens of s. Output x: [N, E] FP32,
// the residual stream (representation layer 0). Sequences are packed: s covers tokens
// [cu_seqlens[s], cu_seqlens[s+1]).
#include "device_common.cuh"
#include "embed.h"

namespace esm2j {

namespace {

constexpr float kMaskRatioTrain = 0.15f * 0.8f;

__device__ __forceinline__ float dropout_scale(int n_mask, int len) {
    // fair-esm divides by (1 - observed ratio); a sequence of masks only would divide by zero:
    // we return 0 there instead of inf.
    const double observed = (double)n_mask / (double)len;
    return observed >= 1.0 ? 0.f : (float)((1.0 - (double)kMaskRatioTrain) / (1.0 - observed));
}

// One block per sequence: count masks (block reduction), then label every token.
__global__ void batch_meta_kernel(const int* __restrict__ tokens, const int* __restrict__ cu_seqlens, int mask_id,
                                  int token_dropout, int* __restrict__ tok_seq, int* __restrict__ tok_pos,
                                  float* __restrict__ seq_scale) {
    __shared__ float scratch[32];
    const int s = blockIdx.x;
    const int start = cu_seqlens[s], end = cu_seqlens[s + 1];
    float masks = 0.f;
    for (int t = start + threadIdx.x; t < end; t += blockDim.x) {
        masks += tokens[t] == mask_id ? 1.f : 0.f;
        tok_seq[t] = s;
        tok_pos[t] = t - start;
    }
    masks = block_sum(masks, scratch);
    if (threadIdx.x == 0) seq_scale[s] = token_dropout ? dropout_scale((int)masks, end - start) : 1.f;
}

// Fast: one block per token, 16-byte loads of the embedding row.
template <typename T>
__global__ void embed_kernel(const T* __restrict__ embed, const int* __restrict__ tokens,
                             const int* __restrict__ tok_seq, const float* __restrict__ seq_scale, int hidden,
                             int mask_id, int token_dropout, float* __restrict__ x) {
    constexpr int N = Pack16<T>::N;
    const int t = blockIdx.x;
    const int tok = tokens[t];
    const bool zero = token_dropout && tok == mask_id;
    const float scale = seq_scale[tok_seq[t]];
    const T* row = embed + (int64_t)tok * hidden;
    float* out = x + (int64_t)t * hidden;
    for (int e = threadIdx.x * N; e < hidden; e += blockDim.x * N) {
        const Pack16<T> p = load16(row + e);
#pragma unroll
        for (int i = 0; i < N; i += 4) {
            float4 o;
            o.x = zero ? 0.f : to_f32(p.v[i + 0]) * scale;
            o.y = zero ? 0.f : to_f32(p.v[i + 1]) * scale;
            o.z = zero ? 0.f : to_f32(p.v[i + 2]) * scale;
            o.w = zero ? 0.f : to_f32(p.v[i + 3]) * scale;
            *reinterpret_cast<float4*>(out + e + i) = o;
        }
    }
}

// Reference: one thread per output element (grid-stride); finds its sequence and counts its masks itself.
template <typename T>
__global__ void embed_reference_kernel(const T* embed, const int* tokens, const int* cu_seqlens, int n_seqs,
                                       int n_tokens, int hidden, int mask_id, int token_dropout, float* x) {
    const int64_t n = (int64_t)n_tokens * hidden;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        const int t = (int)(i / hidden), e = (int)(i % hidden);
        int s = 0, hi = n_seqs - 1;  // the last s with cu_seqlens[s] <= t (binary search: batches hold 10^5 sequences)
        while (s < hi) {
            const int mid = s + (hi - s + 1) / 2;
            if (cu_seqlens[mid] <= t)
                s = mid;
            else
                hi = mid - 1;
        }
        float scale = 1.f;
        if (token_dropout) {
            int n_mask = 0;
            for (int u = cu_seqlens[s]; u < cu_seqlens[s + 1]; ++u) n_mask += tokens[u] == mask_id;
            scale = dropout_scale(n_mask, cu_seqlens[s + 1] - cu_seqlens[s]);
        }
        const int tok = tokens[t];
        x[i] = (token_dropout && tok == mask_id) ? 0.f : to_f32(embed[(int64_t)tok * hidden + e]) * scale;
    }
}

template <typename T>
cudaError_t embed_typed(Variant variant, const T* embed, const int* tokens, const int* cu_seqlens, int n_seqs,
                        const int* tok_seq, const float* seq_scale, int n_tokens, int hidden, int mask_id,
                        int token_dropout, float* x, cudaStream_t stream) {
    constexpr int N = Pack16<T>::N;
    const bool vector_ok = hidden % N == 0 && aligned16(embed) && aligned16(x);
    if (variant == Variant::Fast && vector_ok) {
        const int threads = (int)std::min<int64_t>(256, round_up<int64_t>(ceil_div(hidden, N), 32));
        embed_kernel<T><<<n_tokens, threads, 0, stream>>>(embed, tokens, tok_seq, seq_scale, hidden, mask_id,
                                                          token_dropout, x);
    } else {
        const int64_t total = (int64_t)n_tokens * hidden;
        embed_reference_kernel<T><<<grid_stride_blocks(total, 256), 256, 0, stream>>>(
            embed, tokens, cu_seqlens, n_seqs, n_tokens, hidden, mask_id, token_dropout, x);
    }
    return cudaGetLastError();
}

}  // namespace

cudaError_t launch_batch_meta(const int* tokens, const int* cu_seqlens, int n_seqs, int mask_id, int token_dropout,
                              int* tok_seq, int* tok_pos, float* seq_scale, cudaStream_t stream) {
    if (n_seqs <= 0) return cudaSuccess;
    batch_meta_kernel<<<n_seqs, 256, 0, stream>>>(tokens, cu_seqlens, mask_id, token_dropout, tok_seq, tok_pos,
                                                  seq_scale);
    return cudaGetLastError();
}

cudaError_t launch_embed(Variant variant, DType dtype, const void* embed, const int* tokens, const int* cu_seqlens,
                         int n_seqs, const int* tok_seq, const float* seq_scale, int n_tokens, int hidden, int mask_id,
                         int token_dropout, float* x, cudaStream_t stream) {
    if (n_tokens <= 0) return cudaSuccess;
    switch (dtype) {
        case DType::F32:
            return embed_typed(variant, (const float*)embed, tokens, cu_seqlens, n_seqs, tok_seq, seq_scale, n_tokens,
                               hidden, mask_id, token_dropout, x, stream);
        case DType::F16:
            return embed_typed(variant, (const __half*)embed, tokens, cu_seqlens, n_seqs, tok_seq, seq_scale,
                               n_tokens, hidden, mask_id, token_dropout, x, stream);
        case DType::BF16:
            return embed_typed(variant, (const __nv_bfloat16*)embed, tokens, cu_seqlens, n_seqs, tok_seq, seq_scale,
                               n_tokens, hidden, mask_id, token_dropout, x, stream);
    }
    return cudaErrorInvalidValue;
}

}  // namespace esm2j
