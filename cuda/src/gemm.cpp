// gemm.cpp - cuBLASLt for every linear layer: Y[rows, out] = X[rows, in] W[out, in]^T.
//
// Row-major Y is column-major Y^T [out, rows], so we ask cuBLASLt for Y^T = op(W) X^T with
// W viewed column-major as [in, out] (ld = in) and TRANSA = T, X^T column-major [in, rows]
// (ld = in), TRANSB = N: the "TN" GEMM tensor cores like best. Compute type CUBLAS_COMPUTE_32F,
// scale FP32, for every dtype: BF16/FP16 inputs accumulate in FP32, and FP32 inputs stay exact FP32
// (no TF32: that would need CUBLAS_COMPUTE_32F_FAST_TF32).
//
// Algorithm choice (GemmAlgoChoice, gemm.h). The row count is cuBLASLt's n, the only dimension that changes
// from batch to batch. A plan (descriptors + algorithm) is made once per (out, in, dtypes, pointer alignments)
// and, for PerRowBucket only, per power-of-two row bucket; then each call sets the layouts' column count to
// the actual rows and, when the rows changed since the plan's last call, validates the algorithm for them
// with cublasLtMatmulAlgoCheck. Nothing is flushed: a model has about six GEMM shapes.
//
// Invariant (the default): the heuristic is asked once per shape, at a fixed row count (kPlanRows, whatever
// the batch or the workspace), allowing no reduction scheme (CUBLASLT_MATMUL_PREF_REDUCTION_SCHEME_MASK =
// NONE); of its answers the first with CUBLASLT_ALGO_CONFIG_SPLITK_NUM = 1 and REDUCTION_SCHEME = NONE that
// cublasLtMatmulAlgoCheck accepts at several row counts (kProbeRows) is kept, with its configuration pinned
// (ID, tile, stages, split-K 1, no reduction, swizzling, custom option, inner and cluster shape all stored in
// the algo struct and reused verbatim). Every output element is then one CTA's dot product over K in the
// kernel's fixed order, and the rows only decide how many CTAs run: a row's result is the same bits in any
// batch. When the kept algorithm refuses some row count (AlgoCheck), that call takes the reference kernel,
// counted in fallbacks() (the self-test reports it), rather than a different cuBLASLt algorithm.
#include "gemm.h"

#include <cublasLt.h>

#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "bias_gelu.h"
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

// The row count the Invariant choice asks the heuristic about: a large batch (where the time goes), fixed so
// that the choice depends on nothing a caller varies.
constexpr int64_t kPlanRows = 32768;
// Row counts the Invariant choice's algorithm must accept when chosen (odd, tiny, large).
constexpr int64_t kProbeRows[] = {1, 3, 17, 1000, kPlanRows, 262147};
constexpr int kCandidates = 8;  // heuristic answers examined per plan

// The PerRowBucket choice's bucket: the next power of two >= rows (at least 64).
int64_t row_bucket(int64_t rows) {
    int64_t b = 64;
    while (b < rows) b <<= 1;
    return b;
}

struct Key {
    int64_t bucket;  // 0 for the Invariant choice
    int out_f, in_f;
    int in_type, out_type;
    uint32_t align_x, align_w, align_y;
    uint32_t align_bias;  // 0: no bias epilogue
    bool operator==(const Key& o) const {
        return bucket == o.bucket && out_f == o.out_f && in_f == o.in_f && in_type == o.in_type &&
               out_type == o.out_type && align_x == o.align_x && align_w == o.align_w && align_y == o.align_y &&
               align_bias == o.align_bias;
    }
};

struct KeyHash {
    size_t operator()(const Key& k) const {
        size_t h = std::hash<int64_t>()(k.bucket);
        auto mix = [&h](uint64_t v) { h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2); };
        mix((uint64_t)k.out_f);
        mix((uint64_t)k.in_f);
        mix((uint64_t)k.in_type * 8 + k.out_type);
        mix(((uint64_t)k.align_x << 32) ^ ((uint64_t)k.align_w << 16) ^ k.align_y);
        mix(k.align_bias);
        return h;
    }
};

struct Plan {
    cublasLtMatmulDesc_t desc = nullptr;
    cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
    cublasLtMatmulAlgo_t algo{};
    bool has_algo = false;
    int64_t layout_rows = 0;   // the column count b and c describe now
    int64_t checked_rows = 0;  // the last row count AlgoCheck accepted (0: none yet)
    void release() {
        if (a) cublasLtMatrixLayoutDestroy(a);
        if (b) cublasLtMatrixLayoutDestroy(b);
        if (c) cublasLtMatrixLayoutDestroy(c);
        if (desc) cublasLtMatmulDescDestroy(desc);
        a = b = c = nullptr;
        desc = nullptr;
    }
};

// A guard against unbounded growth only (pointer alignments are part of the key): a steady run holds a few
// plans per model (Invariant) or a few per row bucket (PerRowBucket), far below this.
constexpr size_t kMaxPlans = 4096;

template <typename T>
T algo_config(const cublasLtMatmulAlgo_t& algo, cublasLtMatmulAlgoConfigAttributes_t attr, T fallback) {
    T v{};
    size_t written = 0;
    if (cublasLtMatmulAlgoConfigGetAttribute(&algo, attr, &v, sizeof v, &written) != CUBLAS_STATUS_SUCCESS ||
        written != sizeof v)
        return fallback;
    return v;
}

}  // namespace

struct GemmRunner::Impl {
    cublasLtHandle_t handle = nullptr;
    void* workspace = nullptr;
    size_t workspace_bytes = 0;
    std::unordered_map<Key, Plan, KeyHash> plans;
    int64_t heuristic_queries = 0;

    ~Impl() {
        clear();
        if (handle) cublasLtDestroy(handle);
    }
    void clear() {
        for (auto& kv : plans) kv.second.release();
        plans.clear();
    }

    // Points the layouts of X and Y at `rows` columns.
    cublasStatus_t set_rows(Plan& plan, int64_t rows) {
        if (plan.layout_rows == rows) return CUBLAS_STATUS_SUCCESS;
        const uint64_t n = (uint64_t)rows;
        cublasStatus_t st = cublasLtMatrixLayoutSetAttribute(plan.b, CUBLASLT_MATRIX_LAYOUT_COLS, &n, sizeof n);
        if (st == CUBLAS_STATUS_SUCCESS)
            st = cublasLtMatrixLayoutSetAttribute(plan.c, CUBLASLT_MATRIX_LAYOUT_COLS, &n, sizeof n);
        plan.layout_rows = st == CUBLAS_STATUS_SUCCESS ? rows : 0;
        return st;
    }

    // Whether plan.algo runs `rows` rows (cublasLtMatmulAlgoCheck, workspace included).
    bool accepts(Plan& plan, int64_t rows) {
        if (set_rows(plan, rows) != CUBLAS_STATUS_SUCCESS) return false;
        cublasLtMatmulHeuristicResult_t r{};
        const cublasStatus_t st =
            cublasLtMatmulAlgoCheck(handle, plan.desc, plan.a, plan.b, plan.c, plan.c, &plan.algo, &r);
        if (st != CUBLAS_STATUS_SUCCESS) (void)cudaGetLastError();
        return st == CUBLAS_STATUS_SUCCESS && r.workspaceSize <= workspace_bytes;
    }

    int make_plan(const GemmShape& g, const Key& key, GemmAlgoChoice choice, Plan& plan) {
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
        if (g.bias) {
            const cublasLtEpilogue_t epilogue = CUBLASLT_EPILOGUE_BIAS;
            const cudaDataType_t bias_type = CUDA_R_32F;
            ESM2J_LT(cublasLtMatmulDescSetAttribute(plan.desc, CUBLASLT_MATMUL_DESC_EPILOGUE, &epilogue, sizeof epilogue),
                     "set EPILOGUE");
            ESM2J_LT(cublasLtMatmulDescSetAttribute(plan.desc, CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE, &bias_type,
                                                    sizeof bias_type),
                     "set BIAS_DATA_TYPE");
            ESM2J_LT(cublasLtMatmulDescSetAttribute(plan.desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &g.bias, sizeof g.bias),
                     "set BIAS_POINTER");
        }
        const bool invariant = choice == GemmAlgoChoice::Invariant;
        const int64_t query_rows = invariant ? kPlanRows : key.bucket;
        const uint64_t m = (uint64_t)g.out_features, n = (uint64_t)query_rows, k = (uint64_t)g.in_features;
        ESM2J_LT(cublasLtMatrixLayoutCreate(&plan.a, cuda_type(g.in_type), k, m, (int64_t)k), "layout W");
        ESM2J_LT(cublasLtMatrixLayoutCreate(&plan.b, cuda_type(g.in_type), k, n, (int64_t)k), "layout X");
        ESM2J_LT(cublasLtMatrixLayoutCreate(&plan.c, cuda_type(g.out_type), m, n, (int64_t)m), "layout Y");
        plan.layout_rows = query_rows;

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
        if (invariant) {
            const uint32_t none = CUBLASLT_REDUCTION_SCHEME_NONE;
            cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_REDUCTION_SCHEME_MASK, &none, sizeof none);
        }
        cublasLtMatmulHeuristicResult_t results[kCandidates]{};
        int returned = 0;
        ++heuristic_queries;
        const cublasStatus_t st = cublasLtMatmulAlgoGetHeuristic(handle, plan.desc, plan.a, plan.b, plan.c, plan.c,
                                                                 pref, invariant ? kCandidates : 1, results, &returned);
        cublasLtMatmulPreferenceDestroy(pref);
        if (st != CUBLAS_STATUS_SUCCESS) (void)cudaGetLastError();  // handled below: leave no stale CUDA error
        if (st == CUBLAS_STATUS_ALLOC_FAILED) {
            plan.release();
            return cublas_fail((int)st, "cublasLtMatmulAlgoGetHeuristic", __FILE__, __LINE__);
        }
        for (int i = 0; st == CUBLAS_STATUS_SUCCESS && i < returned && !plan.has_algo; ++i) {
            plan.algo = results[i].algo;
            if (!invariant) {
                plan.has_algo = true;
                plan.checked_rows = query_rows;
                break;
            }
            // A split K or any reduction across CTAs makes a row's sum order depend on the grid: never.
            const int32_t splits = algo_config<int32_t>(plan.algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM, -1);
            const uint32_t reduction =
                algo_config<uint32_t>(plan.algo, CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME, CUBLASLT_REDUCTION_SCHEME_MASK);
            if (splits != 1 || reduction != CUBLASLT_REDUCTION_SCHEME_NONE) continue;
            bool all = true;
            for (int64_t rows : kProbeRows) all = all && accepts(plan, rows);
            if (!all) continue;
            plan.has_algo = true;
            plan.checked_rows = kProbeRows[sizeof kProbeRows / sizeof kProbeRows[0] - 1];
        }
        // No algorithm (NOT_SUPPORTED, none returned, none fit): the caller falls back to the reference kernel.
        return ESM2J_OK;
#undef ESM2J_LT
    }
};

GemmRunner::GemmRunner() : impl_(new Impl) {}
GemmRunner::~GemmRunner() = default;

int GemmRunner::init(void* lt_workspace, size_t lt_workspace_bytes) {
    if (const char* env = std::getenv("ESM2J_GEMM_ALGO")) {
        if (std::strcmp(env, "per-rows") == 0)
            choice_ = GemmAlgoChoice::PerRowBucket;
        else if (env[0] == '\0' || std::strcmp(env, "invariant") == 0)
            choice_ = GemmAlgoChoice::Invariant;
        else
            return fail(ESM2J_ERROR_INVALID_ARGUMENT,
                        "the environment variable ESM2J_GEMM_ALGO is \"%s\": it must be \"invariant\" (the default: "
                        "batch-invariant output) or \"per-rows\"",
                        env);
    }
    impl_->workspace = lt_workspace;
    impl_->workspace_bytes = lt_workspace_bytes;
    const cublasStatus_t st = cublasLtCreate(&impl_->handle);
    if (st != CUBLAS_STATUS_SUCCESS) return cublas_fail((int)st, "cublasLtCreate", __FILE__, __LINE__);
    return ESM2J_OK;
}

void GemmRunner::set_choice(GemmAlgoChoice c) {
    if (c == choice_) return;
    impl_->clear();
    choice_ = c;
}

size_t GemmRunner::plan_count() const { return impl_->plans.size(); }
int64_t GemmRunner::heuristic_queries() const { return impl_->heuristic_queries; }

namespace {
// The reference kernel, then the bias as its own FP32 pass (the un-fused form of the BIAS epilogue).
cudaError_t reference_with_bias(const GemmShape& g, cudaStream_t stream) {
    cudaError_t err = launch_gemm_reference(g, stream);
    if (err == cudaSuccess && g.bias)
        err = launch_bias_add_f32(static_cast<float*>(g.y), g.bias, g.rows, g.out_features, stream);
    return err;
}
}  // namespace

int GemmRunner::run(Variant variant, const GemmShape& g, cudaStream_t stream) {
    if (g.rows <= 0) return ESM2J_OK;
    if (g.bias && g.out_type != DType::F32)
        return fail(ESM2J_ERROR_INTERNAL, "GEMM %dx%d: a bias epilogue needs an FP32 output (internal error)",
                    g.out_features, g.in_features);
    if (variant == Variant::Reference) {
        ESM2J_CUDA_TRY(reference_with_bias(g, stream), "reference GEMM");
        return ESM2J_OK;
    }
    const Key key{choice_ == GemmAlgoChoice::Invariant ? 0 : row_bucket(g.rows),
                  g.out_features,
                  g.in_features,
                  (int)g.in_type,
                  (int)g.out_type,
                  alignment_of(g.x),
                  alignment_of(g.w),
                  alignment_of(g.y),
                  g.bias ? alignment_of(g.bias) : 0};
    auto it = impl_->plans.find(key);
    if (it == impl_->plans.end()) {
        if (impl_->plans.size() >= kMaxPlans) impl_->clear();
        Plan plan;
        ESM2J_TRY(impl_->make_plan(g, key, choice_, plan));
        it = impl_->plans.emplace(key, plan).first;
    }
    Plan& plan = it->second;
    if (plan.has_algo) {
        bool ok = plan.checked_rows == g.rows;
        if (!ok) {
            ok = impl_->accepts(plan, g.rows);
            plan.checked_rows = ok ? g.rows : 0;
        }
        if (ok && g.bias)  // the plan is per shape, the bias pointer per call
            ok = cublasLtMatmulDescSetAttribute(plan.desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &g.bias, sizeof g.bias) ==
                 CUBLAS_STATUS_SUCCESS;
        if (ok) {
            const float alpha = 1.f, beta = 0.f;
            const cublasStatus_t st =
                cublasLtMatmul(impl_->handle, plan.desc, &alpha, g.w, plan.a, g.x, plan.b, &beta, g.y, plan.c, g.y,
                               plan.c, &plan.algo, impl_->workspace, impl_->workspace_bytes, stream);
            if (st == CUBLAS_STATUS_SUCCESS) return ESM2J_OK;
            if (st != CUBLAS_STATUS_NOT_SUPPORTED && st != CUBLAS_STATUS_INVALID_VALUE)
                return cublas_fail((int)st, "cublasLtMatmul", __FILE__, __LINE__);
            // The algorithm refused this call after all. Nothing was launched, so the stream holds no partial
            // result; clear any CUDA error cuBLASLt left, or the reference kernel's launch check would report it.
            (void)cudaGetLastError();
            plan.checked_rows = 0;
        }
    }
    // No algorithm for this shape, or not for this row count: the reference kernel, counted.
    ++fallbacks_;
    ESM2J_CUDA_TRY(reference_with_bias(g, stream), "reference GEMM (cuBLASLt has no usable algorithm for this shape)");
    return ESM2J_OK;
}

}  // namespace esm2j
