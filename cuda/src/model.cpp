// model.cpp - the model object: one device allocation holding every weight (matrices in the
// compute dtype, LayerNorm parameters, biases and inv_freq in FP32), filled tensor by tensor from
// host memory and converted on the device.
//
// Upload: each tensor is copied by the CPU from the caller's memory (typically a read-only mmap of the
// checkpoint) into one of a few pinned host chunks, then DMA'd from there (at the bus's full rate, which
// pageable memory does not get) straight into its place, or into the chunk's device bounce buffer and
// converted on the device when the checkpoint's dtype differs from the slot's. Chunks are reused in a ring:
// the CPU fills chunk k+1 while the copy engine moves chunk k, and nothing waits for the device except a
// chunk's reuse and finalize. set_tensor still returns only once the caller's memory has been read (it may
// release it), and errors of the asynchronous copies are reported by finalize. When pinned memory is refused
// (or ESM2J_UPLOAD=pageable), the simplest path stays: a synchronous copy from the caller's memory per tensor.
#include <cstdlib>
#include <cstring>
#include <new>

#include "attention.h"
#include "convert.h"
#include "internal.h"
#include "status.h"

namespace esm2j {

namespace {

constexpr int kPerLayerTensors = 17;  // ids 1..17
constexpr int kGlobalTensors = 8;     // EMBED and 18..24
constexpr size_t kAlign = 256;
constexpr size_t kUploadStagingBytes = 32u << 20;
constexpr int kUploadChunks = 3;
constexpr size_t kUploadChunkBytes = 32u << 20;

bool is_per_layer(int tensor) { return tensor >= ESM2J_T_ATTN_LN_W && tensor <= ESM2J_T_FC2_B; }

// Bump allocator over a not-yet-allocated block: records offsets, later rebased onto the allocation.
struct Layout {
    size_t bytes = 0;
    size_t add(size_t n) {
        const size_t off = bytes;
        bytes += round_up(n, kAlign);
        return off;
    }
};

}  // namespace

size_t model_weight_bytes(const esm2j_model_config& cfg) {
    const size_t L = (size_t)cfg.num_layers, E = (size_t)cfg.hidden_size, F = (size_t)cfg.intermediate_size,
                 V = (size_t)cfg.vocab_size, D = E / (size_t)cfg.num_heads;
    const size_t ts = dtype_size(static_cast<DType>(cfg.compute_dtype));
    auto a = [](size_t bytes) { return round_up(bytes, kAlign); };
    const size_t per_layer = 2 * a(E * 4) + a(3 * E * E * ts) + a(3 * E * 4) + a(D / 2 * 4) + a(E * E * ts) +
                             a(E * 4) + 2 * a(E * 4) + a(F * E * ts) + a(F * 4) + a(E * F * ts) + a(E * 4);
    const size_t global = a(V * E * ts) + 2 * a(E * 4) + a(E * E * ts) + a(E * 4) + 2 * a(E * 4) + a(V * 4);
    return L * per_layer + global;
}

const char* tensor_name(int tensor) {
    static const char* const names[ESM2J_T_COUNT] = {
        "EMBED",     "ATTN_LN_W",  "ATTN_LN_B",  "Q_W",      "Q_B",        "K_W",        "K_B",
        "V_W",       "V_B",        "ROTARY_INV_FREQ", "O_W",  "O_B",        "FFN_LN_W",   "FFN_LN_B",
        "FC1_W",     "FC1_B",      "FC2_W",      "FC2_B",    "FINAL_LN_W", "FINAL_LN_B", "LM_DENSE_W",
        "LM_DENSE_B", "LM_LN_W",   "LM_LN_B",    "LM_BIAS"};
    return tensor >= 0 && tensor < ESM2J_T_COUNT ? names[tensor] : "?";
}

int tensor_slot_index(const esm2j_model_config& cfg, int tensor, int layer) {
    if (tensor < 0 || tensor >= ESM2J_T_COUNT) return -1;
    if (is_per_layer(tensor)) {
        if (layer < 0 || layer >= cfg.num_layers) return -1;
        return layer * kPerLayerTensors + (tensor - ESM2J_T_ATTN_LN_W);
    }
    if (layer != -1) return -1;
    const int g = tensor == ESM2J_T_EMBED ? 0 : tensor - ESM2J_T_FC2_B;  // 18..24 -> 1..7
    return cfg.num_layers * kPerLayerTensors + g;
}

int validate_config(const esm2j_model_config& cfg) {
    const int64_t L = cfg.num_layers, E = cfg.hidden_size, H = cfg.num_heads, F = cfg.intermediate_size,
                  V = cfg.vocab_size;
    if (L < 1 || E < 1 || H < 1 || F < 1 || V < 1)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                    "model config: num_layers, hidden_size, num_heads, intermediate_size and vocab_size must be "
                    "positive (got %d, %d, %d, %d, %d)",
                    cfg.num_layers, cfg.hidden_size, cfg.num_heads, cfg.intermediate_size, cfg.vocab_size);
    if (E % H != 0)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "model config: hidden_size %d is not a multiple of num_heads %d",
                    cfg.hidden_size, cfg.num_heads);
    if (!(cfg.layer_norm_eps > 0.f))
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "model config: layer_norm_eps must be > 0 (got %g)",
                    (double)cfg.layer_norm_eps);
    if (cfg.compute_dtype < ESM2J_DTYPE_F32 || cfg.compute_dtype > ESM2J_DTYPE_BF16)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "model config: compute_dtype %d is not an esm2j_dtype",
                    cfg.compute_dtype);
    if (cfg.token_dropout && (cfg.mask_token_id < 0 || cfg.mask_token_id >= cfg.vocab_size))
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "model config: mask_token_id %d outside the vocabulary (0..%d)",
                    cfg.mask_token_id, cfg.vocab_size - 1);
    if (E > (1 << 16) || F > (1 << 20) || V > (1 << 20))
        return fail(ESM2J_ERROR_UNSUPPORTED, "model config: sizes beyond what esm2j handles (E=%d, F=%d, V=%d)",
                    cfg.hidden_size, cfg.intermediate_size, cfg.vocab_size);
    const int D = (int)(E / H);
    const int Dp = padded_head_dim(D);
    if (Dp == 0)
        return fail(ESM2J_ERROR_UNSUPPORTED,
                    "head dim %d (hidden_size %d / num_heads %d) is not supported: esm2j's attention runs head "
                    "dims 16, 24, 32, 64 and 128 (every published ESM-2)",
                    D, cfg.hidden_size, cfg.num_heads);

    return ESM2J_OK;
}

int model_create(int32_t device, const esm2j_model_config& cfg, esm2j_model** out) {
    ESM2J_TRY(validate_config(cfg));
    const int64_t L = cfg.num_layers, E = cfg.hidden_size, F = cfg.intermediate_size, V = cfg.vocab_size;
    const int D = (int)(E / cfg.num_heads);
    const int Dp = padded_head_dim(D);

    cudaDeviceProp prop;
    ESM2J_CUDA_TRY(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
    if (cfg.compute_dtype == ESM2J_DTYPE_BF16 && prop.major < 8)
        return fail(ESM2J_ERROR_UNSUPPORTED,
                    "BF16 needs compute capability 8.0 or newer; device %d (%s) is %d.%d: use FP16 or FP32", device,
                    prop.name, prop.major, prop.minor);

    auto* m = new esm2j_model();
    m->device = device;
    m->cc_major = prop.major;
    m->cc_minor = prop.minor;
    m->cfg = cfg;
    m->dtype = static_cast<DType>(cfg.compute_dtype);
    m->head_dim = D;
    m->head_dim_padded = Dp;
    const size_t ts = dtype_size(m->dtype);

    // Plan every tensor's place, then allocate once.
    m->slots.assign((size_t)(L * kPerLayerTensors + kGlobalTensors), TensorSlot{});
    Layout lay;
    struct Pending {
        int slot;
        size_t off;
    };
    std::vector<Pending> pending;
    auto put = [&](int tensor, int layer, int64_t numel, DType type) {
        const int s = tensor_slot_index(cfg, tensor, layer);
        m->slots[s].numel = numel;
        m->slots[s].type = type;
        pending.push_back({s, lay.add((size_t)numel * dtype_size(type))});
    };
    std::vector<size_t> qkv_w_off(L), qkv_b_off(L);
    for (int l = 0; l < L; ++l) {
        put(ESM2J_T_ATTN_LN_W, l, E, DType::F32);
        put(ESM2J_T_ATTN_LN_B, l, E, DType::F32);
        // Q, K, V land in one [3E, E] matrix (and one [3E] bias) so that QKV is a single GEMM.
        qkv_w_off[l] = lay.add((size_t)3 * E * E * ts);
        qkv_b_off[l] = lay.add((size_t)3 * E * 4);
        put(ESM2J_T_ROTARY_INV_FREQ, l, D / 2, DType::F32);
        put(ESM2J_T_O_W, l, E * E, m->dtype);
        put(ESM2J_T_O_B, l, E, DType::F32);
        put(ESM2J_T_FFN_LN_W, l, E, DType::F32);
        put(ESM2J_T_FFN_LN_B, l, E, DType::F32);
        put(ESM2J_T_FC1_W, l, F * E, m->dtype);
        put(ESM2J_T_FC1_B, l, F, DType::F32);
        put(ESM2J_T_FC2_W, l, E * F, m->dtype);
        put(ESM2J_T_FC2_B, l, E, DType::F32);
    }
    put(ESM2J_T_EMBED, -1, V * E, m->dtype);
    put(ESM2J_T_FINAL_LN_W, -1, E, DType::F32);
    put(ESM2J_T_FINAL_LN_B, -1, E, DType::F32);
    put(ESM2J_T_LM_DENSE_W, -1, E * E, m->dtype);
    put(ESM2J_T_LM_DENSE_B, -1, E, DType::F32);
    put(ESM2J_T_LM_LN_W, -1, E, DType::F32);
    put(ESM2J_T_LM_LN_B, -1, E, DType::F32);
    put(ESM2J_T_LM_BIAS, -1, V, DType::F32);

    m->weight_bytes = lay.bytes;
    if (lay.bytes != model_weight_bytes(cfg)) {  // esm2j_model_bytes must stay exact
        delete m;
        return fail(ESM2J_ERROR_INTERNAL, "model_create: weight plan (%zu bytes) and esm2j_model_bytes (%zu) disagree",
                    lay.bytes, model_weight_bytes(cfg));
    }
    cudaError_t err = cudaMalloc(&m->weights, m->weight_bytes);
    if (err != cudaSuccess) {
        delete m;
        (void)cudaGetLastError();
        return fail(err == cudaErrorMemoryAllocation ? ESM2J_ERROR_OUT_OF_MEMORY : ESM2J_ERROR_CUDA,
                    "allocating %zu bytes of model weights on device %d: %s", lay.bytes, device,
                    cudaGetErrorString(err));
    }
    char* base = static_cast<char*>(m->weights);
    for (const Pending& p : pending) m->slots[p.slot].ptr = base + p.off;
    for (int l = 0; l < L; ++l) {
        auto slot_ptr = [&](int tensor) { return m->slots[tensor_slot_index(cfg, tensor, l)].ptr; };
        void* wqkv = base + qkv_w_off[l];
        float* bqkv = reinterpret_cast<float*>(base + qkv_b_off[l]);
        const int q = tensor_slot_index(cfg, ESM2J_T_Q_W, l), k = tensor_slot_index(cfg, ESM2J_T_K_W, l),
                  v = tensor_slot_index(cfg, ESM2J_T_V_W, l);
        const int qb = tensor_slot_index(cfg, ESM2J_T_Q_B, l), kb = tensor_slot_index(cfg, ESM2J_T_K_B, l),
                  vb = tensor_slot_index(cfg, ESM2J_T_V_B, l);
        for (int i = 0; i < 3; ++i) {
            const int ws = i == 0 ? q : i == 1 ? k : v, bs = i == 0 ? qb : i == 1 ? kb : vb;
            m->slots[ws] = TensorSlot{static_cast<char*>(wqkv) + (size_t)i * E * E * ts, E * E, m->dtype, false};
            m->slots[bs] = TensorSlot{bqkv + i * E, E, DType::F32, false};
        }
        LayerWeights w{};
        w.attn_ln_w = (float*)slot_ptr(ESM2J_T_ATTN_LN_W);
        w.attn_ln_b = (float*)slot_ptr(ESM2J_T_ATTN_LN_B);
        w.wqkv = wqkv;
        w.bqkv = bqkv;
        w.inv_freq = (float*)slot_ptr(ESM2J_T_ROTARY_INV_FREQ);
        w.wo = slot_ptr(ESM2J_T_O_W);
        w.bo = (float*)slot_ptr(ESM2J_T_O_B);
        w.ffn_ln_w = (float*)slot_ptr(ESM2J_T_FFN_LN_W);
        w.ffn_ln_b = (float*)slot_ptr(ESM2J_T_FFN_LN_B);
        w.w1 = slot_ptr(ESM2J_T_FC1_W);
        w.b1 = (float*)slot_ptr(ESM2J_T_FC1_B);
        w.w2 = slot_ptr(ESM2J_T_FC2_W);
        w.b2 = (float*)slot_ptr(ESM2J_T_FC2_B);
        m->layers.push_back(w);
    }
    auto global = [&](int tensor) { return m->slots[tensor_slot_index(cfg, tensor, -1)].ptr; };
    m->embed = global(ESM2J_T_EMBED);
    m->final_ln_w = (float*)global(ESM2J_T_FINAL_LN_W);
    m->final_ln_b = (float*)global(ESM2J_T_FINAL_LN_B);
    m->lm_dense_w = global(ESM2J_T_LM_DENSE_W);
    m->lm_dense_b = (float*)global(ESM2J_T_LM_DENSE_B);
    m->lm_ln_w = (float*)global(ESM2J_T_LM_LN_W);
    m->lm_ln_b = (float*)global(ESM2J_T_LM_LN_B);
    m->lm_bias = (float*)global(ESM2J_T_LM_BIAS);

    err = cudaStreamCreateWithFlags(&m->upload_stream, cudaStreamNonBlocking);
    if (err != cudaSuccess) {
        cudaFree(m->weights);
        delete m;
        return cuda_fail(err, "creating the upload stream", __FILE__, __LINE__);
    }
    *out = m;
    return ESM2J_OK;
}

namespace {

void free_upload_chunks(esm2j_model* m) {
    for (auto& c : m->upload_chunks) {
        if (c.host) cudaFreeHost(c.host);
        if (c.device) cudaFree(c.device);
        if (c.done) cudaEventDestroy(c.done);
    }
    m->upload_chunks.clear();
}

// The pinned chunks, allocated on first use. False (and the pageable path from then on) when the host
// refuses pinned memory (containers may cap it); a device out-of-memory is reported as such.
int ensure_upload_chunks(esm2j_model* m, bool* pinned) {
    *pinned = false;
    if (m->upload_pageable) return ESM2J_OK;
    if (!m->upload_chunks.empty()) {
        *pinned = true;
        return ESM2J_OK;
    }
    const char* env = std::getenv("ESM2J_UPLOAD");
    if (env && std::strcmp(env, "pageable") == 0) {
        m->upload_pageable = true;
        return ESM2J_OK;
    }
    // No bigger than the largest tensor in FP32 (the widest source dtype): a small model pins little.
    int64_t largest = 1;
    for (const TensorSlot& t : m->slots) largest = t.numel > largest ? t.numel : largest;
    const size_t widest = round_up((size_t)largest * 4, kAlign);
    m->upload_chunk_bytes = widest < kUploadChunkBytes ? widest : kUploadChunkBytes;
    m->upload_chunks.assign(kUploadChunks, esm2j_model::UploadChunk{});
    for (auto& c : m->upload_chunks) {
        if (cudaHostAlloc(&c.host, m->upload_chunk_bytes, cudaHostAllocDefault) != cudaSuccess) {
            c.host = nullptr;
            (void)cudaGetLastError();
            free_upload_chunks(m);
            m->upload_pageable = true;
            return ESM2J_OK;
        }
        const cudaError_t err = cudaMalloc(&c.device, m->upload_chunk_bytes);
        if (err != cudaSuccess) {
            c.device = nullptr;
            (void)cudaGetLastError();
            free_upload_chunks(m);
            return fail(err == cudaErrorMemoryAllocation ? ESM2J_ERROR_OUT_OF_MEMORY : ESM2J_ERROR_CUDA,
                        "allocating %zu bytes of upload staging: %s", m->upload_chunk_bytes, cudaGetErrorString(err));
        }
        ESM2J_CUDA_TRY(cudaEventCreateWithFlags(&c.done, cudaEventDisableTiming), "set_tensor: creating an event");
    }
    *pinned = true;
    return ESM2J_OK;
}

// Copies n elements of src type from host into dst (device, of dst type) through the pinned ring.
int upload_pinned(esm2j_model* m, const char* host, DType src, void* dst, DType dst_type, int64_t numel) {
    const size_t src_size = dtype_size(src), dst_size = dtype_size(dst_type);
    const int64_t chunk = (int64_t)(m->upload_chunk_bytes / src_size);
    for (int64_t i = 0; i < numel; i += chunk) {
        const int64_t n = numel - i < chunk ? numel - i : chunk;
        esm2j_model::UploadChunk& c = m->upload_chunks[m->upload_next];
        m->upload_next = (m->upload_next + 1) % (int)m->upload_chunks.size();
        if (c.in_flight) {
            ESM2J_CUDA_TRY(cudaEventSynchronize(c.done), "set_tensor: waiting for an earlier upload");
            c.in_flight = false;
        }
        std::memcpy(c.host, host + i * src_size, (size_t)n * src_size);
        char* out = static_cast<char*>(dst) + i * dst_size;
        if (src == dst_type) {
            ESM2J_CUDA_TRY(cudaMemcpyAsync(out, c.host, (size_t)n * src_size, cudaMemcpyHostToDevice, m->upload_stream),
                           "set_tensor: copying to the device");
        } else {
            ESM2J_CUDA_TRY(cudaMemcpyAsync(c.device, c.host, (size_t)n * src_size, cudaMemcpyHostToDevice,
                                           m->upload_stream),
                           "set_tensor: copying to the device");
            ESM2J_CUDA_TRY(launch_convert(c.device, src, out, dst_type, n, m->upload_stream),
                           "set_tensor: dtype conversion");
        }
        ESM2J_CUDA_TRY(cudaEventRecord(c.done, m->upload_stream), "set_tensor: recording the upload");
        c.in_flight = true;
        m->upload_pending = true;
    }
    return ESM2J_OK;
}

}  // namespace

int model_set_tensor(esm2j_model* m, int32_t tensor, int32_t layer, int32_t src_dtype, const void* host_data,
                     int64_t numel) {
    const int s = tensor_slot_index(m->cfg, tensor, layer);
    if (s < 0) {
        if (tensor < 0 || tensor >= ESM2J_T_COUNT)
            return fail(ESM2J_ERROR_INVALID_ARGUMENT, "set_tensor: unknown tensor id %d", tensor);
        return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                    "set_tensor %s: layer %d is invalid (per-layer tensors take 0..%d, global ones -1)",
                    tensor_name(tensor), layer, m->cfg.num_layers - 1);
    }
    if (src_dtype < ESM2J_DTYPE_F32 || src_dtype > ESM2J_DTYPE_BF16)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "set_tensor %s: src_dtype %d is not an esm2j_dtype",
                    tensor_name(tensor), src_dtype);
    TensorSlot& slot = m->slots[s];
    if (numel != slot.numel)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                    "set_tensor %s (layer %d): %lld elements given, the config implies %lld", tensor_name(tensor),
                    layer, (long long)numel, (long long)slot.numel);
    const DType src = static_cast<DType>(src_dtype);
    const size_t src_size = dtype_size(src), dst_size = dtype_size(slot.type);
    const char* host = static_cast<const char*>(host_data);
    bool pinned = false;
    ESM2J_TRY(ensure_upload_chunks(m, &pinned));
    if (pinned) {
        ESM2J_TRY(upload_pinned(m, host, src, slot.ptr, slot.type, numel));
        if (m->finalized) {  // a weight replaced after finalize: encodes may follow at once
            ESM2J_CUDA_TRY(cudaStreamSynchronize(m->upload_stream), "set_tensor: synchronizing the upload");
            m->upload_pending = false;
        }
    } else if (src == slot.type) {
        // Not cudaMemcpy: from pageable memory it may return before the DMA has landed, and that copy
        // runs on the legacy stream, which the caller's non-blocking encode streams do not wait for.
        ESM2J_CUDA_TRY(cudaMemcpyAsync(slot.ptr, host, (size_t)numel * src_size, cudaMemcpyHostToDevice,
                                       m->upload_stream),
                       "set_tensor: copying to the device");
        ESM2J_CUDA_TRY(cudaStreamSynchronize(m->upload_stream), "set_tensor: synchronizing the upload");
    } else {
        if (!m->upload_staging) {
            m->upload_staging_bytes = kUploadStagingBytes;
            const cudaError_t err = cudaMalloc(&m->upload_staging, m->upload_staging_bytes);
            if (err != cudaSuccess) {
                m->upload_staging = nullptr;
                (void)cudaGetLastError();
                return fail(err == cudaErrorMemoryAllocation ? ESM2J_ERROR_OUT_OF_MEMORY : ESM2J_ERROR_CUDA,
                            "allocating %zu bytes of upload staging: %s", m->upload_staging_bytes,
                            cudaGetErrorString(err));
            }
        }
        const int64_t chunk = (int64_t)(m->upload_staging_bytes / src_size);
        for (int64_t i = 0; i < numel; i += chunk) {
            const int64_t n = numel - i < chunk ? numel - i : chunk;
            ESM2J_CUDA_TRY(cudaMemcpyAsync(m->upload_staging, host + i * src_size, (size_t)n * src_size,
                                           cudaMemcpyHostToDevice, m->upload_stream),
                           "set_tensor: copying to the device");
            ESM2J_CUDA_TRY(launch_convert(m->upload_staging, src, static_cast<char*>(slot.ptr) + i * dst_size,
                                          slot.type, n, m->upload_stream),
                           "set_tensor: dtype conversion");
            ESM2J_CUDA_TRY(cudaStreamSynchronize(m->upload_stream), "set_tensor: synchronizing the upload");
        }
    }
    slot.present = true;
    return ESM2J_OK;
}

int model_finalize(esm2j_model* m) {
    const int L = m->cfg.num_layers;
    for (size_t s = 0; s < m->slots.size(); ++s) {
        if (m->slots[s].present) continue;
        const int per_layer = L * kPerLayerTensors;
        int tensor, layer;
        if ((int)s < per_layer) {
            tensor = ESM2J_T_ATTN_LN_W + (int)s % kPerLayerTensors;
            layer = (int)s / kPerLayerTensors;
        } else {
            const int g = (int)s - per_layer;
            tensor = g == 0 ? ESM2J_T_EMBED : ESM2J_T_FC2_B + g;
            layer = -1;
        }
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "finalize: tensor %s (layer %d) was never set", tensor_name(tensor),
                    layer);
    }
    if (m->upload_pending) {
        // Errors of the asynchronous copies and conversions surface here.
        ESM2J_CUDA_TRY(cudaStreamSynchronize(m->upload_stream), "finalize: waiting for the weights' upload");
        m->upload_pending = false;
    }
    free_upload_chunks(m);
    if (m->upload_staging) {
        cudaFree(m->upload_staging);
        m->upload_staging = nullptr;
    }
    m->finalized = true;
    return ESM2J_OK;
}

int model_destroy(esm2j_model* m) {
    const int live = m->n_workspaces.load();
    if (live > 0)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                    "model_destroy: %d workspace(s) still use this model: destroy them first", live);
    if (m->upload_stream) {
        (void)cudaStreamSynchronize(m->upload_stream);  // pinned chunks may still be read by a copy
        (void)cudaGetLastError();
        cudaStreamDestroy(m->upload_stream);
    }
    free_upload_chunks(m);
    if (m->upload_staging) cudaFree(m->upload_staging);
    const cudaError_t err = m->weights ? cudaFree(m->weights) : cudaSuccess;
    delete m;
    if (err != cudaSuccess) return cuda_fail(err, "model_destroy: freeing the weights", __FILE__, __LINE__);
    return ESM2J_OK;
}

}  // namespace esm2j
