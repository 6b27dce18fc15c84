// attention_cudnn.h - cuDNN fused scaled-dot-product attention (graph API) as an alternative
// attention backend, on the packed ("ragged") layout. Optional at build time (ESM2J_WITH_CUDNN).
#pragma once

#include <cuda_runtime.h>

#include <memory>
#include <string>

#include "attention.h"

namespace esm2j {

// Host-computed batch descriptors cuDNN needs on the device, filled by encode.
struct CudnnBatchInputs {
    const int* seq_len;        // device [n_seqs]: tokens per sequence (queries = keys)
    const int* ragged_qkv;     // device [n_seqs + 1]: element offset of each sequence in q/k/v
    const int* ragged_o;       // device [n_seqs + 1]: element offset of each sequence in o
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
