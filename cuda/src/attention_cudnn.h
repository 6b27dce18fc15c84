// attention_cudnn.h - cuDNN fused scaled-dot-product attention (graph API) as an alternative
// attention backend, on the packed ("ragged") layout. Optional at build time (ESM2J_WITH_CUDNN).
#pragma once

#include <cuda_runtime.h>

#include <memory>
#include <string>

#include "attention.h"

namespace esm2j {

// cuDNN attention runs a batch in slices of at most kMaxGridYZ sequences, each with q/k/v/o advanced to
// its first token, so that every slice looks like a batch of its own (ragged offsets from 0, as in one
// slice). Slice k (sequences s0..s1-1) keeps its s1 - s0 + 1 offsets at entries s0 + k .. s1 + k of the
// ragged arrays, which so hold n_seqs + (number of slices) entries.
inline int64_t cudnn_slice_count(int64_t n_seqs) { return ceil_div(n_seqs, kMaxGridYZ); }
inline int64_t cudnn_ragged_entries(int64_t n_seqs) { return n_seqs + cudnn_slice_count(n_seqs); }

// Host-computed batch descriptors cuDNN needs on the device, filled by encode.
struct CudnnBatchInputs {
    const int* seq_len;          // device [n_seqs]: tokens per sequence (queries = keys)
    const int* ragged_qkv;       // device [cudnn_ragged_entries]: element offset of each sequence in q/k/v, per slice
    const int* ragged_o;         // device [cudnn_ragged_entries]: element offset of each sequence in o, per slice
    const int* host_cu_seqlens;  // host [n_seqs + 1]: where each slice starts (its q/k/v/o are advanced there)
};

class CudnnAttention {
public:
    CudnnAttention();
    ~CudnnAttention();
    CudnnAttention(const CudnnAttention&) = delete;
    CudnnAttention& operator=(const CudnnAttention&) = delete;

    static bool compiled_in();
    static const char* version();  // "none" without cuDNN

    // Checks what cuDNN can do for this case without touching the GPU; false + reason otherwise.
    static bool supports(const AttentionParams& p, std::string* why);

    // Runs attention through cuDNN. On success *ran = true. When cuDNN cannot run this case (no
    // engine, graph rejected, workspace too small) it returns ESM2J_OK with *ran = false and the
    // reason in *why, so the caller falls back to the hand-written kernel; errors while executing a
    // graph that was accepted return a status.
    int run(const AttentionParams& p, const CudnnBatchInputs& batch, void* workspace, size_t workspace_bytes,
            cudaStream_t stream, bool* ran, std::string* why);

private:
    // One slice of at most 65535 sequences (run splits larger batches); same contract as run.
    int run_slice(const AttentionParams& p, const CudnnBatchInputs& batch, void* workspace, size_t workspace_bytes,
                  cudaStream_t stream, bool* ran, std::string* why);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace esm2j
