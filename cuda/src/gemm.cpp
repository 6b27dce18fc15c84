// gemm.cpp - cuBLASLt for every linear layer: Y[rows, out] = X[rows, in] W[out, in]^T.
//
// Row-major Y is column-major Y^T [out, rows], so we ask cuBLASLt for Y^T = op(W) X^T with
// W viewed column-major as [in, out] (ld = in) and TRANSA = T, X^T column-major [in, rows]
// (ld = in), TRANSB = N: the "TN" GEMM tensor cores like best. Compute type CUBLAS_COMPUTE_32F,
// scale FP32, for every dtype: BF16/FP16 inputs accumulate in FP32, and FP32 inputs stay exact FP32
// (no TF32: that would need CUBLAS_COMPUTE_32F_FAST_TF32). Algorithms come from the heuristic,
// once per (shape, dtypes, pointer alignment), kept in a small cache.
#include "gemm.h"

#include <cublasLt.h>

#include <unordered_map>

#include "status.h"

namespace esm2j {

namespace {

cudaDataType_t cuda_type(DType t) {
    return t == DType::F32 ? CUDA_R_32F : t == DType::F16 ? CUDA_R_16F : CUDA_R_16BF;
}

uint32_t alignment_of(const void* p) {
    const auto a = reinterpret_cast<uintptr_t>(p);
    uint32_t align = 256;
    while (align > 1 && (a % align) != 0) align >>= 1;
    return align;
}

struct Key {
    int64_t rows;
    int out_f, in_f;
    int in_type, out_type;
    uint32_t align_x, align_w, align_y;
    bool operator==(const Key& o) const {
        return rows == o.rows && out_f == o.out_f && in_f == o.in_f && in_type == o.in_type &&
               out_type == o.out_type && align_x == o.align_x && align_w == o.align_w && align_y == o.align_y;
    }
};

struct KeyHash {
    size_t operator()(const Key& k) const {
        size_t h = std::hash<int64_t>()(k.rows);
        auto mix = [&h](uint64_t v) { h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2); };
        mix((uint64_t)k.out_f);
        mix((uint64_t)k.in_f);
        mix((uint64_t)k.in_type * 8 + k.out_type);
        mix(((uint64_t)k.align_x << 32) ^ ((uint64_t)k.align_w << 16) ^ k.align_y);
        return h;
    }
};

struct Plan {
    cublasLtMatmulDesc_t desc = nullptr;
    cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
    cublasLtMatmulAlgo_t algo{};
    bool has_algo = false;
    void release() {
        if (a) cublasLtMatrixLayoutDestroy(a);
        if (b) cublasLtMatrixLayoutDestroy(b);
        if (c) cublasLtMatrixLayoutDestroy(c);
        if (desc) cublasLtMatmulDescDestroy(desc);
        a = b = c = nullptr;
        desc = nullptr;
    }
};

constexpr size_t kMaxCachedPlans = 512;  // rows vary per batch: bound the cache, rebuild when full

}  // namespace

struct GemmRunner::Impl {
    cublasLtHandle_t handle = nullptr;
    void* workspace = nullptr;
    size_t workspace_bytes = 0;
    std::unordered_map<Key, Plan, KeyHash> plans;

    ~Impl() {
        clear();
        if (handle) cublasLtDestroy(handle);
    }
    void clear() {
        for (auto& kv : plans) kv.second.release();
        plans.clear();
    }

    int make_plan(const GemmShape& g, const Key& key, Plan& plan) {
#define ESM2J_LT(call, what)                                                         \
    do {                                                                             \
        cublasStatus_t st_ = (call);                                                 \
        if (st_ != CUBLAS_STATUS_SUCCESS) {                                          \
            plan.release();                                                          \
            return cublas_fail((int)st_, what, __FILE__, __LINE__);                  \
        }                                                                            \
    } while (0)
        ESM2J_LT(cublasLtMatmulDescCreate(&plan.desc, CUBLAS_COMPUTE_32F, CUDA_R_32F), "cublasLtMatmulDescCreate");
        const cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
        ESM2J_LT(cublasLtMatmulDescSetAttribute(plan.desc, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof ta),
                 "set TRANSA");
        ESM2J_LT(cublasLtMatmulDescSetAttribute(plan.desc, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof tb),
                 "set TRANSB");
        const uint64_t m = (uint64_t)g.out_features, n = (uint64_t)g.rows, k = (uint64_t)g.in_features;
        ESM2J_LT(cublasLtMatrixLayoutCreate(&plan.a, cuda_type(g.in_type), k, m, (int64_t)k), "layout W");
        ESM2J_LT(cublasLtMatrixLayoutCreate(&plan.b, cuda_type(g.in_type), k, n, (int64_t)k), "layout X");
        ESM2J_LT(cublasLtMatrixLayoutCreate(&plan.c, cuda_type(g.out_type), m, n, (int64_t)m), "layout Y");

        cublasLtMatmulPreference_t pref = nullptr;
        ESM2J_LT(cublasLtMatmulPreferenceCreate(&pref), "cublasLtMatmulPreferenceCreate");
        const uint64_t ws = workspace_bytes;
        cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws);
        cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, &key.align_w,
                                             sizeof key.align_w);
        cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, &key.align_x,
                                             sizeof key.align_x);
        cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, &key.align_y,
                                             sizeof key.align_y);
        cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, &key.align_y,
                                             sizeof key.align_y);
        cublasLtMatmulHeuristicResult_t result{};
        int returned = 0;
        const cublasStatus_t st =
            cublasLtMatmulAlgoGetHeuristic(handle, plan.desc, plan.a, plan.b, plan.c, plan.c, pref, 1, &result,
                                           &returned);
        cublasLtMatmulPreferenceDestroy(pref);
        if (st != CUBLAS_STATUS_SUCCESS) (void)cudaGetLastError();  // handled below: leave no stale CUDA error
        if (st == CUBLAS_STATUS_SUCCESS && returned > 0) {
            plan.algo = result.algo;
            plan.has_algo = true;
        } else if (st == CUBLAS_STATUS_ALLOC_FAILED) {
            plan.release();
            return cublas_fail((int)st, "cublasLtMatmulAlgoGetHeuristic", __FILE__, __LINE__);
        }
        // No algorithm (NOT_SUPPORTED or none returned): the caller falls back to the reference kernel.
        return ESM2J_OK;
#undef ESM2J_LT
    }
};

GemmRunner::GemmRunner() : impl_(new Impl) {}
GemmRunner::~GemmRunner() = default;

int GemmRunner::init(void* lt_workspace, size_t lt_workspace_bytes) {
    impl_->workspace = lt_workspace;
    impl_->workspace_bytes = lt_workspace_bytes;
    const cublasStatus_t st = cublasLtCreate(&impl_->handle);
    if (st != CUBLAS_STATUS_SUCCESS) return cublas_fail((int)st, "cublasLtCreate", __FILE__, __LINE__);
    return ESM2J_OK;
}

int GemmRunner::run(Variant variant, const GemmShape& g, cudaStream_t stream) {
    if (g.rows <= 0) return ESM2J_OK;
    if (variant == Variant::Reference) {
        ESM2J_CUDA_TRY(launch_gemm_reference(g, stream), "reference GEMM");
        return ESM2J_OK;
    }
    const Key key{g.rows,
                  g.out_features,
                  g.in_features,
                  (int)g.in_type,
                  (int)g.out_type,
                  alignment_of(g.x),
                  alignment_of(g.w),
                  alignment_of(g.y)};
    auto it = impl_->plans.find(key);
    if (it == impl_->plans.end()) {
        if (impl_->plans.size() >= kMaxCachedPlans) impl_->clear();
        Plan plan;
        ESM2J_TRY(impl_->make_plan(g, key, plan));
        it = impl_->plans.emplace(key, plan).first;
    }
    Plan& plan = it->second;
    if (plan.has_algo) {
        const float alpha = 1.f, beta = 0.f;
        const cublasStatus_t st =
            cublasLtMatmul(impl_->handle, plan.desc, &alpha, g.w, plan.a, g.x, plan.b, &beta, g.y, plan.c, g.y,
                           plan.c, &plan.algo, impl_->workspace, impl_->workspace_bytes, stream);
        if (st == CUBLAS_STATUS_SUCCESS) return ESM2J_OK;
        if (st != CUBLAS_STATUS_NOT_SUPPORTED && st != CUBLAS_STATUS_INVALID_VALUE) {
            return cublas_fail((int)st, "cublasLtMatmul", __FILE__, __LINE__);
        }
        // The heuristic offered an algorithm that then refused this call (it can for odd row counts or
        // alignments): remember that for this shape. Nothing was launched, so the stream holds no partial result;
        // clear any CUDA error cuBLASLt left, or the reference kernel's launch check would report it.
        (void)cudaGetLastError();
        plan.has_algo = false;
    }
    // No algorithm for this shape, or cuBLASLt refused the one it chose: the reference kernel, counted.
    ++fallbacks_;
    ESM2J_CUDA_TRY(launch_gemm_reference(g, stream), "reference GEMM (cuBLASLt has no usable algorithm for this shape)");
    return ESM2J_OK;
}

}  // namespace esm2j
