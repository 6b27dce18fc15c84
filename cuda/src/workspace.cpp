// workspace.cpp - activations for up to max_tokens packed tokens in up to max_seqs sequences:
// one device allocation carved into a table of buffers (plan_workspace, which esm2j_workspace_bytes
// reports exactly; buffers whose lifetimes within a layer do not overlap share bytes), a small pinned host staging area for the inputs, and the per-workspace
// cuBLASLt / cuDNN state.
#include <algorithm>
#include <cstring>

#include "internal.h"
#include "status.h"

namespace esm2j {

namespace {
constexpr size_t kAlign = 256;

struct Carver {
    size_t bytes = 0;
    size_t take(size_t n) {
        const size_t off = bytes;
        bytes += round_up(n == 0 ? 1 : n, kAlign);
        return off;
    }
};
}  // namespace

WorkspacePlan plan_workspace(const esm2j_model& m, int64_t max_tokens, int32_t max_seqs) {
    const size_t N = (size_t)max_tokens, S = (size_t)max_seqs;
    const size_t E = (size_t)m.cfg.hidden_size, F = (size_t)m.cfg.intermediate_size, V = (size_t)m.cfg.vocab_size;
    const size_t H = (size_t)m.cfg.num_heads, Dp = (size_t)m.head_dim_padded, half = (size_t)m.head_dim / 2;
    const size_t ts = dtype_size(m.dtype);
    WorkspacePlan p{};
    Carver c;
    p.tokens = c.take(N * 4);
    p.cu_seqlens = c.take((S + 1) * 4);
    // cuDNN attention: lengths and per-slice offsets, padding sequences included, and the padding sequences'
    // spare rows after q|k|v and o (attention_cudnn.h); FP32 never runs cuDNN.
    const size_t seq_entries = (size_t)cudnn_seq_entries((int64_t)S);
    const size_t ragged = (size_t)cudnn_ragged_entries((int64_t)S);
    const size_t pad = m.dtype == DType::F32 ? 0 : (size_t)cudnn_pad_rows((int64_t)S);
    p.seq_len = c.take(seq_entries * 4);
    p.ragged_qkv = c.take(ragged * 4);
    p.ragged_o = c.take(ragged * 4);
    p.tok_seq = c.take(N * 4);
    p.tok_pos = c.take(N * 4);
    p.seq_scale = c.take(S * 4);
    p.x = c.take(N * E * 4);            // residual stream, FP32
    p.xf = c.take(N * E * 4);           // final LayerNorm output (FP32), LM-head scratch
    p.h = c.take(N * E * ts);           // LayerNorm output, GEMM input
    // One region serves the attention half of a layer (qkv, then heads) and its FFN half (f): on the one stream
    // of an encode, qkv and heads are dead once attention has written o, and f is dead once FC2 has read it,
    // before the next layer's QKV GEMM writes qkv again. Saves N * min(F, 3E + 3 H Dp) elements (a quarter of
    // the workspace for ESM-2's F = 4E).
    const size_t qkv_bytes = round_up(N * 3 * E * ts, kAlign), heads_bytes = (3 * N + pad) * H * Dp * ts;
    const size_t shared = c.take(std::max(qkv_bytes + heads_bytes, N * F * ts));
    p.qkv = shared;                     // fused QKV projection
    p.heads = shared + qkv_bytes;       // q | k | v, each [N, H, Dp], then cuDNN's spare rows
    p.f = shared;                       // FC1 output (the same bytes as qkv and heads)
    p.o = c.take((N + pad) * E * ts);   // attention output, then cuDNN's spare rows
    p.y = c.take(N * E * ts);           // output projection / FC2 / LM dense output
    p.rope = c.take(N * half * 8);      // cos/sin table, positions < longest sequence <= N
    p.stage_mean = c.take(S * E * 4);
    p.stage_bos = c.take(S * E * 4);
    p.stage_logits = c.take(N * V * 4);
    p.lt_workspace_bytes = kLtWorkspaceBytes;
    p.lt_workspace = c.take(p.lt_workspace_bytes);
    p.total = c.bytes;
    // tokens, cu_seqlens, seq_len, ragged_qkv, ragged_o
    p.pinned_ints = N + (S + 1) + seq_entries + 2 * ragged;
    return p;
}

int workspace_create(esm2j_model* m, int64_t max_tokens, int32_t max_seqs, esm2j_workspace** out) {
    auto* ws = new esm2j_workspace();
    ws->model = m;
    ws->max_tokens = max_tokens;
    ws->max_seqs = max_seqs;
    ws->plan = plan_workspace(*m, max_tokens, max_seqs);
    auto cleanup = [ws]() {
        if (ws->base) cudaFree(ws->base);
        if (ws->pinned) cudaFreeHost(ws->pinned);
        if (ws->upload_done) cudaEventDestroy(ws->upload_done);
        if (ws->done) cudaEventDestroy(ws->done);
        delete ws;
    };
    const size_t device_bytes = ws->plan.total, pinned_bytes = ws->plan.pinned_ints * 4;
    cudaError_t err = cudaMalloc(reinterpret_cast<void**>(&ws->base), device_bytes);
    if (err != cudaSuccess) {
        ws->base = nullptr;
        (void)cudaGetLastError();
        cleanup();
        return fail(err == cudaErrorMemoryAllocation ? ESM2J_ERROR_OUT_OF_MEMORY : ESM2J_ERROR_CUDA,
                    "allocating a workspace of %zu bytes (max_tokens %lld, max_seqs %d) on device %d: %s",
                    device_bytes, (long long)max_tokens, max_seqs, m->device, cudaGetErrorString(err));
    }
    err = cudaHostAlloc(reinterpret_cast<void**>(&ws->pinned), pinned_bytes, cudaHostAllocDefault);
    if (err != cudaSuccess) {
        ws->pinned = nullptr;
        (void)cudaGetLastError();
        cleanup();
        return fail(err == cudaErrorMemoryAllocation ? ESM2J_ERROR_OUT_OF_MEMORY : ESM2J_ERROR_CUDA,
                    "allocating %zu bytes of pinned host memory for the workspace's inputs: %s",
                    pinned_bytes, cudaGetErrorString(err));
    }
    err = cudaEventCreateWithFlags(&ws->upload_done, cudaEventDisableTiming);
    if (err == cudaSuccess) err = cudaEventCreateWithFlags(&ws->done, cudaEventDisableTiming);
    if (err != cudaSuccess) {
        cleanup();
        return cuda_fail(err, "creating the workspace's events", __FILE__, __LINE__);
    }
    const int st = ws->gemm.init(ws->at<void>(ws->plan.lt_workspace), ws->plan.lt_workspace_bytes);
    if (st != ESM2J_OK) {
        cleanup();
        return st;
    }
    m->n_workspaces.fetch_add(1);
    *out = ws;
    return ESM2J_OK;
}

int workspace_destroy(esm2j_workspace* ws) {
    // Work still queued on this workspace must finish before its memory goes back.
    cudaError_t err = ws->has_run ? cudaEventSynchronize(ws->done) : cudaSuccess;
    if (ws->upload_done) cudaEventDestroy(ws->upload_done);
    if (ws->done) cudaEventDestroy(ws->done);
    if (ws->pinned) cudaFreeHost(ws->pinned);
    const cudaError_t free_err = ws->base ? cudaFree(ws->base) : cudaSuccess;
    if (err == cudaSuccess) err = free_err;
    ws->model->n_workspaces.fetch_sub(1);
    delete ws;
    if (err != cudaSuccess) return cuda_fail(err, "workspace_destroy", __FILE__, __LINE__);
    return ESM2J_OK;
}

}  // namespace esm2j
