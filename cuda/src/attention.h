// attention.h - the attention parameters shared by every backend (after flash-attention's
// Flash_fwd_params) and the launchers of the hand-written kernels.
#pragma once

#include <cuda_runtime.h>

#include "common.h"

namespace esm2j {

// Packed variable-length self-attention, no mask except sequence boundaries:
//   o[t, h, :] = sum_u softmax_u(scale * q[t,h,:] . k[u,h,:]) v[u,h,:]   over u in t's sequence.
// Element (token t, head h, dim d) of q is q[t * qkv_row_stride + h * qkv_head_stride + d] (k, v the
// same strides); d < head_dim_padded, and dims >= head_dim must be zero in q, k and v.
// o: element (t, h, d < head_dim) at o[t * o_row_stride + h * o_head_stride + d].
struct AttentionParams {
    const void* q;
    const void* k;
    const void* v;
    int64_t qkv_row_stride;
    int64_t qkv_head_stride;
    void* o;
    int64_t o_row_stride;
    int64_t o_head_stride;
    const int* cu_seqlens;  // device, [n_seqs + 1]
    int n_seqs;
    int n_heads;
    int head_dim;           // real head dim D
    int head_dim_padded;    // 16, 32, 64 or 128
    int max_seqlen;         // longest sequence of the batch (grid size)
    int n_tokens;
    float softmax_scale;    // 1 in esm2j: q is already scaled by D^-0.5
    DType dtype;
};

// esm2j's packed layout, the only one encode uses: q, k and v each [n_tokens, H, Dp] (rows H*Dp elements apart,
// heads Dp apart), o [n_tokens, H*D] (rows E = H*D apart, heads D apart). The strides follow from the shape, so
// every caller (encode, the op tests, the GPU self-test) gets them from here.
inline AttentionParams packed_attention_params(const void* q, const void* k, const void* v, void* o, const int* cu_seqlens,
                                               int n_seqs, int n_tokens, int max_seqlen, int n_heads, int head_dim,
                                               int head_dim_padded, float softmax_scale, DType dtype) {
    AttentionParams p{};
    p.q = q;
    p.k = k;
    p.v = v;
    p.qkv_row_stride = (int64_t)n_heads * head_dim_padded;
    p.qkv_head_stride = head_dim_padded;
    p.o = o;
    p.o_row_stride = (int64_t)n_heads * head_dim;
    p.o_head_stride = head_dim;
    p.cu_seqlens = cu_seqlens;
    p.n_seqs = n_seqs;
    p.n_heads = n_heads;
    p.head_dim = head_dim;
    p.head_dim_padded = head_dim_padded;
    p.max_seqlen = max_seqlen;
    p.n_tokens = n_tokens;
    p.softmax_scale = softmax_scale;
    p.dtype = dtype;
    return p;
}

// Head dims the attention kernels run at, padding D up to the next supported size; 0 if none.
inline int padded_head_dim(int head_dim) {
    if (head_dim == 16 || head_dim == 32 || head_dim == 64 || head_dim == 128) return head_dim;
    if (head_dim == 24) return 32;
    return 0;
}

// Runs launch(chunk) for consecutive slices of at most kMaxGridYZ sequences (the kernels put the
// sequence on grid.z): chunk is p with cu_seqlens advanced to the slice's first sequence and n_seqs
// its size. Token offsets come from cu_seqlens, so q/k/v/o need no offset. Stops at the first error.
template <typename Launch>
cudaError_t for_each_sequence_chunk(const AttentionParams& p, Launch&& launch) {
    for (int s0 = 0; s0 < p.n_seqs; s0 += (int)kMaxGridYZ) {
        AttentionParams chunk = p;
        chunk.cu_seqlens = p.cu_seqlens + s0;
        chunk.n_seqs = (int)std::min<int64_t>(kMaxGridYZ, (int64_t)p.n_seqs - s0);
        const cudaError_t err = launch(chunk);
        if (err != cudaSuccess) return err;
    }
    return cudaSuccess;
}

// Simplest correct kernel: one thread per query row, FP32 throughout, two passes over the keys.
cudaError_t launch_attention_reference(const AttentionParams& p, cudaStream_t stream);

// FlashAttention-2-style kernel: BF16/FP16 tensor-core mma.sync with FP32 online softmax (needs
// sm80+); FP32 inputs use a shared-memory-tiled SIMT kernel with the same online softmax.
// Returns cudaErrorNotSupported when it cannot run this case (the caller then uses the reference).
cudaError_t launch_attention_flash(const AttentionParams& p, int cc_major, cudaStream_t stream);

// The wide variant of the flash kernel (attention_flash.cu): 128 query rows per CTA, V transposed in shared memory,
// the next K/V tile loaded while the current one is computed. BF16/FP16 on sm80+, head dims up to 64; returns
// cudaErrorNotSupported otherwise (the caller then uses launch_attention_flash).
cudaError_t launch_attention_flash_wide(const AttentionParams& p, int cc_major, cudaStream_t stream);

}  // namespace esm2j
