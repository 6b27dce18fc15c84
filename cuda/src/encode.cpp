// encode.cpp - the ESM-2 forward pass over one packed batch, enqueued on the caller's stream.
//
//   x = embed(tokens) with token dropout                         -> representation 0
//   h = LN_attn[0](x)
//   per layer l:  qkv = h Wqkv^T;  q,k,v = rotary(qkv + b, q * D^-0.5);  o = attention(q, k, v)
//                 x += o Wo^T + bo;  h = LN_ffn(x)
//                 f = gelu(h W1^T + b1);  x += f W2^T + b2;  h = LN_attn[l+1](x) -> representation l+1
//                 (after the last layer h = LN_after(x), kept in FP32 too   -> representation L)
//   logits = LN_lm(gelu(h Wd^T + bd)) Embed^T + lm_bias       (the bias in the GEMM's epilogue)
//
// The residual stream x stays FP32; matrices and GEMM inputs/outputs are in the compute dtype.
// Representation layers are pooled/copied as soon as they exist, into the caller's buffers or,
// for host outputs, through FP32 staging buffers and cudaMemcpyAsync.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "attention.h"
#include "bias_gelu.h"
#include "embed.h"
#include "internal.h"
#include "layernorm.h"
#include "pooling.h"
#include "rotary.h"
#include "status.h"

namespace esm2j {

namespace {

int validate(const esm2j_workspace* ws, const esm2j_encode_request& r, int* max_seqlen) {
    const esm2j_model& m = *ws->model;
    const int L = m.cfg.num_layers;
    if (!r.tokens || !r.cu_seqlens)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: tokens and cu_seqlens must not be NULL");
    if (r.n_seqs < 1 || r.n_seqs > ws->max_seqs)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: n_seqs %d outside 1..%d (the workspace's max_seqs)",
                    r.n_seqs, ws->max_seqs);
    if (r.n_tokens < 2 || r.n_tokens > ws->max_tokens)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: n_tokens %d outside 2..%lld (the workspace's max_tokens)",
                    r.n_tokens, (long long)ws->max_tokens);
    if (r.cu_seqlens[0] != 0)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: cu_seqlens[0] is %d, must be 0", r.cu_seqlens[0]);
    if (r.cu_seqlens[r.n_seqs] != r.n_tokens)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: cu_seqlens[n_seqs=%d] is %d, must equal n_tokens %d",
                    r.n_seqs, r.cu_seqlens[r.n_seqs], r.n_tokens);
    int longest = 0;
    for (int s = 0; s < r.n_seqs; ++s) {
        const int len = r.cu_seqlens[s + 1] - r.cu_seqlens[s];
        if (len < 2)
            return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                        "encode: sequence %d has %d tokens (cu_seqlens %d..%d): every sequence needs at least "
                        "<cls> and <eos>, and cu_seqlens must increase",
                        s, len, r.cu_seqlens[s], r.cu_seqlens[s + 1]);
        longest = std::max(longest, len);
    }
    for (int t = 0; t < r.n_tokens; ++t)
        if (r.tokens[t] < 0 || r.tokens[t] >= m.cfg.vocab_size)
            return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: token %d at position %d is outside 0..%d", r.tokens[t],
                        t, m.cfg.vocab_size - 1);
    const uint32_t known = ESM2J_OUT_MEAN | ESM2J_OUT_PER_TOKEN | ESM2J_OUT_BOS | ESM2J_OUT_LOGITS;
    if (r.outputs == 0 || (r.outputs & ~known))
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: outputs 0x%x must be a non-empty set of esm2j_output_flags",
                    r.outputs);
    if (r.n_repr_layers < 0 || r.n_repr_layers > 4 * (L + 1))
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: n_repr_layers %d is out of range", r.n_repr_layers);
    if (r.n_repr_layers > 0 && !r.repr_layers)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: repr_layers is NULL but n_repr_layers is %d",
                    r.n_repr_layers);
    for (int j = 0; j < r.n_repr_layers; ++j)
        if (r.repr_layers[j] < 0 || r.repr_layers[j] > L)
            return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                        "encode: repr_layers[%d] = %d is outside 0..%d (0 = embeddings, %d = after the final "
                        "LayerNorm)",
                        j, r.repr_layers[j], L, L);
    const uint32_t layer_outputs = ESM2J_OUT_MEAN | ESM2J_OUT_PER_TOKEN | ESM2J_OUT_BOS;
    if ((r.outputs & layer_outputs) && r.n_repr_layers == 0)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: mean/per-token/bos outputs asked but no repr_layers given");
    struct Need {
        uint32_t flag;
        const void* ptr;
        const char* name;
    } needs[] = {{ESM2J_OUT_MEAN, r.mean, "mean"},
                 {ESM2J_OUT_PER_TOKEN, r.per_token, "per_token"},
                 {ESM2J_OUT_BOS, r.bos, "bos"},
                 {ESM2J_OUT_LOGITS, r.logits, "logits"}};
    if (r.outputs_on_device != 0 && r.outputs_on_device != 1)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: outputs_on_device must be 0 or 1 (got %d)",
                    r.outputs_on_device);
    for (const Need& n : needs) {
        if (!(r.outputs & n.flag)) continue;
        if (!n.ptr) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: output %s asked but its buffer is NULL", n.name);
        if (r.outputs_on_device) {
            cudaPointerAttributes attr{};
            const cudaError_t err = cudaPointerGetAttributes(&attr, n.ptr);
            (void)cudaGetLastError();
            if (err != cudaSuccess || (attr.type != cudaMemoryTypeDevice && attr.type != cudaMemoryTypeManaged))
                return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                            "encode: outputs_on_device is 1 but the %s buffer is not device memory", n.name);
            if (attr.type == cudaMemoryTypeDevice && attr.device != m.device)
                return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: the %s buffer is on device %d, the model on %d",
                            n.name, attr.device, m.device);
        }
    }
    *max_seqlen = longest;
    return ESM2J_OK;
}

// ESM2J_FLASH_WIDE=1: the flash backend runs the wide variant of the kernel where it applies (BF16/FP16, head dims
// up to 64), the 64-row kernel elsewhere. Read per encode, so that one process can compare the two.
bool flash_wide_asked() {
    const char* env = std::getenv("ESM2J_FLASH_WIDE");
    return env && env[0] && std::strcmp(env, "0") != 0;
}

struct Forward {
    esm2j_workspace* ws;
    const esm2j_model& m;
    const esm2j_encode_request& r;
    cudaStream_t stream;
    Variant var;
    int max_seqlen;
    int n;  // tokens
    int E, F, H, D, Dp, V;
    DType dt;
    bool flash_wide = flash_wide_asked();

    template <typename T>
    T* buf(size_t off) const { return ws->at<T>(off); }

    // Pool/copy representation `layer` (FP32 [n, E] in src) for every request entry that asks for it.
    int emit(int layer, const float* src) {
        const bool dev = r.outputs_on_device != 0;
        const size_t row_block = (size_t)r.n_seqs * E;
        for (int j = 0; j < r.n_repr_layers; ++j) {
            if (r.repr_layers[j] != layer) continue;
            if (r.outputs & ESM2J_OUT_PER_TOKEN)
                ESM2J_CUDA_TRY(cudaMemcpyAsync(r.per_token + (size_t)j * n * E, src, (size_t)n * E * 4,
                                               cudaMemcpyDefault, stream),
                               "encode: copying per-token representations");
            const bool want_mean = r.outputs & ESM2J_OUT_MEAN, want_bos = r.outputs & ESM2J_OUT_BOS;
            if (!want_mean && !want_bos) continue;
            float* mean = want_mean ? (dev ? r.mean + j * row_block : buf<float>(ws->plan.stage_mean)) : nullptr;
            float* bos = want_bos ? (dev ? r.bos + j * row_block : buf<float>(ws->plan.stage_bos)) : nullptr;
            ESM2J_CUDA_TRY(launch_pool(var, src, buf<int>(ws->plan.cu_seqlens), r.n_seqs, E, mean, bos, stream),
                           "encode: pooling");
            if (!dev) {
                if (mean)
                    ESM2J_CUDA_TRY(cudaMemcpyAsync(r.mean + j * row_block, mean, row_block * 4, cudaMemcpyDefault,
                                                   stream),
                                   "encode: copying mean representations");
                if (bos)
                    ESM2J_CUDA_TRY(cudaMemcpyAsync(r.bos + j * row_block, bos, row_block * 4, cudaMemcpyDefault,
                                                   stream),
                                   "encode: copying BOS representations");
            }
        }
        return ESM2J_OK;
    }

    // bias (FP32 output only): cuBLASLt's BIAS epilogue on the fast path, a separate FP32 add on the reference path.
    int gemm(const void* x, const void* w, void* y, int out_f, int in_f, DType out_type, const float* bias = nullptr) {
        const GemmShape g{x, w, y, n, out_f, in_f, dt, out_type, bias};
        return ws->gemm.run(var, g, stream);
    }

    void note(const std::string& s) {
        if (ws->attention_note.empty()) ws->attention_note = s;
    }

    int attention(const LayerWeights& w) {
        char* heads = buf<char>(ws->plan.heads);
        const size_t one = (size_t)n * H * Dp * dtype_size(dt);
        AttentionParams p = packed_attention_params(heads, heads + one, heads + 2 * one, buf<void>(ws->plan.o),
                                                    buf<int>(ws->plan.cu_seqlens),
                                                    r.n_seqs, n, max_seqlen, H, D, Dp, 1.f, dt);  // q carries D^-0.5 already

        // Rotary tables and the head layout first.
        const float2* table = nullptr;
        if (var == Variant::Fast) {
            table = buf<float2>(ws->plan.rope);
            ESM2J_CUDA_TRY(launch_rope_table(w.inv_freq, D / 2, max_seqlen, buf<float2>(ws->plan.rope), stream),
                           "encode: rotary table");
        }
        const HeadLayout layout{const_cast<void*>(p.q), const_cast<void*>(p.k), const_cast<void*>(p.v),
                                p.qkv_row_stride, p.qkv_head_stride, Dp};
        ESM2J_CUDA_TRY(launch_qkv_rotary(var, dt, buf<void>(ws->plan.qkv), w.bqkv, w.inv_freq, table,
                                         buf<int>(ws->plan.tok_pos), n, H, D, (float)std::pow((double)D, -0.5) /* fair-esm: head_dim ** -0.5, rounded once */, layout,
                                         stream),
                       "encode: QKV bias + rotary");

        int32_t backend = ws->attention;
        if (backend == ESM2J_ATTENTION_CUDNN) {
            std::string why;
            bool ran = false;
            if (!CudnnAttention::compiled_in()) {
                why = "this libesm2j was built without cuDNN";
            } else if (CudnnAttention::supports(p, &why)) {
                const CudnnBatchInputs batch{buf<int>(ws->plan.seq_len), buf<int>(ws->plan.ragged_qkv),
                                             buf<int>(ws->plan.ragged_o), r.cu_seqlens};
                ESM2J_TRY(ws->cudnn.run(p, batch, buf<void>(ws->plan.lt_workspace), ws->plan.lt_workspace_bytes,
                                        stream, &ran, &why));
            }
            if (ran) {
                ws->attention_used = ESM2J_ATTENTION_CUDNN;
                return ESM2J_OK;
            }
            note("cuDNN attention unavailable, used the flash kernel: " + why);
            backend = ESM2J_ATTENTION_FLASH;
        }
        if (backend == ESM2J_ATTENTION_FLASH) {
            cudaError_t err = flash_wide ? launch_attention_flash_wide(p, m.cc_major, stream) : cudaErrorNotSupported;
            if (err == cudaErrorNotSupported) err = launch_attention_flash(p, m.cc_major, stream);
            if (err == cudaSuccess) {
                ws->attention_used = ESM2J_ATTENTION_FLASH;
                return ESM2J_OK;
            }
            if (err != cudaErrorNotSupported) return cuda_fail(err, "encode: flash attention", __FILE__, __LINE__);
            (void)cudaGetLastError();
            char why[160];
            std::snprintf(why, sizeof why,
                          "flash attention cannot run here (%s, head dim %d, compute capability %d.%d): used the "
                          "reference kernel",
                          dtype_name(dt), D, m.cc_major, m.cc_minor);
            note(why);
        }
        ESM2J_CUDA_TRY(launch_attention_reference(p, stream), "encode: reference attention");
        ws->attention_used = ESM2J_ATTENTION_REFERENCE;
        return ESM2J_OK;
    }

    int run() {
        const int L = m.cfg.num_layers;
        const float eps = m.cfg.layer_norm_eps;
        float* x = buf<float>(ws->plan.x);
        float* xf = buf<float>(ws->plan.xf);
        void* h = buf<void>(ws->plan.h);
        void* y = buf<void>(ws->plan.y);

        // The deepest layer anything needs: stop there.
        int last = 0;
        if (r.outputs & ESM2J_OUT_LOGITS) last = L;
        if (r.outputs & (ESM2J_OUT_MEAN | ESM2J_OUT_PER_TOKEN | ESM2J_OUT_BOS))
            for (int j = 0; j < r.n_repr_layers; ++j) last = std::max(last, r.repr_layers[j]);

        ESM2J_CUDA_TRY(launch_batch_meta(buf<int>(ws->plan.tokens), buf<int>(ws->plan.cu_seqlens), r.n_seqs,
                                         m.cfg.mask_token_id, m.cfg.token_dropout, buf<int>(ws->plan.tok_seq),
                                         buf<int>(ws->plan.tok_pos), buf<float>(ws->plan.seq_scale), stream),
                       "encode: batch metadata");
        ESM2J_CUDA_TRY(launch_embed(var, dt, m.embed, buf<int>(ws->plan.tokens), buf<int>(ws->plan.cu_seqlens),
                                    r.n_seqs, buf<int>(ws->plan.tok_seq), buf<float>(ws->plan.seq_scale), n, E,
                                    m.cfg.mask_token_id, m.cfg.token_dropout, x, stream),
                       "encode: embedding");
        ESM2J_TRY(emit(0, x));
        if (last == 0) return ESM2J_OK;

        ESM2J_CUDA_TRY(launch_add_layernorm(var, dt, x, nullptr, nullptr, m.layers[0].attn_ln_w,
                                            m.layers[0].attn_ln_b, eps, h, nullptr, n, E, stream),
                       "encode: LayerNorm");
        for (int l = 0; l < last; ++l) {
            const LayerWeights& w = m.layers[l];
            ESM2J_TRY(gemm(h, w.wqkv, buf<void>(ws->plan.qkv), 3 * E, E, dt));
            ESM2J_TRY(attention(w));
            ESM2J_TRY(gemm(buf<void>(ws->plan.o), w.wo, y, E, E, dt));
            ESM2J_CUDA_TRY(launch_add_layernorm(var, dt, x, y, w.bo, w.ffn_ln_w, w.ffn_ln_b, eps, h, nullptr, n, E,
                                                stream),
                           "encode: residual + LayerNorm (FFN)");
            ESM2J_TRY(gemm(h, w.w1, buf<void>(ws->plan.f), F, E, dt));
            ESM2J_CUDA_TRY(launch_bias_gelu(var, dt, buf<void>(ws->plan.f), w.b1, nullptr, n, F, stream),
                           "encode: FC1 bias + GELU");
            ESM2J_TRY(gemm(buf<void>(ws->plan.f), w.w2, y, E, F, dt));
            if (l + 1 < L) {
                const LayerWeights& next = m.layers[l + 1];
                ESM2J_CUDA_TRY(launch_add_layernorm(var, dt, x, y, w.b2, next.attn_ln_w, next.attn_ln_b, eps, h,
                                                    nullptr, n, E, stream),
                               "encode: residual + LayerNorm (attention)");
                ESM2J_TRY(emit(l + 1, x));
            } else {
                ESM2J_CUDA_TRY(launch_add_layernorm(var, dt, x, y, w.b2, m.final_ln_w, m.final_ln_b, eps, h, xf, n,
                                                    E, stream),
                               "encode: residual + final LayerNorm");
                ESM2J_TRY(emit(L, xf));
            }
        }
        if (!(r.outputs & ESM2J_OUT_LOGITS)) return ESM2J_OK;

        // LM head: dense + bias + GELU (to FP32 scratch xf, already emitted), LayerNorm, tied decoder.
        ESM2J_TRY(gemm(h, m.lm_dense_w, y, E, E, dt));
        ESM2J_CUDA_TRY(launch_bias_gelu(var, dt, y, m.lm_dense_b, xf, n, E, stream), "encode: LM dense bias + GELU");
        ESM2J_CUDA_TRY(launch_add_layernorm(var, dt, xf, nullptr, nullptr, m.lm_ln_w, m.lm_ln_b, eps, h, nullptr, n,
                                            E, stream),
                       "encode: LM LayerNorm");
        float* logits = r.outputs_on_device ? r.logits : buf<float>(ws->plan.stage_logits);
        ESM2J_TRY(gemm(h, m.embed, logits, V, E, DType::F32, m.lm_bias));
        if (!r.outputs_on_device)
            ESM2J_CUDA_TRY(cudaMemcpyAsync(r.logits, logits, (size_t)n * V * 4, cudaMemcpyDefault, stream),
                           "encode: copying logits");
        return ESM2J_OK;
    }
};

}  // namespace

int encode(esm2j_workspace* ws, cudaStream_t stream, const esm2j_encode_request& r) {
    // Each launch below is checked with cudaGetLastError(), which also returns a non-sticky error left by an
    // earlier call that was handled (a failed cudnnCreate before the flash fallback, a caller's own launch):
    // start clean so that such an error is not blamed on this encode. Sticky errors (a lost context) stay.
    (void)cudaGetLastError();
    const esm2j_model& m = *ws->model;
    if (!m.finalized)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "encode: the model is not finalized (call esm2j_model_finalize)");
    int max_seqlen = 0;
    ESM2J_TRY(validate(ws, r, &max_seqlen));

    // Inputs go through the workspace's pinned staging, so the caller may free them on return.
    // The previous encode's upload must have left the staging first.
    if (ws->has_run) ESM2J_CUDA_TRY(cudaEventSynchronize(ws->upload_done), "encode: waiting for the previous upload");
    const int n = r.n_tokens, S = r.n_seqs;
    int32_t* pin = ws->pinned;
    int32_t* pin_tokens = pin;
    int32_t* pin_cu = pin_tokens + ws->max_tokens;
    int32_t* pin_len = pin_cu + ws->max_seqs + 1;
    int32_t* pin_rq = pin_len + cudnn_seq_entries(ws->max_seqs);
    int32_t* pin_ro = pin_rq + cudnn_ragged_entries(ws->max_seqs);
    std::memcpy(pin_tokens, r.tokens, (size_t)n * 4);
    std::memcpy(pin_cu, r.cu_seqlens, (size_t)(S + 1) * 4);
    // cuDNN's lengths and ragged offsets, per slice of at most kMaxGridYZ sequences, relative to the slice's first
    // token, with the padding sequences of its bucketed graph (attention_cudnn.h). They are int32 element
    // offsets; CudnnAttention::supports rejects overflow.
    const bool buckets = ws->cudnn.plan_buckets();
    const int64_t seq_entries = cudnn_seq_entries(S, buckets), ragged = cudnn_ragged_entries(S, buckets);
    if (ws->attention == ESM2J_ATTENTION_CUDNN)
        cudnn_fill_batch(r.cu_seqlens, S, (int64_t)m.cfg.num_heads * m.head_dim_padded, m.cfg.hidden_size, buckets,
                         pin_len, pin_rq, pin_ro);
    // Work from an earlier encode on another stream must be done with the activations.
    if (ws->has_run) ESM2J_CUDA_TRY(cudaStreamWaitEvent(stream, ws->done, 0), "encode: ordering after the last encode");
    const auto& p = ws->plan;
    ESM2J_CUDA_TRY(cudaMemcpyAsync(ws->at<int>(p.tokens), pin_tokens, (size_t)n * 4, cudaMemcpyHostToDevice, stream),
                   "encode: uploading tokens");
    ESM2J_CUDA_TRY(cudaMemcpyAsync(ws->at<int>(p.cu_seqlens), pin_cu, (size_t)(S + 1) * 4, cudaMemcpyHostToDevice,
                                   stream),
                   "encode: uploading cu_seqlens");
    if (ws->attention == ESM2J_ATTENTION_CUDNN) {
        ESM2J_CUDA_TRY(cudaMemcpyAsync(ws->at<int>(p.seq_len), pin_len, (size_t)seq_entries * 4, cudaMemcpyHostToDevice,
                                       stream),
                       "encode: uploading sequence lengths");
        ESM2J_CUDA_TRY(cudaMemcpyAsync(ws->at<int>(p.ragged_qkv), pin_rq, (size_t)ragged * 4, cudaMemcpyHostToDevice,
                                       stream),
                       "encode: uploading ragged offsets");
        ESM2J_CUDA_TRY(cudaMemcpyAsync(ws->at<int>(p.ragged_o), pin_ro, (size_t)ragged * 4, cudaMemcpyHostToDevice,
                                       stream),
                       "encode: uploading ragged offsets");
    }
    ESM2J_CUDA_TRY(cudaEventRecord(ws->upload_done, stream), "encode: recording the upload event");
    ws->has_run = true;

    ws->attention_note.clear();
    ws->attention_used = ws->attention;
    Forward fw{ws,
               m,
               r,
               stream,
               ws->kernels == ESM2J_KERNELS_REFERENCE ? Variant::Reference : Variant::Fast,
               max_seqlen,
               n,
               m.cfg.hidden_size,
               m.cfg.intermediate_size,
               m.cfg.num_heads,
               m.head_dim,
               m.head_dim_padded,
               m.cfg.vocab_size,
               m.dtype};
    const int st = fw.run();
    // Record even after a failure, so the next encode and destroy order after what was queued.
    const cudaError_t rec = cudaEventRecord(ws->done, stream);
    if (st != ESM2J_OK) return st;
    if (rec != cudaSuccess) return cuda_fail(rec, "encode: recording the completion event", __FILE__, __LINE__);
    return ESM2J_OK;
}

}  // namespace esm2j
