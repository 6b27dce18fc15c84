// embed.h - batch metadata and the embedding lookup with ESM-2's token-dropout scaling.
#pragma once

#include <cuda_runtime.h>

#include "common.h"

namespace esm2j {

// Per packed batch: tok_seq[t] = sequence of token t, tok_pos[t] = its position in that sequence,
// seq_scale[s] = token-dropout factor of sequence s (1 when token_dropout is 0).
cudaError_t launch_batch_meta(const int* tokens, const int* cu_seqlens, int n_seqs, int mask_id, int token_dropout,
                              int* tok_seq, int* tok_pos, float* seq_scale, cudaStream_t stream);

// x[t, :] = (tokens[t] == mask && token_dropout) ? 0 : embed[tokens[t], :] * seq_scale[tok_seq[t]]  (FP32 out).
// The reference variant ignores tok_seq/seq_scale and recomputes both from tokens and cu_seqlens.
cudaError_t launch_embed(Variant variant, DType dtype, const void* embed, const int* tokens, const int* cu_seqlens,
                         int n_seqs, const int* tok_seq, const float* seq_scale, int n_tokens, int hidden, int mask_id,
                         int token_dropout, float* x, cudaStream_t stream);

}  // namespace esm2j
