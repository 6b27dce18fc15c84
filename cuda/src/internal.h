// internal.h - the objects behind the ABI's opaque handles, and the workspace's memory plan.
#pragma once

#include <cuda_runtime.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "attention_cudnn.h"
#include "common.h"
#include "esm2j.h"
#include "gemm.h"

namespace esm2j {

// Device pointers of one layer's weights (matrices in the compute dtype, vectors in FP32).
struct LayerWeights {
    float* attn_ln_w;
    float* attn_ln_b;
    void* wqkv;        // [3E, E]: rows 0..E-1 = Wq, E..2E-1 = Wk, 2E..3E-1 = Wv
    float* bqkv;       // [3E]
    float* inv_freq;   // [D/2]
    void* wo;          // [E, E]
    float* bo;
    float* ffn_ln_w;
    float* ffn_ln_b;
    void* w1;          // [F, E]
    float* b1;         // [F]
    void* w2;          // [E, F]
    float* b2;
};

// Where esm2j_model_set_tensor puts one tensor.
struct TensorSlot {
    void* ptr = nullptr;
    int64_t numel = 0;
    DType type = DType::F32;
    bool present = false;
};

int tensor_slot_index(const esm2j_model_config& cfg, int tensor, int layer);  // -1 when invalid

}  // namespace esm2j

struct esm2j_model {
    int device = 0;
    int cc_major = 0, cc_minor = 0;
    esm2j_model_config cfg{};
    esm2j::DType dtype = esm2j::DType::F32;
    int head_dim = 0, head_dim_padded = 0;
    void* weights = nullptr;  // one allocation holding every tensor
    size_t weight_bytes = 0;
    std::vector<esm2j::LayerWeights> layers;
    void* embed = nullptr;  // [V, E]
    float *final_ln_w = nullptr, *final_ln_b = nullptr;
    void* lm_dense_w = nullptr;
    float *lm_dense_b = nullptr, *lm_ln_w = nullptr, *lm_ln_b = nullptr, *lm_bias = nullptr;
    std::vector<esm2j::TensorSlot> slots;
    bool finalized = false;
    std::atomic<int> n_workspaces{0};  // workspaces may be created and destroyed from several threads
    cudaStream_t upload_stream = nullptr;
    void* upload_staging = nullptr;  // device bounce buffer of the pageable upload path, freed by finalize
    size_t upload_staging_bytes = 0;
    // The pinned upload path (model.cpp): a ring of pinned host chunks, each with a device bounce buffer for the
    // dtype conversion and an event marking when both may be reused. Freed by finalize (and destroy).
    struct UploadChunk {
        void* host = nullptr;    // pinned
        void* device = nullptr;  // conversion source
        cudaEvent_t done = nullptr;
        bool in_flight = false;
    };
    std::vector<UploadChunk> upload_chunks;
    size_t upload_chunk_bytes = 0;
    int upload_next = 0;
    bool upload_pageable = false;  // pinned memory refused (or ESM2J_UPLOAD=pageable): the synchronous path
    bool upload_pending = false;   // copies enqueued since the last synchronize
};

namespace esm2j {

// Byte offsets of every workspace buffer inside its single device allocation.
struct WorkspacePlan {
    size_t tokens, cu_seqlens, tok_seq, tok_pos, seq_scale, seq_len, ragged_qkv, ragged_o;
    size_t x, xf, h, qkv, heads, o, y, f, rope, stage_mean, stage_bos, stage_logits, lt_workspace;
    size_t lt_workspace_bytes;
    size_t total;
    size_t pinned_ints;  // int32 count of the pinned host staging for inputs
};

WorkspacePlan plan_workspace(const esm2j_model& m, int64_t max_tokens, int32_t max_seqs);

constexpr size_t kLtWorkspaceBytes = 32u << 20;  // cuBLASLt (and cuDNN) scratch

}  // namespace esm2j

struct esm2j_workspace {
    esm2j_model* model = nullptr;
    int64_t max_tokens = 0;
    int32_t max_seqs = 0;
    esm2j::WorkspacePlan plan{};
    char* base = nullptr;
    int32_t* pinned = nullptr;  // host staging for tokens, cu_seqlens and cuDNN's batch descriptors
    cudaEvent_t upload_done = nullptr;  // pinned staging may be rewritten once this completes
    cudaEvent_t done = nullptr;         // the last encode's work on this workspace
    bool has_run = false;
    int32_t attention = ESM2J_ATTENTION_FLASH;
    int32_t kernels = ESM2J_KERNELS_FAST;
    int32_t attention_used = ESM2J_ATTENTION_FLASH;
    std::string attention_note;
    esm2j::GemmRunner gemm;
    esm2j::CudnnAttention cudnn;

    template <typename T>
    T* at(size_t offset) const { return reinterpret_cast<T*>(base + offset); }
};

namespace esm2j {

// Implementations behind the ABI (api.cpp validates handles, sets the device and catches exceptions).
int validate_config(const esm2j_model_config& cfg);  // INVALID_ARGUMENT / UNSUPPORTED with a message
size_t model_weight_bytes(const esm2j_model_config& cfg);  // exact, for a validated config
int model_create(int32_t device, const esm2j_model_config& cfg, esm2j_model** out);
int model_set_tensor(esm2j_model* m, int32_t tensor, int32_t layer, int32_t src_dtype, const void* host_data,
                     int64_t numel);
int model_finalize(esm2j_model* m);
int model_destroy(esm2j_model* m);
int workspace_create(esm2j_model* m, int64_t max_tokens, int32_t max_seqs, esm2j_workspace** out);
int workspace_destroy(esm2j_workspace* ws);
int encode(esm2j_workspace* ws, cudaStream_t stream, const esm2j_encode_request& req);
const char* tensor_name(int tensor);

}  // namespace esm2j
