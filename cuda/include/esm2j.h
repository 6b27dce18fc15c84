/*
 * esm2j.h - C ABI of libesm2j, the CUDA forward pass of ESM-2.
 *
 * Contract (details in cuda/README.md):
 *  - Every function returns an int status (esm2j_status); ESM2J_OK is 0. On failure a message
 *    is stored per host thread and read with esm2j_last_error(); it is "" after a success.
 *  - The library never exits, aborts or prints. With no GPU or no driver every entry point that
 *    needs one returns ESM2J_ERROR_NO_DEVICE.
 *  - Handles are bound to the device they were created on; every entry point makes that device
 *    current on the calling thread itself. A model may be shared by several workspaces (on the
 *    same device); a workspace must be used by one thread at a time.
 *  - esm2j_encode only enqueues work on the given stream; the caller synchronizes the stream
 *    before reading outputs and must keep every buffer of the request alive and unmodified
 *    until then. All other calls are synchronous (esm2j_model_set_tensor's copy to the device
 *    completes by esm2j_model_finalize).
 *  - All layouts are row-major, C order; "E" is hidden_size, "V" is vocab_size.
 */
#ifndef ESM2J_H
#define ESM2J_H

#include <stdint.h>

#if defined(_WIN32)
#  if defined(ESM2J_BUILDING_LIBRARY)
#    define ESM2J_API __declspec(dllexport)
#  else
#    define ESM2J_API __declspec(dllimport)
#  endif
#else
#  define ESM2J_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define ESM2J_ABI_VERSION 3  /* 2: esm2j_model_bytes, workspace options and attention-used queries;
                                 3: the batch limits below, esm2j_workspace_gemm_fallbacks */

/* Limits of one batch: max_tokens / max_seqs of esm2j_workspace_bytes and esm2j_workspace_create, and so
 * n_tokens / n_seqs of esm2j_encode. Larger values are refused with ESM2J_ERROR_INVALID_ARGUMENT. They are the
 * only limits besides device memory: kernel launches are split into chunks within the grid limits, and every
 * index into an activation is 64-bit, so they come from the request's int32 counts (cu_seqlens, n_tokens),
 * kept a factor of two below INT32_MAX. Callers (Java's batch sizing) clamp to these constants; bindings
 * mirror them and a test checks the mirror against this header. */
#define ESM2J_MAX_BATCH_TOKENS 1073741824     /* 2^30 */
#define ESM2J_MAX_BATCH_SEQUENCES 536870912   /* 2^29: every sequence has at least 2 tokens */

typedef enum {
    ESM2J_OK = 0,
    ESM2J_ERROR_INVALID_ARGUMENT = 1,
    ESM2J_ERROR_OUT_OF_MEMORY = 2,   /* device (or pinned host) memory: shrink the batch and retry */
    ESM2J_ERROR_NO_DEVICE = 3,       /* no driver, no GPU, or device index out of range */
    ESM2J_ERROR_UNSUPPORTED = 4,     /* e.g. head dim not in {16,24,32,64,128}, BF16 before sm80 */
    ESM2J_ERROR_CUDA = 5,
    ESM2J_ERROR_CUBLAS = 6,
    ESM2J_ERROR_CUDNN = 7,
    ESM2J_ERROR_INTERNAL = 8
} esm2j_status;

typedef enum {
    ESM2J_DTYPE_F32 = 0,
    ESM2J_DTYPE_F16 = 1,
    ESM2J_DTYPE_BF16 = 2
} esm2j_dtype;

typedef enum {
    ESM2J_OUT_MEAN = 1,       /* mean over residue positions 1..T-2 of each sequence */
    ESM2J_OUT_PER_TOKEN = 2,  /* every position, <cls> and <eos> included */
    ESM2J_OUT_BOS = 4,        /* position 0 (<cls>) of each sequence */
    ESM2J_OUT_LOGITS = 8      /* LM head output for every position */
} esm2j_output_flags;

/* Tensor ids for esm2j_model_set_tensor: per-layer tensors take layer 0..L-1, globals take -1.
 * Shapes are PyTorch's: Linear weights are [out, in] row-major. */
typedef enum {
    ESM2J_T_EMBED = 0,            /* [V, E]  embed_tokens.weight (also the tied LM decoder) */
    ESM2J_T_ATTN_LN_W = 1,        /* [E]     attention.LayerNorm.weight */
    ESM2J_T_ATTN_LN_B = 2,        /* [E] */
    ESM2J_T_Q_W = 3,              /* [E, E]  attention.self.query.weight */
    ESM2J_T_Q_B = 4,              /* [E] */
    ESM2J_T_K_W = 5,              /* [E, E] */
    ESM2J_T_K_B = 6,              /* [E] */
    ESM2J_T_V_W = 7,              /* [E, E] */
    ESM2J_T_V_B = 8,              /* [E] */
    ESM2J_T_ROTARY_INV_FREQ = 9,  /* [head_dim/2] rotary_embeddings.inv_freq, per layer, as stored */
    ESM2J_T_O_W = 10,             /* [E, E]  attention.output.dense.weight */
    ESM2J_T_O_B = 11,             /* [E] */
    ESM2J_T_FFN_LN_W = 12,        /* [E]     LayerNorm.weight (before the FFN) */
    ESM2J_T_FFN_LN_B = 13,        /* [E] */
    ESM2J_T_FC1_W = 14,           /* [F, E]  intermediate.dense.weight */
    ESM2J_T_FC1_B = 15,           /* [F] */
    ESM2J_T_FC2_W = 16,           /* [E, F]  output.dense.weight */
    ESM2J_T_FC2_B = 17,           /* [E] */
    ESM2J_T_FINAL_LN_W = 18,      /* [E]     emb_layer_norm_after.weight (global) */
    ESM2J_T_FINAL_LN_B = 19,      /* [E] */
    ESM2J_T_LM_DENSE_W = 20,      /* [E, E]  lm_head.dense.weight (global) */
    ESM2J_T_LM_DENSE_B = 21,      /* [E] */
    ESM2J_T_LM_LN_W = 22,         /* [E]     lm_head.layer_norm.weight */
    ESM2J_T_LM_LN_B = 23,         /* [E] */
    ESM2J_T_LM_BIAS = 24,         /* [V]     lm_head.bias */
    ESM2J_T_COUNT = 25
} esm2j_tensor;

typedef struct {
    int32_t num_layers;          /* L */
    int32_t hidden_size;         /* E; num_heads must divide it */
    int32_t num_heads;
    int32_t intermediate_size;   /* F (4E in every published model) */
    int32_t vocab_size;          /* V (33) */
    float layer_norm_eps;        /* 1e-5 */
    int32_t token_dropout;       /* 1 for every ESM-2 */
    int32_t mask_token_id;       /* 32 */
    int32_t compute_dtype;       /* esm2j_dtype: F32 is the exact path; BF16 needs sm80+ */
} esm2j_model_config;

typedef struct esm2j_model esm2j_model;
typedef struct esm2j_workspace esm2j_workspace;

typedef struct {
    /* Inputs: host memory (pinned is best; pageable works). Sequences are packed without padding:
     * sequence s is tokens[cu_seqlens[s] .. cu_seqlens[s+1]), each "<cls> residues <eos>",
     * cu_seqlens[0] == 0, cu_seqlens[n_seqs] == n_tokens, every sequence >= 2 tokens. */
    const int32_t* tokens;        /* [n_tokens], ids in 0..V-1 */
    int32_t n_tokens;             /* <= max_tokens of the workspace */
    const int32_t* cu_seqlens;    /* [n_seqs + 1] */
    int32_t n_seqs;               /* 1 .. max_seqs of the workspace */
    const int32_t* repr_layers;   /* [n_repr_layers], each 0..L (0 = embeddings, L = after final LN) */
    int32_t n_repr_layers;        /* 0 .. L+1; may be 0 when only logits are asked */
    uint32_t outputs;             /* esm2j_output_flags; a flag's buffer must be non-NULL when set */
    /* Outputs, FP32, written only for the flags set. The index order is the order of repr_layers. */
    float* mean;                  /* [n_repr_layers][n_seqs][E]; a sequence with no residues gets 0 */
    float* bos;                   /* [n_repr_layers][n_seqs][E] */
    float* per_token;             /* [n_repr_layers][n_tokens][E], packed like tokens */
    float* logits;                /* [n_tokens][V] */
    int32_t outputs_on_device;    /* 0: host pointers (pinned for asynchrony), 1: device pointers */
} esm2j_encode_request;

/* Workspace options (esm2j_workspace_set_option). */
typedef enum {
    ESM2J_OPTION_ATTENTION = 1,   /* value: esm2j_attention_backend */
    ESM2J_OPTION_KERNELS = 2      /* value: esm2j_kernels */
} esm2j_option;

typedef enum {
    ESM2J_ATTENTION_FLASH = 0,      /* default: tensor-core online-softmax kernel (FP32: SIMT kernel) */
    ESM2J_ATTENTION_REFERENCE = 1,  /* simplest correct kernel: one thread per query row, FP32 maths */
    ESM2J_ATTENTION_CUDNN = 2       /* cuDNN fused SDPA (BF16/FP16); falls back to FLASH with a note */
} esm2j_attention_backend;

typedef enum {
    ESM2J_KERNELS_FAST = 0,         /* default */
    ESM2J_KERNELS_REFERENCE = 1     /* every op in its simplest form (GEMMs too): for finding a wrong op */
} esm2j_kernels;

/* ---- Library ---- */
ESM2J_API int32_t esm2j_abi_version(void);
/* Build info: library version, CUDA runtime version, cuDNN version or "none", architectures. */
ESM2J_API const char* esm2j_version_string(void);
/* Thread-local, never NULL, "" after a successful call. Valid until the next call on this thread. */
ESM2J_API const char* esm2j_last_error(void);
ESM2J_API int esm2j_device_count(int32_t* count);
ESM2J_API int esm2j_mem_info(int32_t device, uint64_t* free_bytes, uint64_t* total_bytes);

/* ---- Model (weights, on one device) ---- */
/* Exact device bytes esm2j_model_create would allocate for cfg's weights (no device needed): lets a
 * caller check that a model fits before creating it. Validates cfg like esm2j_model_create. */
ESM2J_API int esm2j_model_bytes(const esm2j_model_config* cfg, uint64_t* bytes);
ESM2J_API int esm2j_model_create(int32_t device, const esm2j_model_config* cfg, esm2j_model** out);
/* Copies one tensor from host memory (may be a read-only mmap, any alignment) to the device and
 * converts it there to the compute dtype. numel must match the shape the config implies.
 * host_data has been read when this returns (it may be released); the copy to the device, through
 * pinned staging, may still be running: esm2j_model_finalize waits for every upload and reports
 * their errors (after finalize, set_tensor waits itself). */
ESM2J_API int esm2j_model_set_tensor(esm2j_model* m, int32_t tensor, int32_t layer, int32_t src_dtype,
                                     const void* host_data, int64_t numel);
/* Checks that every tensor was set, waits for their uploads (reporting any error of them) and frees
 * the upload staging; encode needs it. */
ESM2J_API int esm2j_model_finalize(esm2j_model* m);
/* Destroy every workspace of a model before the model. NULL is accepted. */
ESM2J_API int esm2j_model_destroy(esm2j_model* m);

/* ---- Workspace (activations for up to max_tokens tokens in up to max_seqs sequences) ---- */
/* The exact number of device bytes esm2j_workspace_create would allocate (Java's batch sizer). */
ESM2J_API int esm2j_workspace_bytes(const esm2j_model* m, int64_t max_tokens, int32_t max_seqs, uint64_t* bytes);
ESM2J_API int esm2j_workspace_create(esm2j_model* m, int64_t max_tokens, int32_t max_seqs, esm2j_workspace** out);
ESM2J_API int esm2j_workspace_destroy(esm2j_workspace* ws);
ESM2J_API int esm2j_workspace_set_option(esm2j_workspace* ws, int32_t option, int32_t value);
ESM2J_API int esm2j_workspace_get_option(const esm2j_workspace* ws, int32_t option, int32_t* value);
/* The attention backend the last encode on this workspace really used (esm2j_attention_backend),
 * and why it differs from the one asked for ("" when it does not). The note stays valid until the
 * next encode on ws. Either out pointer may be NULL. */
ESM2J_API int esm2j_workspace_attention_used(const esm2j_workspace* ws, int32_t* backend, const char** note);

/* GEMMs of this workspace that ran on the reference kernel since it was created, because cuBLASLt had no
 * algorithm for a shape or refused the one its heuristic chose. Production GEMMs there are ~50x slower, so
 * callers report a non-zero count. */
ESM2J_API int esm2j_workspace_gemm_fallbacks(const esm2j_workspace* ws, int64_t* count);

/* ---- Encode ---- */
/* Enqueues the forward pass on stream (a cudaStream_t; NULL = the legacy default stream) and
 * returns. Argument errors are reported before anything is enqueued. */
ESM2J_API int esm2j_encode(esm2j_workspace* ws, void* stream, const esm2j_encode_request* req);

#ifdef __cplusplus
}
#endif

#endif /* ESM2J_H */
