// cublaslt_stub.cpp - cuBLASLt for the library built under emulation: the part of the API that cuda/src/gemm.cpp
// uses, computing on the CPU what it is asked (no GPU; device memory is host memory under emulation).
//
// cublasLtMatmul: D = alpha * op(A) op(B) + beta * C (+ bias, CUBLASLT_EPILOGUE_BIAS), column-major layouts with
// their leading dimensions, TRANSA/TRANSB, A/B in FP32, FP16 or BF16, C/D in A's type or FP32 (compute type
// CUBLAS_COMPUTE_32F, scale FP32, host scalars), bias FP32 or D's type; FP32 accumulation with fused multiply-adds,
// rounded once to D's type. Any other epilogue or type combination: CUBLAS_STATUS_NOT_SUPPORTED.
//
// The heuristic behaves like a GPU's in the way that matters for batch invariance: its first answer depends on
// the problem size n (the row count gemm.cpp passes as n). Three algorithms, each with its own summation order
// over K, so that their FP32 results differ in the last bits as real kernels do:
//   ID 0  one running sum over k (small n first choice),
//   ID 1  split-K: 4 slices of K summed separately, then added (CUBLASLT_REDUCTION_SCHEME_INPLACE; offered first
//         when n <= 64 and K >= 64, unless the preference's reduction-scheme mask excludes it),
//   ID 2  8 interleaved partial sums (k mod 8), added at the end (first choice when n >= 512).
// The algo struct holds its configuration (CUBLASLT_ALGO_CONFIG_*: ID, tile, split-K, reduction scheme and the
// rest) and cublasLtMatmul honours it; cublasLtMatmulAlgoCheck validates the descriptors against it.
#include <cublasLt.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "runtime_internal.h"

namespace {

char g_handle;  // a non-null handle; nothing is ever stored behind it

struct Desc {
    cublasComputeType_t compute;
    cudaDataType_t scale;
    int32_t transa = CUBLAS_OP_N, transb = CUBLAS_OP_N;
    uint32_t epilogue = CUBLASLT_EPILOGUE_DEFAULT;
    const void* bias = nullptr;
    int32_t bias_type = -1;  // -1: D's type
};
struct Layout {
    cudaDataType_t type;
    uint64_t rows, cols;
    int64_t ld;
};
struct Pref {
    uint64_t max_workspace = 0;
    uint32_t reduction_mask = CUBLASLT_REDUCTION_SCHEME_MASK;
};

Desc* desc_of(cublasLtMatmulDesc_t d) { return reinterpret_cast<Desc*>(d); }
Layout* layout_of(cublasLtMatrixLayout_t l) { return reinterpret_cast<Layout*>(l); }
Pref* pref_of(cublasLtMatmulPreference_t p) { return reinterpret_cast<Pref*>(p); }

// The algo struct: data[0] a tag; data[1 + a] the configuration attribute a = CUBLASLT_ALGO_CONFIG_ID .. STAGES_ID
// (0..6); data[7] INNER_SHAPE_ID (low 16 bits) and CLUSTER_SHAPE_ID (next 16).
constexpr uint64_t kTag = 0xe5a2a160u;
enum Slot { kId = 1, kTile = 2, kSplitK = 3, kReduction = 4, kShapes = 7 };

template <typename T>
bool attr(T* dst, const void* buf, size_t size) {
    if (!buf || size != sizeof(T)) return false;
    std::memcpy(dst, buf, sizeof(T));
    return true;
}

float load(const void* p, cudaDataType_t t, size_t i) {
    switch (t) {
        case CUDA_R_32F: return static_cast<const float*>(p)[i];
        case CUDA_R_16F: return __half2float(static_cast<const __half*>(p)[i]);
        case CUDA_R_16BF: return __bfloat162float(static_cast<const __nv_bfloat16*>(p)[i]);
        default: return NAN;
    }
}
void store(void* p, cudaDataType_t t, size_t i, float v) {
    switch (t) {
        case CUDA_R_32F: static_cast<float*>(p)[i] = v; break;
        case CUDA_R_16F: static_cast<__half*>(p)[i] = __float2half_rn(v); break;
        case CUDA_R_16BF: static_cast<__nv_bfloat16*>(p)[i] = __float2bfloat16_rn(v); break;
        default: break;
    }
}
bool input_type(cudaDataType_t t) { return t == CUDA_R_32F || t == CUDA_R_16F || t == CUDA_R_16BF; }

cublasLtMatmulAlgo_t make_algo(int id, int splits, uint32_t reduction) {
    cublasLtMatmulAlgo_t a{};
    a.data[0] = kTag;
    a.data[kId] = (uint64_t)id;
    a.data[kTile] = 0;
    a.data[kSplitK] = (uint64_t)splits;
    a.data[kReduction] = reduction;
    return a;
}

// The problem the descriptors describe: op(A) m x k, op(B) k x n, C and D m x n.
struct Problem {
    uint64_t m, n, k;
};

cublasStatus_t check(const Desc* d, const Layout* a, const Layout* b, const Layout* c, const Layout* dd,
                     const cublasLtMatmulAlgo_t* algo, Problem* out) {
    if (!d || !a || !b || !c || !dd) return CUBLAS_STATUS_INVALID_VALUE;
    if (d->compute != CUBLAS_COMPUTE_32F || d->scale != CUDA_R_32F) return CUBLAS_STATUS_NOT_SUPPORTED;
    if (!input_type(a->type) || b->type != a->type || c->type != dd->type) return CUBLAS_STATUS_NOT_SUPPORTED;
    if (dd->type != a->type && dd->type != CUDA_R_32F) return CUBLAS_STATUS_NOT_SUPPORTED;
    if (d->epilogue != CUBLASLT_EPILOGUE_DEFAULT && d->epilogue != CUBLASLT_EPILOGUE_BIAS)
        return CUBLAS_STATUS_NOT_SUPPORTED;
    if (d->epilogue == CUBLASLT_EPILOGUE_BIAS) {
        if (!d->bias) return CUBLAS_STATUS_INVALID_VALUE;
        if (d->bias_type != -1 && d->bias_type != CUDA_R_32F && d->bias_type != (int32_t)dd->type)
            return CUBLAS_STATUS_NOT_SUPPORTED;
    }
    const bool ta = d->transa == CUBLAS_OP_T, tb = d->transb == CUBLAS_OP_T;
    const uint64_t m = ta ? a->cols : a->rows, k = ta ? a->rows : a->cols;
    const uint64_t kb = tb ? b->cols : b->rows, n = tb ? b->rows : b->cols;
    if (kb != k || c->rows != m || c->cols != n || dd->rows != m || dd->cols != n) return CUBLAS_STATUS_INVALID_VALUE;
    for (const Layout* l : {a, b, c, dd})
        if (l->ld < (int64_t)l->rows || l->ld < 1) return CUBLAS_STATUS_INVALID_VALUE;
    if (algo) {
        if (algo->data[0] != kTag || algo->data[kId] > 2) return CUBLAS_STATUS_INVALID_VALUE;
        const uint64_t splits = algo->data[kSplitK];
        if (splits < 1 || splits > k) return CUBLAS_STATUS_NOT_SUPPORTED;
        if ((splits > 1) != (algo->data[kReduction] != CUBLASLT_REDUCTION_SCHEME_NONE))
            return CUBLAS_STATUS_INVALID_VALUE;
    }
    *out = Problem{m, n, k};
    return CUBLAS_STATUS_SUCCESS;
}

}  // namespace

cublasStatus_t cublasLtCreate(cublasLtHandle_t* h) {
    *h = reinterpret_cast<cublasLtHandle_t>(&g_handle);
    return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasLtDestroy(cublasLtHandle_t) { return CUBLAS_STATUS_SUCCESS; }

cublasStatus_t cublasLtMatmulDescCreate(cublasLtMatmulDesc_t* d, cublasComputeType_t compute, cudaDataType_t scale) {
    auto* desc = new Desc();
    desc->compute = compute;
    desc->scale = scale;
    *d = reinterpret_cast<cublasLtMatmulDesc_t>(desc);
    return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasLtMatmulDescDestroy(cublasLtMatmulDesc_t d) {
    delete desc_of(d);
    return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasLtMatmulDescSetAttribute(cublasLtMatmulDesc_t d, cublasLtMatmulDescAttributes_t a, const void* buf,
                                              size_t size) {
    Desc* desc = desc_of(d);
    bool ok = false;
    switch (a) {
        case CUBLASLT_MATMUL_DESC_TRANSA: ok = attr(&desc->transa, buf, size); break;
        case CUBLASLT_MATMUL_DESC_TRANSB: ok = attr(&desc->transb, buf, size); break;
        case CUBLASLT_MATMUL_DESC_EPILOGUE: ok = attr(&desc->epilogue, buf, size); break;
        case CUBLASLT_MATMUL_DESC_BIAS_POINTER: ok = attr(&desc->bias, buf, size); break;
        case CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE: ok = attr(&desc->bias_type, buf, size); break;
        default: return CUBLAS_STATUS_NOT_SUPPORTED;  // not emulated: the library must not rely on it
    }
    return ok ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_INVALID_VALUE;
}

cublasStatus_t cublasLtMatrixLayoutCreate(cublasLtMatrixLayout_t* l, cudaDataType type, uint64_t rows, uint64_t cols,
                                          int64_t ld) {
    *l = reinterpret_cast<cublasLtMatrixLayout_t>(new Layout{type, rows, cols, ld});
    return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasLtMatrixLayoutDestroy(cublasLtMatrixLayout_t l) {
    delete layout_of(l);
    return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasLtMatrixLayoutSetAttribute(cublasLtMatrixLayout_t l, cublasLtMatrixLayoutAttribute_t a,
                                                const void* buf, size_t size) {
    Layout* layout = layout_of(l);
    bool ok = false;
    switch (a) {
        case CUBLASLT_MATRIX_LAYOUT_ROWS: ok = attr(&layout->rows, buf, size); break;
        case CUBLASLT_MATRIX_LAYOUT_COLS: ok = attr(&layout->cols, buf, size); break;
        case CUBLASLT_MATRIX_LAYOUT_LD: ok = attr(&layout->ld, buf, size); break;
        default: return CUBLAS_STATUS_NOT_SUPPORTED;
    }
    return ok ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_INVALID_VALUE;
}

cublasStatus_t cublasLtMatmulPreferenceCreate(cublasLtMatmulPreference_t* p) {
    *p = reinterpret_cast<cublasLtMatmulPreference_t>(new Pref());
    return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasLtMatmulPreferenceDestroy(cublasLtMatmulPreference_t p) {
    delete pref_of(p);
    return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasLtMatmulPreferenceSetAttribute(cublasLtMatmulPreference_t p, cublasLtMatmulPreferenceAttributes_t a,
                                                    const void* buf, size_t size) {
    Pref* pref = pref_of(p);
    switch (a) {
        case CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES:
            return attr(&pref->max_workspace, buf, size) ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_INVALID_VALUE;
        case CUBLASLT_MATMUL_PREF_REDUCTION_SCHEME_MASK:
            return attr(&pref->reduction_mask, buf, size) ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_INVALID_VALUE;
        default: return CUBLAS_STATUS_SUCCESS;  // alignment minimums: every algorithm here takes any alignment
    }
}

cublasStatus_t cublasLtMatmulAlgoGetHeuristic(cublasLtHandle_t, cublasLtMatmulDesc_t d, cublasLtMatrixLayout_t a,
                                              cublasLtMatrixLayout_t b, cublasLtMatrixLayout_t c,
                                              cublasLtMatrixLayout_t dd, cublasLtMatmulPreference_t p, int requested,
                                              cublasLtMatmulHeuristicResult_t results[], int* returned) {
    Problem pr{};
    *returned = 0;
    if (requested < 1 || !results) return CUBLAS_STATUS_INVALID_VALUE;
    const cublasStatus_t st = check(desc_of(d), layout_of(a), layout_of(b), layout_of(c), layout_of(dd), nullptr, &pr);
    if (st != CUBLAS_STATUS_SUCCESS) return st;
    const uint32_t mask = p ? pref_of(p)->reduction_mask : (uint32_t)CUBLASLT_REDUCTION_SCHEME_MASK;
    std::vector<cublasLtMatmulAlgo_t> offer;
    if (pr.n <= 64 && pr.k >= 64 && (mask & CUBLASLT_REDUCTION_SCHEME_INPLACE))
        offer.push_back(make_algo(1, 4, CUBLASLT_REDUCTION_SCHEME_INPLACE));
    if (pr.n >= 512) {
        offer.push_back(make_algo(2, 1, CUBLASLT_REDUCTION_SCHEME_NONE));
        offer.push_back(make_algo(0, 1, CUBLASLT_REDUCTION_SCHEME_NONE));
    } else {
        offer.push_back(make_algo(0, 1, CUBLASLT_REDUCTION_SCHEME_NONE));
        offer.push_back(make_algo(2, 1, CUBLASLT_REDUCTION_SCHEME_NONE));
    }
    for (const auto& algo : offer) {
        if (*returned == requested) break;
        cublasLtMatmulHeuristicResult_t& r = results[(*returned)++];
        r = cublasLtMatmulHeuristicResult_t{};
        r.algo = algo;
        r.workspaceSize = 0;
        r.state = CUBLAS_STATUS_SUCCESS;
        r.wavesCount = 1.f;
    }
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasLtMatmulAlgoCheck(cublasLtHandle_t, cublasLtMatmulDesc_t d, cublasLtMatrixLayout_t a,
                                       cublasLtMatrixLayout_t b, cublasLtMatrixLayout_t c, cublasLtMatrixLayout_t dd,
                                       const cublasLtMatmulAlgo_t* algo, cublasLtMatmulHeuristicResult_t* result) {
    if (!algo || !result) return CUBLAS_STATUS_INVALID_VALUE;
    Problem pr{};
    const cublasStatus_t st = check(desc_of(d), layout_of(a), layout_of(b), layout_of(c), layout_of(dd), algo, &pr);
    if (st != CUBLAS_STATUS_SUCCESS) return st;
    result->workspaceSize = 0;
    result->state = CUBLAS_STATUS_SUCCESS;
    result->wavesCount = 1.f;
    return CUBLAS_STATUS_SUCCESS;
}

namespace {
// Size in bytes of configuration attribute a (0 when unknown).
size_t config_size(cublasLtMatmulAlgoConfigAttributes_t a) {
    switch (a) {
        case CUBLASLT_ALGO_CONFIG_ID: case CUBLASLT_ALGO_CONFIG_TILE_ID: case CUBLASLT_ALGO_CONFIG_SPLITK_NUM:
        case CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME: case CUBLASLT_ALGO_CONFIG_CTA_SWIZZLING:
        case CUBLASLT_ALGO_CONFIG_CUSTOM_OPTION: case CUBLASLT_ALGO_CONFIG_STAGES_ID: return 4;
        case CUBLASLT_ALGO_CONFIG_INNER_SHAPE_ID: case CUBLASLT_ALGO_CONFIG_CLUSTER_SHAPE_ID: return 2;
        default: return 0;
    }
}
}  // namespace

cublasStatus_t cublasLtMatmulAlgoConfigGetAttribute(const cublasLtMatmulAlgo_t* algo,
                                                    cublasLtMatmulAlgoConfigAttributes_t a, void* buf, size_t size,
                                                    size_t* written) {
    const size_t need = config_size(a);
    if (!algo || need == 0) return CUBLAS_STATUS_INVALID_VALUE;
    if (size == 0) {
        if (!written) return CUBLAS_STATUS_INVALID_VALUE;
        *written = need;
        return CUBLAS_STATUS_SUCCESS;
    }
    if (size != need || !buf) return CUBLAS_STATUS_INVALID_VALUE;
    if (need == 4) {
        const uint32_t v = (uint32_t)algo->data[1 + a];
        std::memcpy(buf, &v, 4);
    } else {
        const uint16_t v = (uint16_t)(algo->data[kShapes] >> (a == CUBLASLT_ALGO_CONFIG_INNER_SHAPE_ID ? 0 : 16));
        std::memcpy(buf, &v, 2);
    }
    if (written) *written = need;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasLtMatmulAlgoConfigSetAttribute(cublasLtMatmulAlgo_t* algo, cublasLtMatmulAlgoConfigAttributes_t a,
                                                    const void* buf, size_t size) {
    const size_t need = config_size(a);
    if (!algo || !buf || need == 0 || size != need || a == CUBLASLT_ALGO_CONFIG_ID)  // the ID is read-only
        return CUBLAS_STATUS_INVALID_VALUE;
    if (need == 4) {
        uint32_t v;
        std::memcpy(&v, buf, 4);
        algo->data[1 + a] = v;
    } else {
        uint16_t v;
        std::memcpy(&v, buf, 2);
        const int shift = a == CUBLASLT_ALGO_CONFIG_INNER_SHAPE_ID ? 0 : 16;
        algo->data[kShapes] = (algo->data[kShapes] & ~(0xffffull << shift)) | ((uint64_t)v << shift);
    }
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasLtMatmul(cublasLtHandle_t, cublasLtMatmulDesc_t d, const void* alpha, const void* A,
                              cublasLtMatrixLayout_t a, const void* B, cublasLtMatrixLayout_t b, const void* beta,
                              const void* C, cublasLtMatrixLayout_t c, void* D, cublasLtMatrixLayout_t dd,
                              const cublasLtMatmulAlgo_t* algo, void*, size_t, cudaStream_t) {
    if (!algo || !alpha || !beta || !A || !B || !D) return CUBLAS_STATUS_INVALID_VALUE;
    const Desc* desc = desc_of(d);
    const Layout *la = layout_of(a), *lb = layout_of(b), *lc = layout_of(c), *ld = layout_of(dd);
    Problem pr{};
    const cublasStatus_t st = check(desc, la, lb, lc, ld, algo, &pr);
    if (st != CUBLAS_STATUS_SUCCESS) return st;
    const float al = *static_cast<const float*>(alpha), be = *static_cast<const float*>(beta);
    if (be != 0.f && !C) return CUBLAS_STATUS_INVALID_VALUE;
    const bool ta = desc->transa == CUBLAS_OP_T, tb = desc->transb == CUBLAS_OP_T;
    const int id = (int)algo->data[kId];
    const uint64_t splits = algo->data[kSplitK];
    const cudaDataType_t bias_type = desc->bias_type == -1 ? ld->type : (cudaDataType_t)desc->bias_type;
    std::vector<float> arow(pr.k), bcol(pr.k);
    for (uint64_t j = 0; j < pr.n; ++j) {
        for (uint64_t kk = 0; kk < pr.k; ++kk)
            bcol[kk] = load(B, lb->type, tb ? j + kk * (uint64_t)lb->ld : kk + j * (uint64_t)lb->ld);
        for (uint64_t i = 0; i < pr.m; ++i) {
            for (uint64_t kk = 0; kk < pr.k; ++kk)
                arow[kk] = load(A, la->type, ta ? kk + i * (uint64_t)la->ld : i + kk * (uint64_t)la->ld);
            float acc = 0.f;
            if (id == 2) {  // 8 interleaved partial sums
                float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
                for (uint64_t kk = 0; kk < pr.k; ++kk) part[kk % 8] = std::fma(arow[kk], bcol[kk], part[kk % 8]);
                acc = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
            } else {  // one running sum per K slice (one slice unless split), slices added in order
                const uint64_t slice = (pr.k + splits - 1) / splits;
                for (uint64_t s0 = 0; s0 < pr.k; s0 += slice) {
                    float part = 0.f;
                    for (uint64_t kk = s0; kk < std::min(pr.k, s0 + slice); ++kk) part = std::fma(arow[kk], bcol[kk], part);
                    acc += part;
                }
            }
            float v = al * acc;
            if (be != 0.f) v += be * load(C, lc->type, i + j * (uint64_t)lc->ld);
            if (desc->epilogue == CUBLASLT_EPILOGUE_BIAS) v += load(desc->bias, bias_type, i);
            store(D, ld->type, i + j * (uint64_t)ld->ld, v);
        }
    }
    // Written by the host, outside a launch: the emulator's copy from before the next launch must be taken anew
    // (as after a cudaMemcpy), or its schedule comparison would see D change under it.
    esm2j_emu::device_host_write(D);
    return CUBLAS_STATUS_SUCCESS;
}

const char* cublasLtGetStatusName(cublasStatus_t status) {
    switch (status) {
        case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
        case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
        case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
        case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
        default: return "CUBLAS_STATUS_(other)";
    }
}
