// api.cpp - the C ABI (cuda/include/esm2j.h): argument checks, device selection, and the guard
// that turns every C++ exception into a status, so nothing escapes into the caller (a JVM).
#include <cuda_runtime.h>

#include <cstdio>
#include <new>

#include "attention_cudnn.h"
#include "internal.h"
#include "status.h"

#ifndef ESM2J_VERSION
#define ESM2J_VERSION "dev"
#endif
#ifndef ESM2J_CUDA_ARCHS
#define ESM2J_CUDA_ARCHS "unknown"
#endif

using namespace esm2j;

namespace {

// Runs body() with the error cleared first and every exception mapped onto a status.
template <typename F>
int guarded(const char* fn, F&& body) {
    clear_error();
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return fail(ESM2J_ERROR_OUT_OF_MEMORY, "%s: out of host memory", fn);
    } catch (const std::exception& e) {
        return fail(ESM2J_ERROR_INTERNAL, "%s: internal error: %s", fn, e.what());
    } catch (...) {
        return fail(ESM2J_ERROR_INTERNAL, "%s: internal error", fn);
    }
}

// Checks that `device` exists and makes it current on this thread.
int use_device(const char* fn, int32_t device) {
    int count = 0;
    const cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess) {
        (void)cudaGetLastError();
        return fail(ESM2J_ERROR_NO_DEVICE, "%s: no usable CUDA device (%s: %s)", fn, cudaGetErrorName(err),
                    cudaGetErrorString(err));
    }
    if (count == 0) return fail(ESM2J_ERROR_NO_DEVICE, "%s: no CUDA device is visible", fn);
    if (device < 0 || device >= count)
        return fail(ESM2J_ERROR_NO_DEVICE, "%s: device %d does not exist (%d device(s) visible)", fn, device, count);
    const cudaError_t set = cudaSetDevice(device);
    if (set != cudaSuccess) return cuda_fail(set, "cudaSetDevice", __FILE__, __LINE__);
    return ESM2J_OK;
}

// The header's batch limits (ESM2J_MAX_BATCH_TOKENS / _SEQUENCES), the only ones: every kernel launch is
// split into grid-sized chunks and every activation index is 64-bit, so nothing below them can overflow.
// ESM2J_ENFORCED_MAX_BATCH_TOKENS exists for one test build only (the emulated library's "mismatch" variant,
// scripts/test-java-on-emulated-gpus.sh): a library enforcing less than its header says, as on 2026-12-04, which
// Java's end-to-end run on emulated GPUs must then fail on. Release builds never define it.
#ifndef ESM2J_ENFORCED_MAX_BATCH_TOKENS
#define ESM2J_ENFORCED_MAX_BATCH_TOKENS ESM2J_MAX_BATCH_TOKENS
#endif
int check_batch_limits(const char* fn, int64_t max_tokens, int32_t max_seqs) {
    if (max_tokens < 2 || max_tokens > ESM2J_ENFORCED_MAX_BATCH_TOKENS || max_seqs < 1 || max_seqs > ESM2J_MAX_BATCH_SEQUENCES)
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "%s: max_tokens %lld must be in 2..%lld and max_seqs %d in 1..%d", fn,
                    (long long)max_tokens, (long long)ESM2J_ENFORCED_MAX_BATCH_TOKENS, max_seqs, ESM2J_MAX_BATCH_SEQUENCES);
    return ESM2J_OK;
}

}  // namespace

extern "C" {

ESM2J_API int32_t esm2j_abi_version(void) { return ESM2J_ABI_VERSION; }

ESM2J_API const char* esm2j_version_string(void) {
    static char text[256];
    static bool done = false;
    if (!done) {
        // Built once; the runtime version needs no device. Benign if two threads race: same bytes.
        int rt = 0;
        if (cudaRuntimeGetVersion(&rt) != cudaSuccess) rt = 0;
        std::snprintf(text, sizeof text, "esm2j %s (ABI %d); CUDA runtime %d.%d (built with %d.%d); cuDNN %s; archs %s",
                      ESM2J_VERSION, ESM2J_ABI_VERSION, rt / 1000, (rt % 1000) / 10, CUDART_VERSION / 1000,
                      (CUDART_VERSION % 1000) / 10, CudnnAttention::version(), ESM2J_CUDA_ARCHS);
        done = true;
    }
    return text;
}

ESM2J_API const char* esm2j_last_error(void) { return last_error(); }

ESM2J_API int esm2j_device_count(int32_t* count) {
    return guarded("esm2j_device_count", [&]() -> int {
        if (!count) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_device_count: count is NULL");
        *count = 0;
        int n = 0;
        const cudaError_t err = cudaGetDeviceCount(&n);
        if (err != cudaSuccess) {
            (void)cudaGetLastError();
            return fail(ESM2J_ERROR_NO_DEVICE, "esm2j_device_count: no usable CUDA device (%s: %s)",
                        cudaGetErrorName(err), cudaGetErrorString(err));
        }
        if (n == 0) return fail(ESM2J_ERROR_NO_DEVICE, "esm2j_device_count: no CUDA device is visible");
        *count = n;
        return ESM2J_OK;
    });
}

ESM2J_API int esm2j_mem_info(int32_t device, uint64_t* free_bytes, uint64_t* total_bytes) {
    return guarded("esm2j_mem_info", [&]() -> int {
        if (!free_bytes || !total_bytes)
            return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_mem_info: free_bytes and total_bytes must not be NULL");
        *free_bytes = *total_bytes = 0;
        ESM2J_TRY(use_device("esm2j_mem_info", device));
        size_t f = 0, t = 0;
        ESM2J_CUDA_TRY(cudaMemGetInfo(&f, &t), "cudaMemGetInfo");
        *free_bytes = f;
        *total_bytes = t;
        return ESM2J_OK;
    });
}

ESM2J_API int esm2j_model_bytes(const esm2j_model_config* cfg, uint64_t* bytes) {
    return guarded("esm2j_model_bytes", [&]() -> int {
        if (!cfg || !bytes) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_model_bytes: cfg and bytes must not be NULL");
        *bytes = 0;
        ESM2J_TRY(validate_config(*cfg));
        *bytes = model_weight_bytes(*cfg);
        return ESM2J_OK;
    });
}

ESM2J_API int esm2j_model_create(int32_t device, const esm2j_model_config* cfg, esm2j_model** out) {
    return guarded("esm2j_model_create", [&]() -> int {
        if (!cfg || !out) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_model_create: cfg and out must not be NULL");
        *out = nullptr;
        ESM2J_TRY(use_device("esm2j_model_create", device));
        return model_create(device, *cfg, out);
    });
}

ESM2J_API int esm2j_model_set_tensor(esm2j_model* m, int32_t tensor, int32_t layer, int32_t src_dtype,
                                     const void* host_data, int64_t numel) {
    return guarded("esm2j_model_set_tensor", [&]() -> int {
        if (!m) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_model_set_tensor: model is NULL");
        if (!host_data)
            return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_model_set_tensor %s: host_data is NULL",
                        tensor_name(tensor));
        ESM2J_TRY(use_device("esm2j_model_set_tensor", m->device));
        return model_set_tensor(m, tensor, layer, src_dtype, host_data, numel);
    });
}

ESM2J_API int esm2j_model_finalize(esm2j_model* m) {
    return guarded("esm2j_model_finalize", [&]() -> int {
        if (!m) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_model_finalize: model is NULL");
        ESM2J_TRY(use_device("esm2j_model_finalize", m->device));
        return model_finalize(m);
    });
}

ESM2J_API int esm2j_model_destroy(esm2j_model* m) {
    return guarded("esm2j_model_destroy", [&]() -> int {
        if (!m) return ESM2J_OK;
        ESM2J_TRY(use_device("esm2j_model_destroy", m->device));
        return model_destroy(m);
    });
}

ESM2J_API int esm2j_workspace_bytes(const esm2j_model* m, int64_t max_tokens, int32_t max_seqs, uint64_t* bytes) {
    return guarded("esm2j_workspace_bytes", [&]() -> int {
        if (!m || !bytes) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_workspace_bytes: model and bytes must not be NULL");
        *bytes = 0;
        ESM2J_TRY(check_batch_limits("esm2j_workspace_bytes", max_tokens, max_seqs));
        *bytes = plan_workspace(*m, max_tokens, max_seqs).total;
        return ESM2J_OK;
    });
}

ESM2J_API int esm2j_workspace_create(esm2j_model* m, int64_t max_tokens, int32_t max_seqs, esm2j_workspace** out) {
    return guarded("esm2j_workspace_create", [&]() -> int {
        if (!m || !out) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_workspace_create: model and out must not be NULL");
        *out = nullptr;
        ESM2J_TRY(check_batch_limits("esm2j_workspace_create", max_tokens, max_seqs));
        ESM2J_TRY(use_device("esm2j_workspace_create", m->device));
        return workspace_create(m, max_tokens, max_seqs, out);
    });
}

ESM2J_API int esm2j_workspace_destroy(esm2j_workspace* ws) {
    return guarded("esm2j_workspace_destroy", [&]() -> int {
        if (!ws) return ESM2J_OK;
        ESM2J_TRY(use_device("esm2j_workspace_destroy", ws->model->device));
        return workspace_destroy(ws);
    });
}

ESM2J_API int esm2j_workspace_set_option(esm2j_workspace* ws, int32_t option, int32_t value) {
    return guarded("esm2j_workspace_set_option", [&]() -> int {
        if (!ws) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_workspace_set_option: workspace is NULL");
        switch (option) {
            case ESM2J_OPTION_ATTENTION:
                if (value < ESM2J_ATTENTION_FLASH || value > ESM2J_ATTENTION_CUDNN)
                    return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                                "esm2j_workspace_set_option: attention backend %d is not 0 (flash), 1 (reference) "
                                "or 2 (cuDNN)",
                                value);
                ws->attention = value;
                return ESM2J_OK;
            case ESM2J_OPTION_KERNELS:
                if (value != ESM2J_KERNELS_FAST && value != ESM2J_KERNELS_REFERENCE)
                    return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                                "esm2j_workspace_set_option: kernels %d is not 0 (fast) or 1 (reference)", value);
                ws->kernels = value;
                return ESM2J_OK;
        }
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_workspace_set_option: unknown option %d", option);
    });
}

ESM2J_API int esm2j_workspace_get_option(const esm2j_workspace* ws, int32_t option, int32_t* value) {
    return guarded("esm2j_workspace_get_option", [&]() -> int {
        if (!ws || !value)
            return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_workspace_get_option: workspace and value must not be NULL");
        if (option == ESM2J_OPTION_ATTENTION) {
            *value = ws->attention;
            return ESM2J_OK;
        }
        if (option == ESM2J_OPTION_KERNELS) {
            *value = ws->kernels;
            return ESM2J_OK;
        }
        return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_workspace_get_option: unknown option %d", option);
    });
}

ESM2J_API int esm2j_workspace_attention_used(const esm2j_workspace* ws, int32_t* backend, const char** note) {
    return guarded("esm2j_workspace_attention_used", [&]() -> int {
        if (!ws) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_workspace_attention_used: workspace is NULL");
        if (backend) *backend = ws->attention_used;
        if (note) *note = ws->attention_note.c_str();
        return ESM2J_OK;
    });
}

ESM2J_API int esm2j_workspace_gemm_fallbacks(const esm2j_workspace* ws, int64_t* count) {
    return guarded("esm2j_workspace_gemm_fallbacks", [&]() -> int {
        if (!ws || !count)
            return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                        "esm2j_workspace_gemm_fallbacks: workspace and count must not be NULL");
        *count = ws->gemm.fallbacks();
        return ESM2J_OK;
    });
}

ESM2J_API int esm2j_encode(esm2j_workspace* ws, void* stream, const esm2j_encode_request* req) {
    return guarded("esm2j_encode", [&]() -> int {
        if (!ws || !req) return fail(ESM2J_ERROR_INVALID_ARGUMENT, "esm2j_encode: workspace and request must not be NULL");
        ESM2J_TRY(use_device("esm2j_encode", ws->model->device));
        return encode(ws, static_cast<cudaStream_t>(stream), *req);
    });
}

}  // extern "C"
