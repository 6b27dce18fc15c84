// selftest.cpp - the GPU check of libesm2j, run by bench/gpu-check/run.sh on a machine with a GPU.
//
//   esm2j_selftest [--ops] [--parity TESTDATA_DIR] [--invariance] [--bench] [--quick] [--shapes 8M,35M,...]
//                  [--bench-tokens N] [--no-15b]
//
//   --ops     every op (fast and reference variants, fp32/fp16/bf16) against cpu_reference.cpp on
//             fresh random inputs; outputs are poisoned with NaN first, so unwritten elements fail.
//   --parity  both testdata checkpoints through esm2j_encode against fair-esm's float64 outputs:
//             fp32 (rel L2 <= 1e-4 for mean, per-token, bos, logits), bf16 and fp16 (1.5 x PyTorch's own
//             error in that dtype on the same data: parity_limits, TOLERANCES.md), packed in one batch and
//             one sequence per batch, for each attention backend and with the reference kernels; then a
//             batch of 70,000 sequences (1.2M tokens) that needs the launchers' grid slices.
//   --bench   forward-pass tokens/s with random weights for the published shapes on a realistic
//             length mix, a cuBLASLt BF16 8192^3 GEMM, and flash vs reference vs cuDNN attention.
//   --invariance  batch invariance: 600 sequences through a 150M-shaped random model (--quick: 24 short ones, a tiny
//             model, reference attention instead of cuDNN) in three batch compositions (budgets 4,096 and 65,536 tokens, other orders), fp32 and bf16,
//             flash and cuDNN attention: the number of sequences whose mean/BOS bits differ, failing on any; the
//             same with ESM2J_GEMM_ALGO=per-rows reported as a note.
//   --cpu-parity DIR  the same forward pass from cpu_reference.cpp against the test data (no GPU).
//   --quick   (with --parity) the small set compute-sanitizer runs: tiny model, fp32 + bf16, packed.
// Prints one line per check and a summary; exit status 1 when any check fails.
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "attention.h"
#include "attention_cudnn.h"
#include "bias_gelu.h"
#include "common.h"
#include "convert.h"
#include "cpu_reference.h"
#include "op_tests.h"
#include "embed.h"
#include "esm2j.h"
#include "gemm.h"
#include "layernorm.h"
#include "pooling.h"
#include "rotary.h"
#include "safetensors.h"

using namespace esm2j;
using namespace gpucheck;

namespace {

// ============================== (b) parity ==============================

struct Checkpoint {
    std::string name;
    esm2j_model_config cfg{};
    SafeTensors weights, expected;
    std::vector<std::string> ids;  // sequence ids, in file order
};

bool load_checkpoint(const std::string& dir, const std::string& name, Checkpoint& ck) {
    std::string err;
    ck.name = name;
    if (!ck.weights.load(dir + "/" + name + "/model.safetensors", &err) ||
        !ck.expected.load(dir + "/" + name + "/expected.safetensors", &err)) {
        std::printf("FAIL loading %s: %s\n", name.c_str(), err.c_str());
        ++g_checks;
        ++g_failures;
        return false;
    }
    const StTensor* emb = ck.weights.find("esm.embeddings.word_embeddings.weight");
    const StTensor* fc1 = ck.weights.find("esm.encoder.layer.0.intermediate.dense.weight");
    const StTensor* inv = ck.weights.find("esm.encoder.layer.0.attention.self.rotary_embeddings.inv_freq");
    int L = 0;
    while (ck.weights.find("esm.encoder.layer." + std::to_string(L) + ".attention.self.query.weight")) ++L;
    if (!emb || !fc1 || !inv || L == 0) {
        std::printf("FAIL %s: unexpected key names\n", name.c_str());
        return false;
    }
    ck.cfg.num_layers = L;
    ck.cfg.hidden_size = (int)emb->shape[1];
    ck.cfg.vocab_size = (int)emb->shape[0];
    ck.cfg.intermediate_size = (int)fc1->shape[0];
    ck.cfg.num_heads = ck.cfg.hidden_size / (int)(2 * inv->shape[0]);
    ck.cfg.layer_norm_eps = 1e-5f;
    ck.cfg.token_dropout = 1;
    ck.cfg.mask_token_id = 32;
    for (const auto& kv : ck.expected.tensors()) {
        const std::string& k = kv.first;
        if (k.size() > 7 && k.compare(k.size() - 7, 7, ".tokens") == 0) ck.ids.push_back(k.substr(0, k.size() - 7));
    }
    return true;
}

esm2j_model* build_model(const Checkpoint& ck, int dtype) {
    esm2j_model_config cfg = ck.cfg;
    cfg.compute_dtype = dtype;
    esm2j_model* m = nullptr;
    EK(esm2j_model_create(0, &cfg, &m));
    auto set = [&](int tensor, int layer, const std::string& key) {
        const StTensor* t = ck.weights.find(key);
        if (!t) {
            std::printf("missing tensor %s\n", key.c_str());
            std::exit(2);
        }
        const int src = t->dtype == "F32" ? ESM2J_DTYPE_F32 : t->dtype == "F16" ? ESM2J_DTYPE_F16 : ESM2J_DTYPE_BF16;
        EK(esm2j_model_set_tensor(m, tensor, layer, src, t->data, t->numel()));
    };
    for (int l = 0; l < cfg.num_layers; ++l) {
        const std::string p = "esm.encoder.layer." + std::to_string(l) + ".";
        set(ESM2J_T_ATTN_LN_W, l, p + "attention.LayerNorm.weight");
        set(ESM2J_T_ATTN_LN_B, l, p + "attention.LayerNorm.bias");
        set(ESM2J_T_Q_W, l, p + "attention.self.query.weight");
        set(ESM2J_T_Q_B, l, p + "attention.self.query.bias");
        set(ESM2J_T_K_W, l, p + "attention.self.key.weight");
        set(ESM2J_T_K_B, l, p + "attention.self.key.bias");
        set(ESM2J_T_V_W, l, p + "attention.self.value.weight");
        set(ESM2J_T_V_B, l, p + "attention.self.value.bias");
        set(ESM2J_T_ROTARY_INV_FREQ, l, p + "attention.self.rotary_embeddings.inv_freq");
        set(ESM2J_T_O_W, l, p + "attention.output.dense.weight");
        set(ESM2J_T_O_B, l, p + "attention.output.dense.bias");
        set(ESM2J_T_FFN_LN_W, l, p + "LayerNorm.weight");
        set(ESM2J_T_FFN_LN_B, l, p + "LayerNorm.bias");
        set(ESM2J_T_FC1_W, l, p + "intermediate.dense.weight");
        set(ESM2J_T_FC1_B, l, p + "intermediate.dense.bias");
        set(ESM2J_T_FC2_W, l, p + "output.dense.weight");
        set(ESM2J_T_FC2_B, l, p + "output.dense.bias");
    }
    set(ESM2J_T_EMBED, -1, "esm.embeddings.word_embeddings.weight");
    set(ESM2J_T_FINAL_LN_W, -1, "esm.encoder.emb_layer_norm_after.weight");
    set(ESM2J_T_FINAL_LN_B, -1, "esm.encoder.emb_layer_norm_after.bias");
    set(ESM2J_T_LM_DENSE_W, -1, "lm_head.dense.weight");
    set(ESM2J_T_LM_DENSE_B, -1, "lm_head.dense.bias");
    set(ESM2J_T_LM_LN_W, -1, "lm_head.layer_norm.weight");
    set(ESM2J_T_LM_LN_B, -1, "lm_head.layer_norm.bias");
    set(ESM2J_T_LM_BIAS, -1, "lm_head.bias");
    EK(esm2j_model_finalize(m));
    return m;
}

struct Outputs {
    IVec cu;
    Vec mean, bos, per_token, logits;  // layouts of esm2j_encode_request, host
};

// Where esm2j_encode writes: pinned host memory, pageable host memory (std::vector) or device memory.
enum class OutMem { Pinned, Pageable, Device };

// One encode request in flight: its inputs and output buffers stay alive until finish_batch.
struct Batch {
    Outputs out;
    IVec tokens, layers;
    uint32_t flags = 0;
    OutMem mem = OutMem::Pinned;
    size_t n[4] = {0, 0, 0, 0};             // mean, bos, per_token, logits element counts
    float* buf[4] = {nullptr, nullptr, nullptr, nullptr};
    Vec pageable[4];
    cudaStream_t stream = nullptr;
};

// Enqueues the sequences `idx` as one batch on a fresh non-blocking stream (the kind Java uses: it
// does not wait for the legacy stream), asking `layers` and `flags`; outputs poisoned with NaN first.
void start_batch(esm2j_workspace* ws, const Checkpoint& ck, const std::vector<size_t>& idx, const IVec& layers,
                 uint32_t flags, OutMem mem, Batch& b) {
    const int E = ck.cfg.hidden_size, V = ck.cfg.vocab_size;
    b.out.cu = {0};
    for (size_t i : idx) {
        const IVec t = ck.expected.find(ck.ids[i] + ".tokens")->to_i32();
        b.tokens.insert(b.tokens.end(), t.begin(), t.end());
        b.out.cu.push_back((int)b.tokens.size());
    }
    b.layers = layers;
    b.flags = flags;
    b.mem = mem;
    const int N = (int)b.tokens.size(), S = (int)idx.size(), R = (int)layers.size();
    const uint32_t flag_of[4] = {ESM2J_OUT_MEAN, ESM2J_OUT_BOS, ESM2J_OUT_PER_TOKEN, ESM2J_OUT_LOGITS};
    const size_t count[4] = {(size_t)R * S * E, (size_t)R * S * E, (size_t)R * N * E, (size_t)N * V};
    for (int k = 0; k < 4; ++k) {
        if (!(flags & flag_of[k])) continue;
        b.n[k] = count[k];
        const size_t bytes = std::max<size_t>(count[k], 1) * 4;
        if (mem == OutMem::Device) {
            CK(cudaMalloc(&b.buf[k], bytes));
            poison(b.buf[k], bytes);
        } else if (mem == OutMem::Pinned) {
            CK(cudaMallocHost(&b.buf[k], bytes));
            std::memset(b.buf[k], 0xFF, bytes);
        } else {
            b.pageable[k].assign(std::max<size_t>(count[k], 1), std::nanf(""));
            b.buf[k] = b.pageable[k].data();
        }
    }
    esm2j_encode_request req{};
    req.tokens = b.tokens.data();
    req.n_tokens = N;
    req.cu_seqlens = b.out.cu.data();
    req.n_seqs = S;
    req.repr_layers = R ? b.layers.data() : nullptr;
    req.n_repr_layers = R;
    req.outputs = flags;
    req.mean = b.buf[0];
    req.bos = b.buf[1];
    req.per_token = b.buf[2];
    req.logits = b.buf[3];
    req.outputs_on_device = mem == OutMem::Device ? 1 : 0;
    CK(cudaStreamCreateWithFlags(&b.stream, cudaStreamNonBlocking));
    EK(esm2j_encode(ws, b.stream, &req));
}

// Waits for the batch and copies its outputs into b.out (empty vectors for flags not asked).
void finish_batch(Batch& b) {
    CK(cudaStreamSynchronize(b.stream));
    CK(cudaStreamDestroy(b.stream));
    b.stream = nullptr;
    Vec* dst[4] = {&b.out.mean, &b.out.bos, &b.out.per_token, &b.out.logits};
    for (int k = 0; k < 4; ++k) {
        if (!b.buf[k]) continue;
        dst[k]->resize(b.n[k]);
        if (b.mem == OutMem::Device) {
            CK(cudaMemcpy(dst[k]->data(), b.buf[k], b.n[k] * 4, cudaMemcpyDeviceToHost));
            CK(cudaFree(b.buf[k]));
        } else {
            std::memcpy(dst[k]->data(), b.buf[k], b.n[k] * 4);
            if (b.mem == OutMem::Pinned) CK(cudaFreeHost(b.buf[k]));
        }
        b.buf[k] = nullptr;
    }
}

// Encodes the sequences `idx` (one batch) with every layer asked; host (pinned) or device outputs.
Outputs run_batch(esm2j_workspace* ws, const Checkpoint& ck, const std::vector<size_t>& idx, bool device_outputs) {
    IVec layers(ck.cfg.num_layers + 1);
    for (int l = 0; l <= ck.cfg.num_layers; ++l) layers[l] = l;
    Batch b;
    start_batch(ws, ck, idx, layers, ESM2J_OUT_MEAN | ESM2J_OUT_BOS | ESM2J_OUT_PER_TOKEN | ESM2J_OUT_LOGITS,
                device_outputs ? OutMem::Device : OutMem::Pinned, b);
    finish_batch(b);
    return b.out;
}

// rel L2 of got's representation block j against want's block l (blocks of `block` floats).
void worst_block(const Vec& got, int j, const Vec& want, int l, size_t block, Error& worst) {
    const Error e = compare(&got[(size_t)j * block], &want[(size_t)l * block], (int64_t)block);
    worst.rel_l2 = std::max(worst.rel_l2, e.rel_l2);
    worst.max_abs = std::max(worst.max_abs, e.max_abs);
    worst.finite = worst.finite && e.finite;
}

// The encode paths the parity runs do not take, checked against a full packed run `full` of the
// same model (all layers, every output): a request that stops early (layers 1, 0, 1: out of order,
// duplicated, no logits) into pageable host memory; logits only (no repr_layers) into device memory;
// and two workspaces of one model encoding at the same time on two streams.
void check_encode_paths(const Checkpoint& ck, esm2j_model* m, esm2j_workspace* ws, const Outputs& full, int dtype,
                        const std::string& tag) {
    const int L = ck.cfg.num_layers, E = ck.cfg.hidden_size;
    std::vector<size_t> all(ck.ids.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    const int N = full.cu.back(), S = (int)all.size();
    // Same kernels and shapes, so only a different cuBLASLt algorithm could make these differ.
    const double tol = dtype == ESM2J_DTYPE_F32 ? 1e-5 : 1e-3;

    Batch early;
    const IVec early_layers = {std::min(1, L), 0, std::min(1, L)};
    start_batch(ws, ck, all, early_layers, ESM2J_OUT_MEAN | ESM2J_OUT_BOS | ESM2J_OUT_PER_TOKEN, OutMem::Pageable,
                early);
    finish_batch(early);
    Error e_early;
    for (size_t j = 0; j < early_layers.size(); ++j) {
        worst_block(early.out.mean, (int)j, full.mean, early_layers[j], (size_t)S * E, e_early);
        worst_block(early.out.bos, (int)j, full.bos, early_layers[j], (size_t)S * E, e_early);
        worst_block(early.out.per_token, (int)j, full.per_token, early_layers[j], (size_t)N * E, e_early);
    }
    report(tag + " early stop, layers 1,0,1, pageable", e_early, tol);

    Batch logits_only;
    start_batch(ws, ck, all, {}, ESM2J_OUT_LOGITS, OutMem::Device, logits_only);
    finish_batch(logits_only);
    report(tag + " logits only, device",
           compare(logits_only.out.logits.data(), full.logits.data(), (int64_t)full.logits.size()), tol);

    esm2j_workspace* ws2 = nullptr;
    EK(esm2j_workspace_create(m, 4096, 16, &ws2));
    EK(esm2j_workspace_set_option(ws2, ESM2J_OPTION_ATTENTION, ESM2J_ATTENTION_FLASH));
    IVec layers(L + 1);
    for (int l = 0; l <= L; ++l) layers[l] = l;
    const uint32_t every = ESM2J_OUT_MEAN | ESM2J_OUT_BOS | ESM2J_OUT_PER_TOKEN | ESM2J_OUT_LOGITS;
    Batch a, b;
    start_batch(ws, ck, all, layers, every, OutMem::Pinned, a);
    start_batch(ws2, ck, all, layers, every, OutMem::Device, b);
    finish_batch(a);
    finish_batch(b);
    for (const Batch* x : {&a, &b}) {
        Error e;
        for (int l = 0; l <= L; ++l) {
            worst_block(x->out.mean, l, full.mean, l, (size_t)S * E, e);
            worst_block(x->out.bos, l, full.bos, l, (size_t)S * E, e);
            worst_block(x->out.per_token, l, full.per_token, l, (size_t)N * E, e);
        }
        worst_block(x->out.logits, 0, full.logits, 0, full.logits.size(), e);
        report(tag + (x == &a ? " two workspaces in flight: first" : " two workspaces in flight: second"), e, tol);
    }
    EK(esm2j_workspace_destroy(ws2));
}

struct Worst {
    double mean = 0, bos = 0, per_token = 0, logits = 0, mean_cos = 1;
    bool finite = true;
    void take(const Error& e, double& slot) {
        slot = std::max(slot, e.rel_l2);
        finite = finite && e.finite;
    }
};

// Compares sequence i (position j in batch `o`) against the expected outputs.
void check_sequence(const Checkpoint& ck, const Outputs& o, size_t j, size_t i, Worst& w) {
    const int L = ck.cfg.num_layers, E = ck.cfg.hidden_size, V = ck.cfg.vocab_size;
    const int S = (int)o.cu.size() - 1, N = o.cu.back();
    const int a = o.cu[j], T = o.cu[j + 1] - a, n = T - 2;
    const std::string& id = ck.ids[i];
    for (int l = 0; l <= L; ++l) {
        const std::string sl = std::to_string(l);
        const Vec em = ck.expected.find(id + ".mean." + sl)->to_f32();
        const Vec eb = ck.expected.find(id + ".bos." + sl)->to_f32();
        const Vec ep = ck.expected.find(id + ".per_tok." + sl)->to_f32();
        const Error me = compare(&o.mean[((size_t)l * S + j) * E], em.data(), E);
        w.take(me, w.mean);
        w.mean_cos = std::min(w.mean_cos, me.cosine);
        w.take(compare(&o.bos[((size_t)l * S + j) * E], eb.data(), E), w.bos);
        w.take(compare(&o.per_token[((size_t)l * N + a + 1) * E], ep.data(), (int64_t)n * E), w.per_token);
    }
    const Vec el = ck.expected.find(id + ".logits")->to_f32();
    w.take(compare(&o.logits[(size_t)a * V], el.data(), (int64_t)T * V), w.logits);
}

// Worst relative L2 per output kind (and 1 - cosine of the means) a parity run may reach against fair-esm's
// float64 outputs. FP32: 1e-4. BF16/FP16: 1.5 x PyTorch's own error in that dtype (the whole model cast) on
// the same checkpoints and sequences, rounded up to two digits -- measured by torch_bf16_error.py, numbers
// and reasoning in bench/gpu-check/TOLERANCES.md and cuda/README.md. java-check.sh holds the same limits.
struct ParityLimits {
    double mean, bos, per_token, logits, one_minus_cos;
};

ParityLimits parity_limits(int dtype) {
    if (dtype == ESM2J_DTYPE_F32) return {1e-4, 1e-4, 1e-4, 1e-4, 1.0};
    if (dtype == ESM2J_DTYPE_BF16) return {2.3e-2, 7.3e-2, 5.1e-2, 5.6e-2, 1.7e-4};
    return {2.0e-3, 3.0e-3, 3.4e-3, 3.7e-3, 1.3e-6};  // FP16
}

void parity_line(const std::string& tag, const Worst& w, int dtype) {
    const ParityLimits lim = parity_limits(dtype);
    const bool ok = w.finite && w.mean <= lim.mean && w.bos <= lim.bos && w.per_token <= lim.per_token &&
                    w.logits <= lim.logits && 1.0 - w.mean_cos <= lim.one_minus_cos;
    ++g_checks;
    if (!ok) ++g_failures;
    char line[400];
    std::snprintf(line, sizeof line, "%-4s %-44s mean %.2e (cos %.6f) bos %.2e per_tok %.2e logits %.2e", ok ? "ok" : "FAIL",
                  tag.c_str(), w.mean, w.mean_cos, w.bos, w.per_token, w.logits);
    std::printf("%s\n", line);
    g_summary.push_back(line);
}

// Encodes `cu`/`tokens` as one request (final layer's mean and the logits, device outputs poisoned with NaN).
void encode_to_host(esm2j_workspace* ws, const IVec& cu, const IVec& tokens, size_t s0, size_t s1, int L, int E,
                    int V, Vec& mean, Vec& logits) {
    const int a = cu[s0], n = cu[s1] - a, S = (int)(s1 - s0);
    IVec local_cu(S + 1);
    for (int s = 0; s <= S; ++s) local_cu[s] = cu[s0 + s] - a;
    const int layer = L;
    Dev d_mean((size_t)S * E * 4), d_logits((size_t)n * V * 4);
    poison(d_mean.p, d_mean.bytes);
    poison(d_logits.p, d_logits.bytes);
    esm2j_encode_request req{};
    req.tokens = tokens.data() + a;
    req.n_tokens = n;
    req.cu_seqlens = local_cu.data();
    req.n_seqs = S;
    req.repr_layers = &layer;
    req.n_repr_layers = 1;
    req.outputs = ESM2J_OUT_MEAN | ESM2J_OUT_LOGITS;
    req.mean = d_mean.as<float>();
    req.logits = d_logits.as<float>();
    req.outputs_on_device = 1;
    EK(esm2j_encode(ws, nullptr, &req));
    CK(cudaStreamSynchronize(nullptr));
    CK(cudaMemcpy(mean.data() + s0 * E, d_mean.p, d_mean.bytes, cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(logits.data() + (size_t)a * V, d_logits.p, d_logits.bytes, cudaMemcpyDeviceToHost));
}

// The grid slices: one batch of 70,000 short sequences (1.2M tokens) needs two slices of the attention and
// pooling grids (<= 65535 sequences) and two of the reference GEMM's (<= 65535 x 16 rows); its outputs must
// equal those of the same sequences in batches of 4,096, which need none. Also the header's limits as the
// library's answers (esm2j_workspace_bytes) and the GEMM fallback count.
void check_grid_slices(const Checkpoint& ck) {
    const int L = ck.cfg.num_layers, E = ck.cfg.hidden_size, V = ck.cfg.vocab_size;
    const size_t S = 70000, small = 4096;
    std::vector<int> lens(S);
    std::uniform_int_distribution<int> len(10, 24);
    for (auto& l : lens) l = len(g_rng);
    const IVec cu = make_cu(lens);
    const IVec tokens = make_tokens(cu, ck.cfg.mask_token_id);
    const int N = cu.back();
    std::printf("grid slices: %zu sequences, %d tokens in one batch vs batches of %zu sequences\n", S, N, small);
    struct Config {
        int dtype, attention, kernels;
        const char* name;
    };
    const Config configs[] = {
        {ESM2J_DTYPE_F32, ESM2J_ATTENTION_REFERENCE, ESM2J_KERNELS_REFERENCE, "fp32 refattn refkern"},
        {ESM2J_DTYPE_F32, ESM2J_ATTENTION_FLASH, ESM2J_KERNELS_FAST, "fp32 flash fast"},
        {ESM2J_DTYPE_BF16, ESM2J_ATTENTION_FLASH, ESM2J_KERNELS_FAST, "bf16 flash fast"},
        {ESM2J_DTYPE_BF16, ESM2J_ATTENTION_CUDNN, ESM2J_KERNELS_FAST, "bf16 cudnn fast"},
    };
    for (const Config& c : configs) {
        esm2j_model* m = build_model(ck, c.dtype);
        if (&c == &configs[0]) {
            uint64_t bytes = 0;
            ++g_checks;
            const int over = esm2j_workspace_bytes(m, (int64_t)ESM2J_MAX_BATCH_TOKENS + 1, 1, &bytes);
            const std::string msg = esm2j_last_error();
            const int at = esm2j_workspace_bytes(m, ESM2J_MAX_BATCH_TOKENS, ESM2J_MAX_BATCH_SEQUENCES, &bytes);
            const bool ok = over == ESM2J_ERROR_INVALID_ARGUMENT && msg.find("1073741824") != std::string::npos &&
                            at == ESM2J_OK && bytes > 0;
            if (!ok) {
                ++g_failures;
                g_summary.push_back("FAIL workspace limits are the header's");
            }
            std::printf("%-4s workspace limits are the header's: above -> %d \"%s\"; at -> %d (%llu bytes)\n",
                        ok ? "ok" : "FAIL", over, msg.c_str(), at, (unsigned long long)bytes);
        }
        esm2j_workspace *big = nullptr, *batches = nullptr;
        EK(esm2j_workspace_create(m, N, (int32_t)S, &big));
        EK(esm2j_workspace_create(m, (int64_t)small * 26, (int32_t)small, &batches));
        for (esm2j_workspace* ws : {big, batches}) {
            EK(esm2j_workspace_set_option(ws, ESM2J_OPTION_ATTENTION, c.attention));
            EK(esm2j_workspace_set_option(ws, ESM2J_OPTION_KERNELS, c.kernels));
        }
        Vec mean_big((size_t)S * E), logits_big((size_t)N * V), mean_small((size_t)S * E), logits_small((size_t)N * V);
        encode_to_host(big, cu, tokens, 0, S, L, E, V, mean_big, logits_big);
        int32_t used = -1;
        const char* note = "";
        EK(esm2j_workspace_attention_used(big, &used, &note));
        for (size_t s0 = 0; s0 < S; s0 += small)
            encode_to_host(batches, cu, tokens, s0, std::min(S, s0 + small), L, E, V, mean_small, logits_small);
        // Worst sequence: a slice launched at the wrong offset spoils whole sequences, not a few digits.
        Error worst;
        for (size_t s = 0; s < S; ++s) {
            const Error em = compare(&mean_big[s * E], &mean_small[s * E], E);
            const Error el = compare(&logits_big[(size_t)cu[s] * V], &logits_small[(size_t)cu[s] * V],
                                     (int64_t)lens[s] * V);
            for (const Error& e : {em, el}) {
                worst.rel_l2 = std::max(worst.rel_l2, e.rel_l2);
                worst.max_abs = std::max(worst.max_abs, e.max_abs);
                worst.finite = worst.finite && e.finite;
            }
        }
        // Same kernels per sequence; only cuBLASLt's algorithm may differ with the row count (and so bf16 roundings).
        report(std::string("grid slices ") + c.name + " (worst sequence, mean and logits)", worst,
               c.dtype == ESM2J_DTYPE_F32 ? 1e-5 : 1e-2);
        if (note && note[0]) std::printf("     note: %s\n", note);
        if (c.attention == ESM2J_ATTENTION_CUDNN && used != ESM2J_ATTENTION_CUDNN)
            g_summary.push_back(std::string("note grid slices ") + c.name + ": cuDNN fell back: " + note);
        int64_t fallbacks = -1;
        EK(esm2j_workspace_gemm_fallbacks(big, &fallbacks));
        if (fallbacks != 0) {
            std::printf("     note: %lld GEMM(s) of the %d-token batch ran on the reference kernel\n", (long long)fallbacks, N);
            if (c.kernels == ESM2J_KERNELS_FAST)
                g_summary.push_back(std::string("note grid slices ") + c.name + ": cuBLASLt fell back to the reference GEMM");
        }
        EK(esm2j_workspace_destroy(big));
        EK(esm2j_workspace_destroy(batches));
        EK(esm2j_model_destroy(m));
    }
}

void parity(const std::string& dir, bool quick) {
    const char* names[] = {"esm2-tiny-L2-E64-H4", "esm2-small-L4-E128-H2"};
    for (const char* name : names) {
        if (quick && std::string(name) != "esm2-tiny-L2-E64-H4") continue;
        Checkpoint ck;
        if (!load_checkpoint(dir, name, ck)) continue;
        std::printf("parity %s: L=%d E=%d H=%d, %zu sequences\n", name, ck.cfg.num_layers, ck.cfg.hidden_size,
                    ck.cfg.num_heads, ck.ids.size());
        struct Config {
            int dtype, attention, kernels;
            bool single, device_outputs;
        };
        std::vector<Config> configs;
        for (int dt : {ESM2J_DTYPE_F32, ESM2J_DTYPE_BF16}) {
            configs.push_back({dt, ESM2J_ATTENTION_FLASH, ESM2J_KERNELS_FAST, false, false});
            if (quick) continue;
            configs.push_back({dt, ESM2J_ATTENTION_FLASH, ESM2J_KERNELS_FAST, true, false});
            configs.push_back({dt, ESM2J_ATTENTION_FLASH, ESM2J_KERNELS_FAST, false, true});
            configs.push_back({dt, ESM2J_ATTENTION_REFERENCE, ESM2J_KERNELS_REFERENCE, false, false});
            configs.push_back({dt, ESM2J_ATTENTION_REFERENCE, ESM2J_KERNELS_FAST, false, false});
            configs.push_back({dt, ESM2J_ATTENTION_FLASH, ESM2J_KERNELS_REFERENCE, false, false});
            if (dt != ESM2J_DTYPE_F32) configs.push_back({dt, ESM2J_ATTENTION_CUDNN, ESM2J_KERNELS_FAST, false, false});
        }
        if (!quick) configs.push_back({ESM2J_DTYPE_F16, ESM2J_ATTENTION_FLASH, ESM2J_KERNELS_FAST, false, false});
        for (const Config& c : configs) {
            esm2j_model* m = build_model(ck, c.dtype);
            esm2j_workspace* ws = nullptr;
            EK(esm2j_workspace_create(m, 4096, 16, &ws));
            EK(esm2j_workspace_set_option(ws, ESM2J_OPTION_ATTENTION, c.attention));
            EK(esm2j_workspace_set_option(ws, ESM2J_OPTION_KERNELS, c.kernels));
            Worst w;
            std::vector<Outputs> singles;
            if (c.single) {
                for (size_t i = 0; i < ck.ids.size(); ++i) {
                    const Outputs o = run_batch(ws, ck, {i}, c.device_outputs);
                    check_sequence(ck, o, 0, i, w);
                }
            } else {
                std::vector<size_t> all(ck.ids.size());
                for (size_t i = 0; i < all.size(); ++i) all[i] = i;
                const Outputs o = run_batch(ws, ck, all, c.device_outputs);
                for (size_t i = 0; i < all.size(); ++i) check_sequence(ck, o, i, i, w);
                if (c.attention == ESM2J_ATTENTION_FLASH && c.kernels == ESM2J_KERNELS_FAST && !c.device_outputs)
                    check_encode_paths(ck, m, ws, o, c.dtype,
                                       ck.name.substr(0, 10) + (c.dtype == ESM2J_DTYPE_F32 ? " fp32" : c.dtype == ESM2J_DTYPE_F16 ? " fp16" : " bf16"));
            }
            int32_t used = -1;
            const char* note = "";
            EK(esm2j_workspace_attention_used(ws, &used, &note));
            const char* dn = c.dtype == ESM2J_DTYPE_F32 ? "fp32" : c.dtype == ESM2J_DTYPE_F16 ? "fp16" : "bf16";
            const char* an = c.attention == ESM2J_ATTENTION_FLASH ? "flash" : c.attention == ESM2J_ATTENTION_REFERENCE ? "refattn" : "cudnn";
            char tag[160];
            std::snprintf(tag, sizeof tag, "%s %s %s %s%s%s", ck.name.substr(0, 10).c_str(), dn, an,
                          c.kernels == ESM2J_KERNELS_REFERENCE ? "refkern" : "fast", c.single ? " single" : " packed",
                          c.device_outputs ? " devout" : "");
            parity_line(tag, w, c.dtype);
            if (note && note[0]) std::printf("     note: %s\n", note);
            if (c.attention == ESM2J_ATTENTION_CUDNN && used != ESM2J_ATTENTION_CUDNN)
                g_summary.push_back(std::string("note ") + tag + ": cuDNN fell back: " + note);
            EK(esm2j_workspace_destroy(ws));
            EK(esm2j_model_destroy(m));
        }
        if (!quick && ck.name == "esm2-tiny-L2-E64-H4") check_grid_slices(ck);
    }
}

// The same forward pass on the CPU from cpu_reference.cpp (no GPU needed): checks esm2j's reading of
// the model (op order, token dropout, rotary, LayerNorm placement, pooling, LM head) against
// fair-esm independently of the kernels. ctest runs it on the build machine.
const Vec& weight(const Checkpoint& ck, const std::string& key, std::vector<Vec>& keep) {
    const StTensor* t = ck.weights.find(key);
    if (!t) {
        std::printf("missing tensor %s\n", key.c_str());
        std::exit(2);
    }
    keep.push_back(t->to_f32());
    return keep.back();
}

Outputs cpu_forward(const Checkpoint& ck, const std::vector<size_t>& idx) {
    const int L = ck.cfg.num_layers, E = ck.cfg.hidden_size, H = ck.cfg.num_heads, V = ck.cfg.vocab_size;
    const int F = ck.cfg.intermediate_size, D = E / H;
    const float eps = ck.cfg.layer_norm_eps;
    Outputs out;
    IVec tokens;
    out.cu = {0};
    for (size_t i : idx) {
        const IVec t = ck.expected.find(ck.ids[i] + ".tokens")->to_i32();
        tokens.insert(tokens.end(), t.begin(), t.end());
        out.cu.push_back((int)tokens.size());
    }
    const int N = (int)tokens.size(), S = (int)idx.size();
    out.mean.assign((size_t)(L + 1) * S * E, 0.f);
    out.bos.assign((size_t)(L + 1) * S * E, 0.f);
    out.per_token.assign((size_t)(L + 1) * N * E, 0.f);
    auto emit = [&](int l, const Vec& x) {
        std::copy(x.begin(), x.end(), out.per_token.begin() + (size_t)l * N * E);
        Vec m, b;
        cpu_pool(x, out.cu, E, m, b);
        std::copy(m.begin(), m.end(), out.mean.begin() + (size_t)l * S * E);
        std::copy(b.begin(), b.end(), out.bos.begin() + (size_t)l * S * E);
    };
    std::vector<Vec> keep;
    keep.reserve(64);
    auto W = [&](const std::string& k) -> const Vec& { return weight(ck, k, keep); };
    const Vec& embed = W("esm.embeddings.word_embeddings.weight");
    Vec x, h, qkv, q, k, v, o, y, f;
    cpu_embed(embed, tokens, out.cu, E, ck.cfg.mask_token_id, true, x);
    emit(0, x);
    const std::string p0 = "esm.encoder.layer.0.";
    cpu_add_layernorm(x, nullptr, nullptr, W(p0 + "attention.LayerNorm.weight"), W(p0 + "attention.LayerNorm.bias"),
                      eps, N, E, h);
    for (int l = 0; l < L; ++l) {
        keep.clear();
        const std::string p = "esm.encoder.layer." + std::to_string(l) + ".";
        Vec wqkv = W(p + "attention.self.query.weight"), bqkv = W(p + "attention.self.query.bias");
        for (const char* n : {"key", "value"}) {
            const Vec& w = W(p + "attention.self." + n + ".weight");
            const Vec& b = W(p + "attention.self." + n + ".bias");
            wqkv.insert(wqkv.end(), w.begin(), w.end());
            bqkv.insert(bqkv.end(), b.begin(), b.end());
        }
        cpu_gemm(h, wqkv, N, 3 * E, E, qkv);
        cpu_qkv_rotary(qkv, bqkv, W(p + "attention.self.rotary_embeddings.inv_freq"), out.cu, H, D,
                       1.f / std::sqrt((float)D), q, k, v);
        cpu_attention(q, k, v, out.cu, H, D, 1.f, o);
        cpu_gemm(o, W(p + "attention.output.dense.weight"), N, E, E, y);
        cpu_add_layernorm(x, &y, &W(p + "attention.output.dense.bias"), W(p + "LayerNorm.weight"),
                          W(p + "LayerNorm.bias"), eps, N, E, h);
        cpu_gemm(h, W(p + "intermediate.dense.weight"), N, F, E, f);
        cpu_bias_gelu(f, W(p + "intermediate.dense.bias"), N, F);
        cpu_gemm(f, W(p + "output.dense.weight"), N, E, F, y);
        if (l + 1 < L) {
            const std::string pn = "esm.encoder.layer." + std::to_string(l + 1) + ".";
            cpu_add_layernorm(x, &y, &W(p + "output.dense.bias"), W(pn + "attention.LayerNorm.weight"),
                              W(pn + "attention.LayerNorm.bias"), eps, N, E, h);
            emit(l + 1, x);
        } else {
            cpu_add_layernorm(x, &y, &W(p + "output.dense.bias"), W("esm.encoder.emb_layer_norm_after.weight"),
                              W("esm.encoder.emb_layer_norm_after.bias"), eps, N, E, h);
            emit(L, h);
        }
    }
    keep.clear();
    cpu_gemm(h, W("lm_head.dense.weight"), N, E, E, y);
    cpu_bias_gelu(y, W("lm_head.dense.bias"), N, E);
    Vec h2;
    cpu_add_layernorm(y, nullptr, nullptr, W("lm_head.layer_norm.weight"), W("lm_head.layer_norm.bias"), eps, N, E, h2);
    cpu_gemm(h2, W("esm.embeddings.word_embeddings.weight"), N, V, E, out.logits);
    const Vec& lb = W("lm_head.bias");
    for (int t = 0; t < N; ++t)
        for (int c = 0; c < V; ++c) out.logits[(size_t)t * V + c] += lb[c];
    return out;
}

void cpu_parity(const std::string& dir) {
    for (const char* name : {"esm2-tiny-L2-E64-H4", "esm2-small-L4-E128-H2"}) {
        Checkpoint ck;
        if (!load_checkpoint(dir, name, ck)) continue;
        std::vector<size_t> all(ck.ids.size());
        for (size_t i = 0; i < all.size(); ++i) all[i] = i;
        Worst w;
        const Outputs o = cpu_forward(ck, all);
        for (size_t i = 0; i < all.size(); ++i) check_sequence(ck, o, i, i, w);
        parity_line(std::string("cpu-reference ") + ck.name.substr(0, 10) + " fp32 packed", w, ESM2J_DTYPE_F32);
    }
}

// ============================== (c) benchmarks ==============================

struct Shape {
    const char* name;
    int L, E, H;
};
const Shape kShapes[] = {{"8M", 6, 320, 20},      {"35M", 12, 480, 20},    {"150M", 30, 640, 20},
                         {"650M", 33, 1280, 20}, {"3B", 36, 2560, 40},    {"15B", 48, 5120, 40}};

std::vector<int> length_mix(int count) {
    std::mt19937_64 rng(12345);
    std::lognormal_distribution<double> d(std::log(300.0), 0.6);
    std::vector<int> lens;
    for (int i = 0; i < count; ++i) lens.push_back(2 + std::min(1022, std::max(30, (int)d(rng))));
    return lens;
}

esm2j_model* random_model(const Shape& s, int dtype, const std::vector<float>& pool_f32, const std::vector<uint16_t>& pool_16,
                          bool f32_source = false) {
    esm2j_model_config cfg{};
    cfg.num_layers = s.L;
    cfg.hidden_size = s.E;
    cfg.num_heads = s.H;
    cfg.intermediate_size = 4 * s.E;
    cfg.vocab_size = 33;
    cfg.layer_norm_eps = 1e-5f;
    cfg.token_dropout = 1;
    cfg.mask_token_id = 32;
    cfg.compute_dtype = dtype;
    esm2j_model* m = nullptr;
    const int st = esm2j_model_create(0, &cfg, &m);
    if (st != ESM2J_OK) {
        std::printf("     %s: model_create: %s\n", s.name, esm2j_last_error());
        return nullptr;
    }
    const int E = s.E, F = 4 * E, D = E / s.H;
    std::vector<float> inv(D / 2), ones(F, 1.f);
    for (int i = 0; i < D / 2; ++i) inv[i] = (float)std::pow(10000.0, -2.0 * i / D);
    // Matrices come from a shared pool of random values (offset per tensor); vectors are small.
    size_t offset = 0;
    auto matrix = [&](int tensor, int layer, int64_t n) {
        offset = (offset + 7919) % (pool_f32.size() / 4);
        if (dtype == ESM2J_DTYPE_F32 || f32_source)
            EK(esm2j_model_set_tensor(m, tensor, layer, ESM2J_DTYPE_F32, pool_f32.data() + offset, n));
        else  // pool_16 holds bf16 bits; as fp16 bits they are tiny values, still fine for timing
            EK(esm2j_model_set_tensor(m, tensor, layer, ESM2J_DTYPE_BF16, pool_16.data() + offset, n));
    };
    auto vec = [&](int tensor, int layer, int64_t n, bool gain) {
        if (gain) EK(esm2j_model_set_tensor(m, tensor, layer, ESM2J_DTYPE_F32, ones.data(), n));
        else EK(esm2j_model_set_tensor(m, tensor, layer, ESM2J_DTYPE_F32, pool_f32.data() + 11, n));
    };
    for (int l = 0; l < s.L; ++l) {
        vec(ESM2J_T_ATTN_LN_W, l, E, true);
        vec(ESM2J_T_ATTN_LN_B, l, E, false);
        matrix(ESM2J_T_Q_W, l, (int64_t)E * E);
        vec(ESM2J_T_Q_B, l, E, false);
        matrix(ESM2J_T_K_W, l, (int64_t)E * E);
        vec(ESM2J_T_K_B, l, E, false);
        matrix(ESM2J_T_V_W, l, (int64_t)E * E);
        vec(ESM2J_T_V_B, l, E, false);
        EK(esm2j_model_set_tensor(m, ESM2J_T_ROTARY_INV_FREQ, l, ESM2J_DTYPE_F32, inv.data(), D / 2));
        matrix(ESM2J_T_O_W, l, (int64_t)E * E);
        vec(ESM2J_T_O_B, l, E, false);
        vec(ESM2J_T_FFN_LN_W, l, E, true);
        vec(ESM2J_T_FFN_LN_B, l, E, false);
        matrix(ESM2J_T_FC1_W, l, (int64_t)F * E);
        vec(ESM2J_T_FC1_B, l, F, false);
        matrix(ESM2J_T_FC2_W, l, (int64_t)E * F);
        vec(ESM2J_T_FC2_B, l, E, false);
    }
    matrix(ESM2J_T_EMBED, -1, (int64_t)33 * E);
    vec(ESM2J_T_FINAL_LN_W, -1, E, true);
    vec(ESM2J_T_FINAL_LN_B, -1, E, false);
    matrix(ESM2J_T_LM_DENSE_W, -1, (int64_t)E * E);
    vec(ESM2J_T_LM_DENSE_B, -1, E, false);
    vec(ESM2J_T_LM_LN_W, -1, E, true);
    vec(ESM2J_T_LM_LN_B, -1, E, false);
    vec(ESM2J_T_LM_BIAS, -1, 33, false);
    EK(esm2j_model_finalize(m));
    return m;
}

// Times full forward passes (mean of the last layer, device outputs) over a length mix.
// gemm_algo: ESM2J_GEMM_ALGO for this run's workspace (nullptr: the default, invariant), named in the line when set.
void bench_forward(const Shape& s, int dtype, int attention, int max_tokens, const std::vector<float>& pool_f32,
                   const std::vector<uint16_t>& pool_16, const char* gemm_algo = nullptr) {
    const char* dn = dtype == ESM2J_DTYPE_F32 ? "fp32" : "bf16";
    const char* an = attention == ESM2J_ATTENTION_CUDNN ? "cudnn" : attention == ESM2J_ATTENTION_REFERENCE ? "refattn" : "flash";
    esm2j_model* m = random_model(s, dtype, pool_f32, pool_16);
    if (!m) return;
    esm2j_workspace* ws = nullptr;
    if (gemm_algo) setenv("ESM2J_GEMM_ALGO", gemm_algo, 1);
    const int created = esm2j_workspace_create(m, max_tokens, 4096, &ws);
    if (gemm_algo) unsetenv("ESM2J_GEMM_ALGO");
    if (created != ESM2J_OK) {
        std::printf("     %s %s: workspace: %s\n", s.name, dn, esm2j_last_error());
        esm2j_model_destroy(m);
        return;
    }
    EK(esm2j_workspace_set_option(ws, ESM2J_OPTION_ATTENTION, attention));
    uint64_t ws_bytes = 0, model_bytes = 0;
    EK(esm2j_workspace_bytes(m, max_tokens, 4096, &ws_bytes));
    // Batches: greedy packing of the length mix up to max_tokens.
    const std::vector<int> lens = length_mix(4000);
    std::vector<IVec> batches_cu;
    IVec cur{0};
    for (int l : lens) {
        if (cur.back() + l > max_tokens) {
            batches_cu.push_back(cur);
            cur = {0};
            if (batches_cu.size() == 6) break;
        }
        cur.push_back(cur.back() + l);
    }
    const int n_seq_max = 4096;
    IVec tokens(max_tokens);
    std::mt19937 rng(7);
    for (auto& t : tokens) t = 4 + (int)(rng() % 27);
    float* mean = nullptr;
    CK(cudaMalloc(&mean, (size_t)n_seq_max * s.E * 4));
    const int32_t last = s.L;
    cudaStream_t stream;
    CK(cudaStreamCreate(&stream));
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    auto encode = [&](const IVec& cu) {
        IVec tok(tokens.begin(), tokens.begin() + cu.back());
        for (size_t i = 0; i + 1 < cu.size(); ++i) {
            tok[cu[i]] = 0;
            tok[cu[i + 1] - 1] = 2;
        }
        esm2j_encode_request req{};
        req.tokens = tok.data();
        req.n_tokens = cu.back();
        req.cu_seqlens = cu.data();
        req.n_seqs = (int)cu.size() - 1;
        req.repr_layers = &last;
        req.n_repr_layers = 1;
        req.outputs = ESM2J_OUT_MEAN;
        req.mean = mean;
        req.outputs_on_device = 1;
        EK(esm2j_encode(ws, stream, &req));
    };
    // Warm-up over every batch: cuBLASLt heuristics and cuDNN plans (one per batch shape) stay out of the timing.
    for (const IVec& cu : batches_cu) encode(cu);
    CK(cudaStreamSynchronize(stream));
    int64_t tokens_total = 0;
    CK(cudaEventRecord(e0, stream));
    for (size_t b = 1; b < batches_cu.size(); ++b) {
        encode(batches_cu[b]);
        tokens_total += batches_cu[b].back();
    }
    CK(cudaEventRecord(e1, stream));
    CK(cudaEventSynchronize(e1));
    float ms = 0;
    CK(cudaEventElapsedTime(&ms, e0, e1));
    int32_t used = -1;
    const char* note = "";
    esm2j_workspace_attention_used(ws, &used, &note);
    char line[300];
    const double tps = tokens_total / (ms / 1e3);
    const double flops_per_token = 24.0 * s.E * (double)s.E * s.L;  // QKV+O 8E^2, FFN 16E^2 (x2 for FMA)
    std::snprintf(line, sizeof line, "bench %-5s %s %-7s %7.0f tokens/s  (%lld tokens in %zu batches of <=%d, %.1f ms, ~%.0f TFLOP/s in GEMMs)%s%s%s",
                  s.name, dn, an, tps, (long long)tokens_total, batches_cu.size() - 1, max_tokens, ms,
                  tps * flops_per_token / 1e12, used != attention ? " [attention fell back]" : "",
                  gemm_algo ? " gemm=" : "", gemm_algo ? gemm_algo : "");
    std::printf("%s\n", line);
    {
        esm2j_model_config cfg{};
        cfg.num_layers = s.L;
        cfg.hidden_size = s.E;
        cfg.num_heads = s.H;
        cfg.intermediate_size = 4 * s.E;
        cfg.vocab_size = 33;
        cfg.layer_norm_eps = 1e-5f;
        cfg.token_dropout = 1;
        cfg.mask_token_id = 32;
        cfg.compute_dtype = dtype;
        if (esm2j_model_bytes(&cfg, &model_bytes) != ESM2J_OK) model_bytes = 0;
    }
    std::printf("     memory: weights %.2f GiB, workspace %.2f GiB for %d tokens (%.1f KiB per token)\n",
                model_bytes / 1073741824.0, ws_bytes / 1073741824.0, max_tokens, ws_bytes / 1024.0 / max_tokens);
    if (note && note[0]) std::printf("     note: %s\n", note);
    g_summary.push_back(line);
    cudaEventDestroy(e0);
    cudaEventDestroy(e1);
    cudaStreamDestroy(stream);
    cudaFree(mean);
    EK(esm2j_workspace_destroy(ws));
    EK(esm2j_model_destroy(m));
}

void bench_gemm() {
    const int n = 8192;
    Dev a((size_t)n * n * 2), b((size_t)n * n * 2), c((size_t)n * n * 2), lt(32u << 20);
    const Vec r = randn((size_t)1 << 20, 1.f);
    Dev rr = upload(r, DType::BF16);
    for (size_t off = 0; off < (size_t)n * n * 2; off += rr.bytes) {
        CK(cudaMemcpy(a.as<char>() + off, rr.p, rr.bytes, cudaMemcpyDeviceToDevice));
        CK(cudaMemcpy(b.as<char>() + off, rr.p, rr.bytes, cudaMemcpyDeviceToDevice));
    }
    GemmRunner runner;
    EK(runner.init(lt.p, lt.bytes));
    const GemmShape g{a.p, b.p, c.p, n, n, n, DType::BF16, DType::BF16};
    EK(runner.run(Variant::Fast, g, nullptr));
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    std::vector<float> times;
    for (int i = 0; i < 10; ++i) {
        CK(cudaEventRecord(e0));
        EK(runner.run(Variant::Fast, g, nullptr));
        CK(cudaEventRecord(e1));
        CK(cudaEventSynchronize(e1));
        float ms;
        CK(cudaEventElapsedTime(&ms, e0, e1));
        times.push_back(ms);
    }
    std::sort(times.begin(), times.end());
    const double tf = 2.0 * n * (double)n * n / (times[5] / 1e3) / 1e12;
    char line[200];
    std::snprintf(line, sizeof line, "bench cuBLASLt bf16 GEMM 8192^3: %.3f ms median, %.0f TFLOP/s", times[5], tf);
    std::printf("%s\n", line);
    g_summary.push_back(line);
    cudaEventDestroy(e0);
    cudaEventDestroy(e1);
}

// Attention alone, 650M-like heads (H=20, D=64), bf16, on the length mix: flash vs reference vs cuDNN.
void bench_attention(int cc_major) {
    const int H = 20, D = 64, Dp = 64, E = H * D;
    std::vector<int> lens;
    int total = 0;
    for (int l : length_mix(4000)) {
        if (total + l > 16384) break;
        lens.push_back(l);
        total += l;
    }
    const IVec cu = make_cu(lens);
    const int N = cu.back(), S = (int)lens.size();
    int max_len = *std::max_element(lens.begin(), lens.end());
    const size_t spare = (size_t)cudnn_pad_rows(S);  // rows of cuDNN's padding sequences (attention_cudnn.h)
    const Vec r = randn(((size_t)N + spare) * H * Dp, 1.f);
    Dev q = upload(r, DType::BF16), k = upload(r, DType::BF16), v = upload(r, DType::BF16), dcu = upload_i(cu),
        o(((size_t)N + spare) * E * 2);
    IVec li(cudnn_seq_entries(S)), rq(cudnn_ragged_entries(S)), ro(rq.size());
    cudnn_fill_batch(cu.data(), S, (int64_t)H * Dp, E, true, li.data(), rq.data(), ro.data());
    Dev drq = upload_i(rq), dro = upload_i(ro), dl = upload_i(li), wsp(32u << 20);
    AttentionParams p = packed_attention_params(q.p, k.p, v.p, o.p, dcu.as<int>(),
                                                S, N, max_len, H, D, Dp, 0.125f, DType::BF16);
    double flops = 0;
    for (int l : lens) flops += 4.0 * l * (double)l * D * H;
    CudnnAttention cudnn;
    auto time = [&](const char* name, const std::function<bool()>& launch) {
        if (!launch()) return;
        CK(cudaDeviceSynchronize());
        cudaEvent_t e0, e1;
        CK(cudaEventCreate(&e0));
        CK(cudaEventCreate(&e1));
        CK(cudaEventRecord(e0));
        const int reps = 5;
        for (int i = 0; i < reps; ++i) launch();
        CK(cudaEventRecord(e1));
        CK(cudaEventSynchronize(e1));
        float ms;
        CK(cudaEventElapsedTime(&ms, e0, e1));
        ms /= reps;
        char line[200];
        std::snprintf(line, sizeof line, "bench attention %-10s bf16 H=20 D=64, %d tokens in %d seqs: %.3f ms, %.0f TFLOP/s", name, N, S,
                      ms, flops / (ms / 1e3) / 1e12);
        std::printf("%s\n", line);
        g_summary.push_back(line);
        cudaEventDestroy(e0);
        cudaEventDestroy(e1);
    };
    time("flash", [&] { return launch_attention_flash(p, cc_major, nullptr) == cudaSuccess; });
    time("flash-wide", [&] { return launch_attention_flash_wide(p, cc_major, nullptr) == cudaSuccess; });
    time("reference", [&] { return launch_attention_reference(p, nullptr) == cudaSuccess; });
    time("cudnn", [&] {
        std::string why;
        bool ran = false;
        if (!CudnnAttention::supports(p, &why)) {
            std::printf("     cudnn attention: %s\n", why.c_str());
            return false;
        }
        const CudnnBatchInputs batch{dl.as<int>(), drq.as<int>(), dro.as<int>(), cu.data()};
        const int st = cudnn.run(p, batch, wsp.p, wsp.bytes, nullptr, &ran, &why);
        if (st != ESM2J_OK || !ran) {
            std::printf("     cudnn attention did not run: %s %s\n", why.c_str(), esm2j_last_error());
            return false;
        }
        return true;
    });
}

// cuDNN plans over a stream of batches as a run makes them (the length mix sorted into 16,384-token batches, so
// n_seqs and the longest sequence change from batch to batch), with bucketed graph shapes (the default) and
// with exact ones (one plan per batch shape, as before): plans built, time building them, the stream's time, the
// attention's own time once the plans exist, and whether the two give bitwise the same output per batch.
void bench_cudnn_plans() {
    const int H = 20, D = 64, Dp = 64, E = H * D, budget = 16384, batches_wanted = 24;
    std::vector<int> all = length_mix(6000);
    std::sort(all.begin(), all.end());
    std::vector<std::vector<int>> batches;
    for (size_t i = 0; i < all.size();) {
        std::vector<int> b;
        int tokens = 0;
        while (i < all.size() && tokens + all[i] <= budget) tokens += all[i], b.push_back(all[i++]);
        batches.push_back(b);
    }
    // Every k-th batch: a stream over the whole range of lengths, in a shuffled order as windows come.
    std::vector<std::vector<int>> stream;
    const size_t step = std::max<size_t>(1, batches.size() / batches_wanted);
    for (size_t i = 0; i < batches.size() && (int)stream.size() < batches_wanted; i += step) stream.push_back(batches[i]);
    std::shuffle(stream.begin(), stream.end(), std::mt19937_64(7));
    int most_seqs = 0, fewest = INT32_MAX;
    for (const auto& b : stream) most_seqs = std::max(most_seqs, (int)b.size()), fewest = std::min(fewest, (int)b.size());
    const size_t rows = (size_t)budget + (size_t)cudnn_pad_rows(most_seqs);
    const Vec r = randn(rows * H * Dp, 1.f);
    Dev q = upload(r, DType::BF16), k = upload(r, DType::BF16), v = upload(r, DType::BF16), wsp(64u << 20);
    Dev out[2] = {Dev(rows * E * 2), Dev(rows * E * 2)};
    CudnnAttention cudnn[2];
    cudnn[1].set_plan_buckets(false);
    double stream_s[2] = {0, 0}, exec_ms[2] = {0, 0};
    int identical = 0, ran = 0;
    std::string why;
    for (const auto& lens : stream) {
        const IVec cu = make_cu(lens);
        const int N = cu.back(), S = (int)lens.size();
        Dev dcu = upload_i(cu);
        AttentionParams p = packed_attention_params(q.p, k.p, v.p, nullptr, dcu.as<int>(),
                                                    S, N, *std::max_element(lens.begin(), lens.end()), H, D, Dp, 0.125f,
                                                    DType::BF16);
        if (!CudnnAttention::supports(p, &why)) {
            std::printf("     cudnn plans: %s\n", why.c_str());
            return;
        }
        bool both = true;
        for (int mode = 0; mode < 2; ++mode) {
            const bool buckets = mode == 0;
            IVec li(cudnn_seq_entries(S, buckets)), rq(cudnn_ragged_entries(S, buckets)), ro(rq.size());
            cudnn_fill_batch(cu.data(), S, (int64_t)H * Dp, E, buckets, li.data(), rq.data(), ro.data());
            Dev dl = upload_i(li), drq = upload_i(rq), dro = upload_i(ro);
            const CudnnBatchInputs batch{dl.as<int>(), drq.as<int>(), dro.as<int>(), cu.data()};
            p.o = out[mode].p;
            bool did = false;
            CK(cudaDeviceSynchronize());
            const auto t0 = std::chrono::steady_clock::now();
            const int st = cudnn[mode].run(p, batch, wsp.p, wsp.bytes, nullptr, &did, &why);
            CK(cudaDeviceSynchronize());
            stream_s[mode] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (st != ESM2J_OK || !did) {
                std::printf("     cudnn plans (%s): did not run: %s %s\n", buckets ? "bucketed" : "exact", why.c_str(),
                            esm2j_last_error());
                both = false;
                break;
            }
            cudaEvent_t e0, e1;
            CK(cudaEventCreate(&e0));
            CK(cudaEventCreate(&e1));
            CK(cudaEventRecord(e0));
            cudnn[mode].run(p, batch, wsp.p, wsp.bytes, nullptr, &did, &why);
            CK(cudaEventRecord(e1));
            CK(cudaEventSynchronize(e1));
            float ms = 0;
            CK(cudaEventElapsedTime(&ms, e0, e1));
            exec_ms[mode] += ms;
            cudaEventDestroy(e0);
            cudaEventDestroy(e1);
        }
        if (!both) return;
        ++ran;
        std::vector<char> a((size_t)N * E * 2), b(a.size());
        CK(cudaMemcpy(a.data(), out[0].p, a.size(), cudaMemcpyDeviceToHost));
        CK(cudaMemcpy(b.data(), out[1].p, b.size(), cudaMemcpyDeviceToHost));
        identical += std::memcmp(a.data(), b.data(), a.size()) == 0;
    }
    for (int mode = 0; mode < 2; ++mode) {
        const CudnnAttention::PlanStats st = cudnn[mode].plan_stats();
        char line[260];
        std::snprintf(line, sizeof line,
                      "bench cudnn plans %-8s %d batches of <=%d tokens (%d..%d seqs): %lld plans built in %.2f s, "
                      "stream %.2f s, attention %.3f ms/batch once planned",
                      mode == 0 ? "bucketed" : "exact", ran, budget, fewest, most_seqs, (long long)st.built,
                      st.build_seconds, stream_s[mode], exec_ms[mode] / std::max(1, ran));
        std::printf("%s\n", line);
        g_summary.push_back(line);
    }
    char line[200];
    std::snprintf(line, sizeof line, "bench cudnn plans bucketed vs exact: bitwise identical output in %d of %d batches",
                  identical, ran);
    std::printf("%s\n", line);
    g_summary.push_back(line);
}

// Times the weight upload of a shape from host memory, fp32 as published checkpoints store it, converted to bf16 on
// the device: through the library's pinned chunks (the default) and through the pageable path (ESM2J_UPLOAD=pageable,
// one synchronous copy per tensor, what esm2j did before). The host memory is already resident: this is the copy's
// cost, not the disk's.
void bench_upload(const Shape& s, const std::vector<float>& pool_f32, const std::vector<uint16_t>& pool_16) {
    const double src_bytes = 4.0 * ((double)s.L * (12.0 * s.E * s.E + 13.0 * s.E) + 34.0 * s.E + (double)s.E * s.E);
    double ms[2] = {0, 0};
    for (int pageable = 0; pageable < 2; ++pageable) {
        if (pageable) setenv("ESM2J_UPLOAD", "pageable", 1);
        const auto t0 = std::chrono::steady_clock::now();
        esm2j_model* m = random_model(s, ESM2J_DTYPE_BF16, pool_f32, pool_16, true);
        ms[pageable] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (pageable) unsetenv("ESM2J_UPLOAD");
        if (!m) return;
        EK(esm2j_model_destroy(m));
    }
    char line[300];
    std::snprintf(line, sizeof line,
                  "bench upload %-5s fp32->bf16 %.2f GB: pinned chunks %.0f ms (%.1f GB/s), pageable per tensor %.0f ms (%.1f GB/s)",
                  s.name, src_bytes / 1e9, ms[0], src_bytes / ms[0] / 1e6, ms[1], src_bytes / ms[1] / 1e6);
    std::printf("%s\n", line);
    g_summary.push_back(line);
}

// ============================== (d) batch invariance ==============================

// Random-weight pools for random_model: matrices read pool_f32 / pool_16 at offsets below pool_f32.size() / 4.
void make_pools(size_t largest_matrix, std::vector<float>& pool_f32, std::vector<uint16_t>& pool_16) {
    pool_f32.resize(4 * largest_matrix + 64);
    pool_16.resize(2 * largest_matrix + 64);
    std::mt19937 rng(99);
    std::normal_distribution<float> d(0.f, 0.02f);
    for (auto& x : pool_f32) x = d(rng);
    for (size_t i = 0; i < pool_16.size(); ++i) {
        uint32_t bits;
        std::memcpy(&bits, &pool_f32[i], 4);
        pool_16[i] = (uint16_t)((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
    }
}

// One composition: the sequences in `order`, packed greedily into batches of at most `budget` tokens, each batch
// one esm2j_encode asking the mean and BOS of `layers` (device outputs); results scattered back per sequence:
// out[seq] = mean of each layer, then BOS of each layer.
void encode_composition(esm2j_workspace* ws, const std::vector<IVec>& seq_tokens, const std::vector<size_t>& order,
                        int budget, const IVec& layers, int E, std::vector<Vec>& out, int* n_batches) {
    const int R = (int)layers.size();
    out.assign(seq_tokens.size(), Vec());
    *n_batches = 0;
    size_t i = 0;
    while (i < order.size()) {
        std::vector<size_t> batch;
        IVec tokens, cu{0};
        while (i < order.size() && (batch.empty() || cu.back() + (int)seq_tokens[order[i]].size() <= budget)) {
            const IVec& t = seq_tokens[order[i]];
            tokens.insert(tokens.end(), t.begin(), t.end());
            cu.push_back((int)tokens.size());
            batch.push_back(order[i++]);
        }
        const int S = (int)batch.size();
        Dev mean((size_t)R * S * E * 4), bos((size_t)R * S * E * 4);
        poison(mean.p, mean.bytes);
        poison(bos.p, bos.bytes);
        esm2j_encode_request req{};
        req.tokens = tokens.data();
        req.n_tokens = (int32_t)tokens.size();
        req.cu_seqlens = cu.data();
        req.n_seqs = S;
        req.repr_layers = layers.data();
        req.n_repr_layers = R;
        req.outputs = ESM2J_OUT_MEAN | ESM2J_OUT_BOS;
        req.mean = mean.as<float>();
        req.bos = bos.as<float>();
        req.outputs_on_device = 1;
        EK(esm2j_encode(ws, nullptr, &req));
        CK(cudaStreamSynchronize(nullptr));
        Vec hm((size_t)R * S * E), hb((size_t)R * S * E);
        CK(cudaMemcpy(hm.data(), mean.p, mean.bytes, cudaMemcpyDeviceToHost));
        CK(cudaMemcpy(hb.data(), bos.p, bos.bytes, cudaMemcpyDeviceToHost));
        for (int s = 0; s < S; ++s) {
            Vec& o = out[batch[s]];
            for (int r = 0; r < R; ++r) o.insert(o.end(), &hm[((size_t)r * S + s) * E], &hm[((size_t)r * S + s) * E] + E);
            for (int r = 0; r < R; ++r) o.insert(o.end(), &hb[((size_t)r * S + s) * E], &hb[((size_t)r * S + s) * E] + E);
        }
        ++*n_batches;
    }
}

// Batch invariance (README "Batch invariance"): every sequence encoded in three compositions (in order at the small
// budget, shuffled at the large budget, shuffled otherwise at the small budget: other companions, other batch
// sizes, other row counts in every GEMM) must give bitwise the same mean and BOS embeddings (a middle layer and
// the last). Counts the sequences whose bits differ anywhere; a check fails on any. fp32 and bf16, each attention
// backend that runs. With gemm_algo "per-rows" (ESM2J_GEMM_ALGO) the same is measured and only reported.
void check_batch_invariance(bool quick) {
    const Shape s = quick ? Shape{"tiny", 2, 64, 4} : Shape{"150M", 30, 640, 20};
    const int n_seqs = quick ? 24 : 600, small = quick ? 256 : 4096, large = quick ? 4096 : 65536;
    std::vector<int> lens = length_mix(n_seqs);
    if (quick)
        for (int& l : lens) l = 8 + l % 60;  // short: the emulator's minutes
    std::vector<IVec> seq_tokens;
    for (int l : lens) {
        const IVec t = make_tokens(IVec{0, l}, 32);
        seq_tokens.push_back(t);
    }
    std::vector<size_t> in_order(n_seqs), shuffled(n_seqs), shuffled2(n_seqs);
    for (int i = 0; i < n_seqs; ++i) in_order[i] = i;
    shuffled = in_order;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(5));
    shuffled2 = in_order;
    std::shuffle(shuffled2.begin(), shuffled2.end(), std::mt19937_64(6));
    const IVec layers = {s.L / 2, s.L};
    std::vector<float> pool_f32;
    std::vector<uint16_t> pool_16;
    make_pools((size_t)4 * s.E * s.E, pool_f32, pool_16);
    struct Config {
        int dtype, attention;
        const char* gemm_algo;  // ESM2J_GEMM_ALGO
    };
    // The third attention backend: cuDNN on a GPU; under --quick (emulation, memcheck) the reference kernel.
    const int third = quick ? ESM2J_ATTENTION_REFERENCE : ESM2J_ATTENTION_CUDNN;
    const std::vector<Config> configs = {{ESM2J_DTYPE_F32, ESM2J_ATTENTION_FLASH, "invariant"},
                                         {ESM2J_DTYPE_BF16, ESM2J_ATTENTION_FLASH, "invariant"},
                                         {quick ? ESM2J_DTYPE_F32 : ESM2J_DTYPE_BF16, third, "invariant"},
                                         {ESM2J_DTYPE_F32, ESM2J_ATTENTION_FLASH, "per-rows"}};
    for (const Config& c : configs) {
        esm2j_model* m = random_model(s, c.dtype, pool_f32, pool_16);
        if (!m) continue;
        setenv("ESM2J_GEMM_ALGO", c.gemm_algo, 1);
        esm2j_workspace *ws_small = nullptr, *ws_large = nullptr;
        EK(esm2j_workspace_create(m, small + 1024, 1024, &ws_small));
        EK(esm2j_workspace_create(m, large + 1024, 4096, &ws_large));
        unsetenv("ESM2J_GEMM_ALGO");
        for (esm2j_workspace* ws : {ws_small, ws_large}) EK(esm2j_workspace_set_option(ws, ESM2J_OPTION_ATTENTION, c.attention));
        std::vector<Vec> a, b, d;
        int na = 0, nb = 0, nd = 0;
        encode_composition(ws_small, seq_tokens, in_order, small, layers, s.E, a, &na);
        encode_composition(ws_large, seq_tokens, shuffled, large, layers, s.E, b, &nb);
        encode_composition(ws_small, seq_tokens, shuffled2, small, layers, s.E, d, &nd);
        int differ = 0;
        float worst = 0.f;
        for (int i = 0; i < n_seqs; ++i) {
            const bool same = std::memcmp(a[i].data(), b[i].data(), a[i].size() * 4) == 0 &&
                              std::memcmp(a[i].data(), d[i].data(), a[i].size() * 4) == 0;
            differ += !same;
            for (size_t k = 0; k < a[i].size(); ++k)
                worst = std::max(worst, std::max(std::fabs(a[i][k] - b[i][k]), std::fabs(a[i][k] - d[i][k])));
        }
        int32_t used = -1;
        const char* note = "";
        EK(esm2j_workspace_attention_used(ws_large, &used, &note));
        int64_t fallbacks = 0, fb = 0;
        for (esm2j_workspace* ws : {ws_small, ws_large}) {
            EK(esm2j_workspace_gemm_fallbacks(ws, &fb));
            fallbacks += fb;
        }
        const char* dn = c.dtype == ESM2J_DTYPE_F32 ? "fp32" : "bf16";
        const char* an = c.attention == ESM2J_ATTENTION_CUDNN ? "cudnn" : c.attention == ESM2J_ATTENTION_REFERENCE ? "refattn" : "flash";
        const bool promised = std::strcmp(c.gemm_algo, "invariant") == 0;
        const bool ran_backend = used == c.attention;
        char line[320];
        std::snprintf(line, sizeof line,
                      "%-4s batch invariance %s-like %s %s gemm=%s: %d of %d sequences differ bitwise (max |diff| %.2e; "
                      "batches: %d of <=%d in order, %d of <=%d shuffled, %d of <=%d reshuffled)%s",
                      !promised ? "note" : differ ? "FAIL" : "ok", s.name, dn, an, c.gemm_algo, differ, n_seqs, worst,
                      na, small, nb, large, nd, small, ran_backend ? "" : " [attention fell back]");
        std::printf("%s\n", line);
        if (note && note[0]) std::printf("     note: %s\n", note);
        if (fallbacks) std::printf("     note: %lld GEMM(s) ran on the reference kernel (cuBLASLt refused a row count)\n", (long long)fallbacks);
        if (promised) {
            ++g_checks;
            if (differ) ++g_failures;
        }
        g_summary.push_back(line);
        EK(esm2j_workspace_destroy(ws_small));
        EK(esm2j_workspace_destroy(ws_large));
        EK(esm2j_model_destroy(m));
    }
}

void bench(const std::string& shapes, int bench_tokens, bool allow_15b, int cc_major) {
    bench_gemm();
    bench_attention(cc_major);
    bench_cudnn_plans();
    uint64_t free_b = 0, total_b = 0;
    EK(esm2j_mem_info(0, &free_b, &total_b));
    // One pool of random values (std 0.02) feeds every matrix: big enough for the largest slice.
    const size_t pool_n = (size_t)4 * 5120 * 5120 + 4096;
    std::vector<float> pool_f32(pool_n / 4 + (size_t)4 * 1280 * 1280 * 1 + 64);
    std::vector<uint16_t> pool_16(pool_n + pool_n / 4 + 64);
    {
        std::mt19937 rng(99);
        std::normal_distribution<float> d(0.f, 0.02f);
        for (auto& x : pool_f32) x = d(rng);
        for (size_t i = 0; i < pool_16.size(); ++i) {
            const float f = pool_f32[i % pool_f32.size()];
            uint32_t bits;
            std::memcpy(&bits, &f, 4);
            pool_16[i] = (uint16_t)((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
        }
    }
    for (const Shape& s : kShapes) {
        if (shapes.find(std::string(",") + s.name + ",") == std::string::npos) continue;
        const double weight_bytes = 12.0 * s.E * (double)s.E * s.L * 2;
        if (std::string(s.name) == "15B" && (!allow_15b || weight_bytes * 1.3 > (double)free_b)) {
            std::printf("bench 15B skipped (%.0f GB of weights, %.0f GB free)\n", weight_bytes / 1e9, free_b / 1e9);
            continue;
        }
        const int tokens = s.E >= 2560 ? std::min(bench_tokens, 8192) : bench_tokens;
        if (std::string(s.name) == "650M") bench_upload(s, pool_f32, pool_16);
        bench_forward(s, ESM2J_DTYPE_BF16, ESM2J_ATTENTION_FLASH, tokens, pool_f32, pool_16);
        if (std::string(s.name) == "650M")
            bench_forward(s, ESM2J_DTYPE_BF16, ESM2J_ATTENTION_CUDNN, tokens, pool_f32, pool_16);
        if (s.E <= 640) bench_forward(s, ESM2J_DTYPE_F32, ESM2J_ATTENTION_FLASH, tokens / 2, pool_f32, pool_16);
    }
    // The cost of batch invariance, last (so that it cannot crowd out the shapes): the same runs with cuBLASLt's
    // heuristic algorithm per row bucket (ESM2J_GEMM_ALGO=per-rows), to read against the lines above.
    for (const Shape& s : kShapes) {
        if (shapes.find(std::string(",") + s.name + ",") == std::string::npos) continue;
        if (std::string(s.name) == "650M")
            bench_forward(s, ESM2J_DTYPE_BF16, ESM2J_ATTENTION_FLASH, bench_tokens, pool_f32, pool_16, "per-rows");
        if (std::string(s.name) == "150M")  // fp32: where the heuristic's choice per row count changed the bits
            bench_forward(s, ESM2J_DTYPE_F32, ESM2J_ATTENTION_FLASH, bench_tokens / 2, pool_f32, pool_16, "per-rows");
    }
}

}  // namespace

int main(int argc, char** argv) {
    bool ops = false, do_bench = false, quick = false, allow_15b = true, invariance = false;
    std::string parity_dir, cpu_parity_dir, shapes = ",8M,35M,150M,650M,3B,15B,";
    int bench_tokens = 16384;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--ops") ops = true;
        else if (a == "--bench") do_bench = true;
        else if (a == "--quick") quick = true;
        else if (a == "--invariance") invariance = true;
        else if (a == "--no-15b") allow_15b = false;
        else if (a == "--parity" && i + 1 < argc) parity_dir = argv[++i];
        else if (a == "--cpu-parity" && i + 1 < argc) cpu_parity_dir = argv[++i];
        else if (a == "--shapes" && i + 1 < argc) shapes = std::string(",") + argv[++i] + ",";
        else if (a == "--bench-tokens" && i + 1 < argc) bench_tokens = std::atoi(argv[++i]);
        else {
            std::printf("usage: esm2j_selftest [--cpu-parity DIR] [--ops] [--parity DIR] [--invariance] [--bench] [--quick] [--shapes 8M,35M,150M,650M,3B,15B] "
                        "[--bench-tokens N] [--no-15b]\n");
            return 2;
        }
    }
    std::printf("%s\n", esm2j_version_string());
    if (!cpu_parity_dir.empty()) {  // CPU only: runs without a GPU
        cpu_parity(cpu_parity_dir);
        std::printf("%d passed, %d failed\n", g_checks - g_failures, g_failures);
        return g_failures == 0 ? 0 : 1;
    }
    int32_t count = 0;
    if (esm2j_device_count(&count) != ESM2J_OK) {
        std::printf("no GPU: %s\n", esm2j_last_error());
        return 3;
    }
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, 0));
    std::printf("device 0: %s, compute capability %d.%d, %d SMs, %.1f GB\n", prop.name, prop.major, prop.minor,
                prop.multiProcessorCount, prop.totalGlobalMem / 1e9);
    const auto t0 = std::chrono::steady_clock::now();
    if (ops) {
        OpTestOptions options;
        options.cc_major = prop.major;
        run_op_tests(options);
    }
    if (!parity_dir.empty()) parity(parity_dir, quick);
    if (invariance) check_batch_invariance(quick);
    if (do_bench) bench(shapes, bench_tokens, allow_15b, prop.major);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("\n==== summary (%s, %.0f s) ====\n", prop.name, secs);
    for (const auto& s : g_summary) std::printf("%s\n", s.c_str());
    std::printf("%d passed, %d failed\n", g_checks - g_failures, g_failures);
    return g_failures == 0 ? 0 : 1;
}
