// attention_cudnn.cpp - attention through cuDNN's fused flash-attention engine, built with the C
// backend graph API (cudnn_frontend is not available offline; this is the graph its SDPA node
// lowers to for inference):
//
//   S = Q K^T (FP32, rows/cols overridden by the per-sequence lengths)     matmul
//   S = S * scale                                                        pointwise MUL (by-value scalar)
//   S = (row < len_q && col < len_kv) ? S : lowest                         GEN_INDEX x2, CMP_LT x2, AND, SELECT
//   P = softmax(S) = exp(S - max) / sum   (stats = max + log sum, virtual) reductions MAX/ADD, SUB, EXP, LOG, ADD, DIV
//   O = P V   (P in the I/O dtype)                                        matmul
//
// Q, K, V, O are "ragged": sequence b starts at element ragged[b] of its tensor, rows of one
// sequence are H*Dp (or E for O) elements apart, heads Dp apart - esm2j's packed [N, H, Dp] layout.
// Graph dims are (b, H, s, Dp) with b and s bucketed (attention_cudnn.h: b >= the sequences, one-token
// padding sequences after the last; s >= the longest sequence), so plans are cached per (dtype, b, s, H, Dp)
// and a run reuses a handful of them instead of building one per batch. Batches run in slices of at most 65535 sequences, each with
// q/k/v/o advanced to its first token (rows are >= 32 bytes, so the 16-byte alignment holds) and its own
// offsets from 0, so every slice has the form of a single-slice batch. Anything cuDNN refuses (no
// engine, older cuDNN, head dim 24 whose O is narrower than Q) is reported back so that encode uses
// the flash kernel instead.
//
// Run on an H200 (cuDNN 9, 2026-12-04): an engine accepted the graph and it was the fastest attention;
// bench/gpu-check exercises it and reports a fallback as a failure. The multi-slice path is checked by
// the self-test's "grid slices" batch of 70,000 sequences.
#include "attention_cudnn.h"

#include "esm2j.h"
#include "status.h"

#if defined(ESM2J_WITH_CUDNN)

#include <cudnn.h>
#include <dlfcn.h>

#include <chrono>
#include <cstdlib>
#include <type_traits>

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <map>
#include <tuple>
#include <vector>

namespace esm2j {

namespace {

// cuDNN is loaded at run time (dlopen), not linked: libesm2j.so then loads on machines without cuDNN,
// and the cuDNN backend reports "cannot load cuDNN" instead of the whole library failing to load.
// Search: $ESM2J_CUDNN_LIBRARY, the library found at build time, then libcudnn.so.9 on the usual paths.
struct CudnnApi {
    bool loaded = false;
    std::string error;
    decltype(&::cudnnGetVersion) GetVersion = nullptr;
    decltype(&::cudnnGetErrorString) GetErrorString = nullptr;
    decltype(&::cudnnGetLastErrorString) GetLastErrorString = nullptr;
    decltype(&::cudnnCreate) Create = nullptr;
    decltype(&::cudnnDestroy) Destroy = nullptr;
    decltype(&::cudnnSetStream) SetStream = nullptr;
    decltype(&::cudnnBackendCreateDescriptor) BackendCreateDescriptor = nullptr;
    decltype(&::cudnnBackendDestroyDescriptor) BackendDestroyDescriptor = nullptr;
    decltype(&::cudnnBackendSetAttribute) BackendSetAttribute = nullptr;
    decltype(&::cudnnBackendGetAttribute) BackendGetAttribute = nullptr;
    decltype(&::cudnnBackendFinalize) BackendFinalize = nullptr;
    decltype(&::cudnnBackendExecute) BackendExecute = nullptr;
};

CudnnApi load_cudnn() {
    CudnnApi api;
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("ESM2J_CUDNN_LIBRARY")) candidates.push_back(env);
#if defined(ESM2J_CUDNN_LIBRARY_PATH)
    candidates.push_back(ESM2J_CUDNN_LIBRARY_PATH);
#endif
    candidates.push_back("libcudnn.so.9");
    candidates.push_back("libcudnn.so");
    void* lib = nullptr;
    std::string tried;
    for (const std::string& c : candidates) {
        lib = dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (lib) break;
        const char* e = dlerror();
        tried += (tried.empty() ? "" : "; ") + std::string(e ? e : c.c_str());
    }
    if (!lib) {
        api.error = "cannot load cuDNN (" + tried + ")";
        return api;
    }
    bool ok = true;
    auto sym = [&](auto& fn, const char* name) {
        fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
        if (!fn) {
            ok = false;
            api.error = std::string("cuDNN lacks ") + name;
        }
    };
    sym(api.GetVersion, "cudnnGetVersion");
    sym(api.GetErrorString, "cudnnGetErrorString");
    sym(api.GetLastErrorString, "cudnnGetLastErrorString");
    sym(api.Create, "cudnnCreate");
    sym(api.Destroy, "cudnnDestroy");
    sym(api.SetStream, "cudnnSetStream");
    sym(api.BackendCreateDescriptor, "cudnnBackendCreateDescriptor");
    sym(api.BackendDestroyDescriptor, "cudnnBackendDestroyDescriptor");
    sym(api.BackendSetAttribute, "cudnnBackendSetAttribute");
    sym(api.BackendGetAttribute, "cudnnBackendGetAttribute");
    sym(api.BackendFinalize, "cudnnBackendFinalize");
    sym(api.BackendExecute, "cudnnBackendExecute");
    api.loaded = ok;  // the handle stays open for the life of the process
    return api;
}

const CudnnApi& dn() {
    static const CudnnApi api = load_cudnn();  // thread-safe one-time load
    return api;
}

}  // namespace

namespace {

// Deprecated-but-required handle attributes, by value to avoid deprecation warnings.
constexpr auto kAttrOpGraphHandle = static_cast<cudnnBackendAttributeName_t>(800);
constexpr auto kAttrPlanHandle = static_cast<cudnnBackendAttributeName_t>(400);

enum Uid : int64_t {
    kQ = 1, kK, kV, kO, kSeqQ, kSeqKV, kRaggedQ, kRaggedK, kRaggedV, kRaggedO, kLowest, kScale,
    kVirtual = 100
};

using Dims = std::array<int64_t, 4>;

// Owns every backend descriptor it creates; records the first failure.
struct Builder {
    std::vector<cudnnBackendDescriptor_t> owned;
    cudnnStatus_t status = CUDNN_STATUS_SUCCESS;
    std::string where;
    int64_t next_virtual = kVirtual;

    ~Builder() {
        for (auto it = owned.rbegin(); it != owned.rend(); ++it) dn().BackendDestroyDescriptor(*it);
    }
    bool ok() const { return status == CUDNN_STATUS_SUCCESS; }
    void check(cudnnStatus_t st, const char* what) {
        if (st != CUDNN_STATUS_SUCCESS && ok()) {
            status = st;
            where = what;
        }
    }
    cudnnBackendDescriptor_t create(cudnnBackendDescriptorType_t type, const char* what) {
        cudnnBackendDescriptor_t d = nullptr;
        if (!ok()) return nullptr;
        check(dn().BackendCreateDescriptor(type, &d), what);
        if (d) owned.push_back(d);
        return d;
    }
    template <typename T>
    void set(cudnnBackendDescriptor_t d, cudnnBackendAttributeName_t name, cudnnBackendAttributeType_t type,
             int64_t count, const T* value, const char* what) {
        if (!ok() || !d) return;
        check(dn().BackendSetAttribute(d, name, type, count, value), what);
    }
    void finalize(cudnnBackendDescriptor_t d, const char* what) {
        if (!ok() || !d) return;
        check(dn().BackendFinalize(d), what);
    }

    cudnnBackendDescriptor_t tensor(int64_t uid, cudnnDataType_t type, const Dims& dims, const Dims& strides,
                                    bool is_virtual, bool by_value = false,
                                    cudnnBackendDescriptor_t ragged = nullptr) {
        auto d = create(CUDNN_BACKEND_TENSOR_DESCRIPTOR, "tensor");
        const int64_t align = 16;
        set(d, CUDNN_ATTR_TENSOR_DATA_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &type, "tensor data type");
        set(d, CUDNN_ATTR_TENSOR_DIMENSIONS, CUDNN_TYPE_INT64, 4, dims.data(), "tensor dims");
        set(d, CUDNN_ATTR_TENSOR_STRIDES, CUDNN_TYPE_INT64, 4, strides.data(), "tensor strides");
        set(d, CUDNN_ATTR_TENSOR_UNIQUE_ID, CUDNN_TYPE_INT64, 1, &uid, "tensor uid");
        set(d, CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, CUDNN_TYPE_INT64, 1, &align, "tensor alignment");
        set(d, CUDNN_ATTR_TENSOR_IS_VIRTUAL, CUDNN_TYPE_BOOLEAN, 1, &is_virtual, "tensor virtual");
        if (by_value) set(d, CUDNN_ATTR_TENSOR_IS_BY_VALUE, CUDNN_TYPE_BOOLEAN, 1, &by_value, "tensor by value");
        if (ragged) set(d, CUDNN_ATTR_TENSOR_RAGGED_OFFSET_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &ragged, "ragged");
        finalize(d, "tensor finalize");
        return d;
    }
    cudnnBackendDescriptor_t virt(cudnnDataType_t type, const Dims& dims, const Dims& strides) {
        return tensor(next_virtual++, type, dims, strides, true);
    }

    // y = op(x [, b [, t]]); gen_index takes an axis.
    cudnnBackendDescriptor_t pointwise(cudnnPointwiseMode_t mode, cudnnDataType_t prec, cudnnBackendDescriptor_t x,
                                       cudnnBackendDescriptor_t b, cudnnBackendDescriptor_t t,
                                       cudnnBackendDescriptor_t y, int64_t axis = -1) {
        auto pw = create(CUDNN_BACKEND_POINTWISE_DESCRIPTOR, "pointwise");
        set(pw, CUDNN_ATTR_POINTWISE_MODE, CUDNN_TYPE_POINTWISE_MODE, 1, &mode, "pointwise mode");
        set(pw, CUDNN_ATTR_POINTWISE_MATH_PREC, CUDNN_TYPE_DATA_TYPE, 1, &prec, "pointwise precision");
        if (axis >= 0) set(pw, CUDNN_ATTR_POINTWISE_AXIS, CUDNN_TYPE_INT64, 1, &axis, "pointwise axis");
        finalize(pw, "pointwise finalize");
        auto op = create(CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR, "pointwise op");
        set(op, CUDNN_ATTR_OPERATION_POINTWISE_PW_DESCRIPTOR, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &pw, "pw desc");
        set(op, CUDNN_ATTR_OPERATION_POINTWISE_XDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &x, "pw x");
        if (b) set(op, CUDNN_ATTR_OPERATION_POINTWISE_BDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &b, "pw b");
        if (t) set(op, CUDNN_ATTR_OPERATION_POINTWISE_TDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &t, "pw t");
        set(op, CUDNN_ATTR_OPERATION_POINTWISE_YDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &y, "pw y");
        finalize(op, "pointwise op finalize");
        return op;
    }

    cudnnBackendDescriptor_t reduction(cudnnReduceTensorOp_t mode, cudnnBackendDescriptor_t x,
                                       cudnnBackendDescriptor_t y) {
        auto red = create(CUDNN_BACKEND_REDUCTION_DESCRIPTOR, "reduction");
        const cudnnDataType_t f32 = CUDNN_DATA_FLOAT;
        set(red, CUDNN_ATTR_REDUCTION_OPERATOR, CUDNN_TYPE_REDUCTION_OPERATOR_TYPE, 1, &mode, "reduction mode");
        set(red, CUDNN_ATTR_REDUCTION_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &f32, "reduction type");
        finalize(red, "reduction finalize");
        auto op = create(CUDNN_BACKEND_OPERATION_REDUCTION_DESCRIPTOR, "reduction op");
        set(op, CUDNN_ATTR_OPERATION_REDUCTION_XDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &x, "reduction x");
        set(op, CUDNN_ATTR_OPERATION_REDUCTION_YDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &y, "reduction y");
        set(op, CUDNN_ATTR_OPERATION_REDUCTION_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &red, "reduction desc");
        finalize(op, "reduction op finalize");
        return op;
    }

    cudnnBackendDescriptor_t matmul(cudnnBackendDescriptor_t a, cudnnBackendDescriptor_t b,
                                    cudnnBackendDescriptor_t c, cudnnBackendDescriptor_t m_override,
                                    cudnnBackendDescriptor_t n_override, cudnnBackendDescriptor_t k_override) {
        auto mm = create(CUDNN_BACKEND_MATMUL_DESCRIPTOR, "matmul");
        const cudnnDataType_t f32 = CUDNN_DATA_FLOAT;
        set(mm, CUDNN_ATTR_MATMUL_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &f32, "matmul type");
        finalize(mm, "matmul finalize");
        auto op = create(CUDNN_BACKEND_OPERATION_MATMUL_DESCRIPTOR, "matmul op");
        set(op, CUDNN_ATTR_OPERATION_MATMUL_ADESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &a, "matmul a");
        set(op, CUDNN_ATTR_OPERATION_MATMUL_BDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &b, "matmul b");
        set(op, CUDNN_ATTR_OPERATION_MATMUL_CDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &c, "matmul c");
        set(op, CUDNN_ATTR_OPERATION_MATMUL_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &mm, "matmul desc");
        if (m_override)
            set(op, CUDNN_ATTR_OPERATION_MATMUL_GEMM_M_OVERRIDE_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &m_override,
                "matmul m override");
        if (n_override)
            set(op, CUDNN_ATTR_OPERATION_MATMUL_GEMM_N_OVERRIDE_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &n_override,
                "matmul n override");
        if (k_override)
            set(op, CUDNN_ATTR_OPERATION_MATMUL_GEMM_K_OVERRIDE_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &k_override,
                "matmul k override");
        finalize(op, "matmul op finalize");
        return op;
    }
};

struct PlanKey {
    int dtype, n_seqs, s, heads, dp;
    bool operator<(const PlanKey& o) const {
        return std::tie(dtype, n_seqs, s, heads, dp) < std::tie(o.dtype, o.n_seqs, o.s, o.heads, o.dp);
    }
};

struct Plan {
    std::vector<std::unique_ptr<Builder>> queries;  // heuristics queries (destroyed after the plan)
    std::unique_ptr<Builder> descriptors;  // keeps every descriptor the plan refers to alive
    cudnnBackendDescriptor_t plan = nullptr;
    int64_t workspace = 0;
    bool usable = false;
    bool out_of_memory = false;  // not usable because cuDNN could not allocate: not cached, reported as OOM
    std::string why;
};

constexpr size_t kMaxPlans = 64;

// cuDNN 9 reports allocation failures as INTERNAL_ERROR_{HOST,DEVICE}_ALLOCATION_FAILED (4003/4004;
// the deprecated CUDNN_STATUS_ALLOC_FAILED is 4003). They mean "shrink the batch", as cudaErrorMemoryAllocation.
bool is_allocation_failure(cudnnStatus_t st) {
    return st == CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED ||
           st == CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED;
}

int status_of(cudnnStatus_t st) { return is_allocation_failure(st) ? ESM2J_ERROR_OUT_OF_MEMORY : ESM2J_ERROR_CUDNN; }

// A failed cuDNN call can leave a non-sticky CUDA error behind (a failed cudaMalloc inside it, say); when we
// handle the failure ourselves, clear it so that the next kernel launch's cudaGetLastError() does not report it.
void clear_stale_cuda_error() { (void)cudaGetLastError(); }

std::string describe(const Builder& b) {
    char text[512];
    char last[256] = "";
    dn().GetLastErrorString(last, sizeof last);
    std::snprintf(text, sizeof text, "%s: %s%s%s", b.where.c_str(), dn().GetErrorString(b.status),
                  last[0] ? " - " : "", last);
    return text;
}

}  // namespace

struct CudnnAttention::Impl {
    cudnnHandle_t handle = nullptr;
    bool handle_failed = false;
    std::string handle_error;
    std::map<PlanKey, Plan> plans;
    int64_t plans_built = 0;
    double build_seconds = 0;
    float lowest = std::numeric_limits<float>::lowest();
    float scale = 1.f;

    ~Impl() {
        plans.clear();
        if (handle) dn().Destroy(handle);
    }

    Plan build(const AttentionParams& p, int s) {
        Plan plan;
        plan.descriptors.reset(new Builder());
        Builder& g = *plan.descriptors;
        const int64_t b = p.n_seqs, h = p.n_heads, d = p.head_dim_padded, e = p.o_row_stride;
        const cudnnDataType_t io = p.dtype == DType::BF16 ? CUDNN_DATA_BFLOAT16 : CUDNN_DATA_HALF;
        const cudnnDataType_t f32 = CUDNN_DATA_FLOAT, i32 = CUDNN_DATA_INT32, boolean = CUDNN_DATA_BOOLEAN;
        const int64_t row = p.qkv_row_stride, hs = p.qkv_head_stride;
        const Dims one{1, 1, 1, 1};
        const Dims seq_dims{b, 1, 1, 1}, ragged_dims{b + 1, 1, 1, 1};

        auto seq_q = g.tensor(kSeqQ, i32, seq_dims, one, false);
        auto seq_kv = g.tensor(kSeqKV, i32, seq_dims, one, false);
        auto rag_q = g.tensor(kRaggedQ, i32, ragged_dims, one, false);
        auto rag_k = g.tensor(kRaggedK, i32, ragged_dims, one, false);
        auto rag_v = g.tensor(kRaggedV, i32, ragged_dims, one, false);
        auto rag_o = g.tensor(kRaggedO, i32, ragged_dims, one, false);
        auto q = g.tensor(kQ, io, {b, h, s, d}, {s * row, hs, row, 1}, false, false, rag_q);
        auto kt = g.tensor(kK, io, {b, h, d, s}, {s * row, hs, 1, row}, false, false, rag_k);  // K^T by strides
        auto v = g.tensor(kV, io, {b, h, s, d}, {s * row, hs, row, 1}, false, false, rag_v);
        auto o = g.tensor(kO, io, {b, h, s, d}, {s * e, p.o_head_stride, e, 1}, false, false, rag_o);
        auto lowest_t = g.tensor(kLowest, f32, one, one, false, true);
        auto scale_t = g.tensor(kScale, f32, one, one, false, true);

        const Dims sd{b, h, s, s}, ss{h * s * s, s * s, s, 1};
        const Dims rd{b, h, s, 1}, rs{h * s, s, 1, 1};
        std::vector<cudnnBackendDescriptor_t> ops;
        auto s0 = g.virt(f32, sd, ss);
        ops.push_back(g.matmul(q, kt, s0, seq_q, seq_kv, nullptr));
        auto s1 = g.virt(f32, sd, ss);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_MUL, f32, s0, scale_t, nullptr, s1));
        auto row_idx = g.virt(i32, sd, ss);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_GEN_INDEX, i32, s1, nullptr, nullptr, row_idx, 2));
        auto col_idx = g.virt(i32, sd, ss);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_GEN_INDEX, i32, s1, nullptr, nullptr, col_idx, 3));
        auto row_ok = g.virt(i32, sd, ss);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_CMP_LT, i32, row_idx, seq_q, nullptr, row_ok));
        auto col_ok = g.virt(i32, sd, ss);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_CMP_LT, i32, col_idx, seq_kv, nullptr, col_ok));
        auto keep = g.virt(boolean, sd, ss);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_LOGICAL_AND, boolean, row_ok, col_ok, nullptr, keep));
        auto s2 = g.virt(f32, sd, ss);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_BINARY_SELECT, f32, s1, lowest_t, keep, s2));
        auto mx = g.virt(f32, rd, rs);
        ops.push_back(g.reduction(CUDNN_REDUCE_TENSOR_MAX, s2, mx));
        auto centred = g.virt(f32, sd, ss);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_SUB, f32, s2, mx, nullptr, centred));
        auto ex = g.virt(f32, sd, ss);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_EXP, f32, centred, nullptr, nullptr, ex));
        auto sum = g.virt(f32, rd, rs);
        ops.push_back(g.reduction(CUDNN_REDUCE_TENSOR_ADD, ex, sum));
        auto log_sum = g.virt(f32, rd, rs);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_LOG, f32, sum, nullptr, nullptr, log_sum));
        auto stats = g.virt(f32, rd, rs);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_ADD, f32, mx, log_sum, nullptr, stats));
        auto probs = g.virt(io, sd, ss);
        ops.push_back(g.pointwise(CUDNN_POINTWISE_DIV, f32, ex, sum, nullptr, probs));
        ops.push_back(g.matmul(probs, v, o, seq_q, nullptr, seq_kv));

        auto graph = g.create(CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR, "operation graph");
        g.set(graph, kAttrOpGraphHandle, CUDNN_TYPE_HANDLE, 1, &handle, "graph handle");
        g.set(graph, CUDNN_ATTR_OPERATIONGRAPH_OPS, CUDNN_TYPE_BACKEND_DESCRIPTOR, (int64_t)ops.size(), ops.data(),
              "graph ops");
        g.finalize(graph, "operation graph finalize (cuDNN has no fused attention for this graph)");
        if (!g.ok()) {
            plan.why = describe(g);
            plan.out_of_memory = is_allocation_failure(g.status);
            return plan;
        }
        bool saw_allocation_failure = false;
        // Ranked engine configurations: heuristic mode A first, the functional fallbacks second.
        std::string last_failure = "no engine";
        for (const cudnnBackendHeurMode_t mode : {CUDNN_HEUR_MODE_A, CUDNN_HEUR_MODE_FALLBACK}) {
            plan.queries.emplace_back(new Builder());
            Builder& hq = *plan.queries.back();  // own status: a failed mode A must not poison the fallback query
            auto heur = hq.create(CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR, "heuristics");
            hq.set(heur, CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &graph, "heur graph");
            hq.set(heur, CUDNN_ATTR_ENGINEHEUR_MODE, CUDNN_TYPE_HEUR_MODE, 1, &mode, "heur mode");
            hq.finalize(heur, "heuristics finalize");
            int64_t count = 0;
            if (hq.ok())
                hq.check(dn().BackendGetAttribute(heur, CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR, 0,
                                                 &count, nullptr),
                        "heuristics result count");
            if (!hq.ok()) {
                last_failure = describe(hq);
                saw_allocation_failure = saw_allocation_failure || is_allocation_failure(hq.status);
                continue;
            }
            if (count > 16) count = 16;
            std::vector<cudnnBackendDescriptor_t> configs;
            for (int64_t i = 0; i < count; ++i) configs.push_back(g.create(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR, "engine config"));
            int64_t got = 0;
            if (count > 0)
                hq.check(dn().BackendGetAttribute(heur, CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR,
                                                 count, &got, configs.data()),
                        "heuristics results");
            if (!hq.ok() || !g.ok()) {
                last_failure = describe(hq.ok() ? g : hq);
                saw_allocation_failure = saw_allocation_failure || is_allocation_failure(hq.ok() ? g.status : hq.status);
                continue;
            }
            for (int64_t i = 0; i < got; ++i) {
                cudnnBackendDescriptor_t ep = nullptr;
                if (dn().BackendCreateDescriptor(CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR, &ep) != CUDNN_STATUS_SUCCESS)
                    continue;
                cudnnStatus_t st = dn().BackendSetAttribute(ep, kAttrPlanHandle, CUDNN_TYPE_HANDLE, 1, &handle);
                if (st == CUDNN_STATUS_SUCCESS)
                    st = dn().BackendSetAttribute(ep, CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG,
                                                  CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &configs[i]);
                if (st == CUDNN_STATUS_SUCCESS) st = dn().BackendFinalize(ep);
                int64_t ws = 0, n = 0;
                if (st == CUDNN_STATUS_SUCCESS)
                    st = dn().BackendGetAttribute(ep, CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE, CUDNN_TYPE_INT64, 1,
                                                  &n, &ws);
                if (st != CUDNN_STATUS_SUCCESS) {
                    last_failure = dn().GetErrorString(st);
                    saw_allocation_failure = saw_allocation_failure || is_allocation_failure(st);
                    dn().BackendDestroyDescriptor(ep);
                    continue;
                }
                g.owned.push_back(ep);
                plan.plan = ep;
                plan.workspace = ws;
                plan.usable = true;
                return plan;
            }
        }
        plan.why = "no cuDNN engine configuration could be finalized (" + last_failure + ")";
        plan.out_of_memory = saw_allocation_failure;
        return plan;
    }
};

namespace {
bool exact_plans_asked() {
    const char* env = std::getenv("ESM2J_CUDNN_EXACT_PLANS");
    return env && env[0] && std::string(env) != "0";
}
}  // namespace

CudnnAttention::CudnnAttention() : impl_(new Impl), plan_buckets_(!exact_plans_asked()) {}
CudnnAttention::~CudnnAttention() = default;

bool CudnnAttention::compiled_in() { return true; }

CudnnAttention::PlanStats CudnnAttention::plan_stats() const {
    return PlanStats{impl_->plans_built, impl_->build_seconds, (int64_t)impl_->plans.size()};
}

const char* CudnnAttention::version() {
    static char text[96];
    if (!text[0]) {
        if (!dn().loaded) {
            std::snprintf(text, sizeof text, "not loadable (built with %s)",
#if defined(ESM2J_CUDNN_VERSION_STR)
                          ESM2J_CUDNN_VERSION_STR
#else
                          "?"
#endif
            );
            return text;
        }
        const size_t v = dn().GetVersion();  // no device needed
        std::snprintf(text, sizeof text, "%zu.%zu.%zu (built with %s)", v / 10000, (v % 10000) / 100, v % 100,
#if defined(ESM2J_CUDNN_VERSION_STR)
                      ESM2J_CUDNN_VERSION_STR
#else
                      "?"
#endif
        );
    }
    return text;
}

bool CudnnAttention::supports(const AttentionParams& p, std::string* why) {
    char text[200];
    if (!dn().loaded) {
        *why = dn().error;
        return false;
    }
    if (p.dtype == DType::F32) {
        *why = "cuDNN fused attention needs BF16 or FP16 (the FP32 path uses esm2j's kernels)";
        return false;
    }
    if (p.head_dim != p.head_dim_padded) {
        std::snprintf(text, sizeof text,
                      "head dim %d runs padded to %d in esm2j, and cuDNN needs the output as wide as q/k/v",
                      p.head_dim, p.head_dim_padded);
        *why = text;
        return false;
    }
    if (p.head_dim > 128 || p.head_dim % 8 != 0) {
        std::snprintf(text, sizeof text, "head dim %d is outside what cuDNN's flash attention takes", p.head_dim);
        *why = text;
        return false;
    }
    const int64_t rows = (int64_t)p.n_tokens + cudnn_pad_rows(p.n_seqs);  // padding sequences' rows included
    if (rows * p.qkv_row_stride >= INT32_MAX || rows * p.o_row_stride >= INT32_MAX) {
        *why = "the batch is too large for int32 ragged offsets";
        return false;
    }
    return true;
}

int CudnnAttention::run(const AttentionParams& p, const CudnnBatchInputs& batch, void* workspace,
                        size_t workspace_bytes, cudaStream_t stream, bool* ran, std::string* why) {
    *ran = false;
    if (!supports(p, why)) return ESM2J_OK;
    Impl& im = *impl_;
    if (!im.handle && !im.handle_failed) {
        const cudnnStatus_t st = dn().Create(&im.handle);
        if (st != CUDNN_STATUS_SUCCESS) {
            im.handle = nullptr;
            clear_stale_cuda_error();
            // Out of memory is this batch's problem, not cuDNN's: report it (Java shrinks the batch) and try
            // again next time. Any other failure is for good: fall back to the flash kernel from now on.
            if (is_allocation_failure(st))
                return fail(ESM2J_ERROR_OUT_OF_MEMORY, "cuDNN attention: cudnnCreate: %s", dn().GetErrorString(st));
            im.handle_failed = true;
            im.handle_error = std::string("cudnnCreate: ") + dn().GetErrorString(st);
        }
    }
    if (!im.handle) {
        *why = im.handle_error;
        return ESM2J_OK;
    }
    const cudnnStatus_t set = dn().SetStream(im.handle, stream);
    if (set != CUDNN_STATUS_SUCCESS) {
        clear_stale_cuda_error();
        return fail(status_of(set), "cudnnSetStream: %s", dn().GetErrorString(set));
    }
    // cuDNN states no limit on the batch of its fused attention, but its kernels may put the batch on a grid
    // dimension limited to 65535, as ours do: run slices of at most that many sequences, each with q/k/v/o
    // advanced to its first token and its own ragged offsets from 0 (encode lays them out: attention_cudnn.h),
    // so that every slice is a batch of the form a single slice has.
    const size_t elem = dtype_size(p.dtype);
    for (int s0 = 0, k = 0; s0 < p.n_seqs; s0 += (int)kMaxGridYZ, ++k) {
        AttentionParams slice = p;
        slice.n_seqs = (int)std::min<int64_t>(kMaxGridYZ, (int64_t)p.n_seqs - s0);
        slice.cu_seqlens = p.cu_seqlens + s0;
        const int64_t first = batch.host_cu_seqlens[s0];
        slice.n_tokens = (int)(batch.host_cu_seqlens[s0 + slice.n_seqs] - first);
        slice.q = static_cast<const char*>(p.q) + first * p.qkv_row_stride * (int64_t)elem;
        slice.k = static_cast<const char*>(p.k) + first * p.qkv_row_stride * (int64_t)elem;
        slice.v = static_cast<const char*>(p.v) + first * p.qkv_row_stride * (int64_t)elem;
        slice.o = static_cast<char*>(p.o) + first * p.o_row_stride * (int64_t)elem;
        const CudnnBatchInputs slice_batch{batch.seq_len + s0, batch.ragged_qkv + s0 + k, batch.ragged_o + s0 + k,
                                           batch.host_cu_seqlens + s0};
        bool slice_ran = false;
        ESM2J_TRY(run_slice(slice, slice_batch, workspace, workspace_bytes, stream, &slice_ran, why));
        // A slice cuDNN refuses sends the whole batch to the flash kernel, which rewrites every output row.
        if (!slice_ran) return ESM2J_OK;
    }
    *ran = true;
    return ESM2J_OK;
}

int CudnnAttention::run_slice(const AttentionParams& p, const CudnnBatchInputs& batch, void* workspace,
                              size_t workspace_bytes, cudaStream_t stream, bool* ran, std::string* why) {
    *ran = false;
    Impl& im = *impl_;
    // The graph's shape: the slice's sequences padded to a bucket, the longest rounded up to one.
    AttentionParams graph = p;
    graph.n_seqs = (int)cudnn_graph_batch(p.n_seqs, plan_buckets_);
    const int s = cudnn_graph_seqlen(p.max_seqlen, plan_buckets_);
    const PlanKey key{(int)p.dtype, graph.n_seqs, s, p.n_heads, p.head_dim_padded};
    auto it = im.plans.find(key);
    if (it == im.plans.end()) {
        if (im.plans.size() >= kMaxPlans) {
            // Attention of earlier batches may still be running on the GPU with these plans: this encode's
            // slices so far, and the previous encode's, which this stream waits for (the workspace's `done`
            // event). Destroying an execution plan under its running kernel frees what that kernel uses, so
            // wait for the stream first. The cache holds 64 bucketed shapes and a run uses a handful: this is rare.
            ESM2J_CUDA_TRY(cudaStreamSynchronize(stream), "cuDNN attention: waiting before clearing the plan cache");
            im.plans.clear();
        }
        const auto t0 = std::chrono::steady_clock::now();
        Plan built = im.build(graph, s);
        im.build_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        ++im.plans_built;
        if (built.out_of_memory) {
            clear_stale_cuda_error();
            return fail(ESM2J_ERROR_OUT_OF_MEMORY, "cuDNN attention: building the plan for %d sequences: %s",
                        graph.n_seqs, built.why.c_str());
        }
        it = im.plans.emplace(key, std::move(built)).first;
    }
    Plan& plan = it->second;
    if (!plan.usable) {
        clear_stale_cuda_error();
        *why = plan.why;
        return ESM2J_OK;
    }
    if ((size_t)plan.workspace > workspace_bytes) {
        char text[160];
        std::snprintf(text, sizeof text, "cuDNN wants %lld bytes of workspace, esm2j reserves %zu",
                      (long long)plan.workspace, workspace_bytes);
        *why = text;
        return ESM2J_OK;
    }
    im.scale = p.softmax_scale;
    int64_t uids[] = {kQ, kK, kV, kO, kSeqQ, kSeqKV, kRaggedQ, kRaggedK, kRaggedV, kRaggedO, kLowest, kScale};
    void* ptrs[] = {const_cast<void*>(p.q),          const_cast<void*>(p.k),          const_cast<void*>(p.v),
                    p.o,                              const_cast<int*>(batch.seq_len), const_cast<int*>(batch.seq_len),
                    const_cast<int*>(batch.ragged_qkv), const_cast<int*>(batch.ragged_qkv),
                    const_cast<int*>(batch.ragged_qkv), const_cast<int*>(batch.ragged_o), &im.lowest, &im.scale};
    cudnnBackendDescriptor_t vp = nullptr;
    cudnnStatus_t st = dn().BackendCreateDescriptor(CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR, &vp);
    if (st == CUDNN_STATUS_SUCCESS)
        st = dn().BackendSetAttribute(vp, CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64, 12, uids);
    if (st == CUDNN_STATUS_SUCCESS)
        st = dn().BackendSetAttribute(vp, CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR, 12, ptrs);
    if (st == CUDNN_STATUS_SUCCESS)
        st = dn().BackendSetAttribute(vp, CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, 1, &workspace);
    if (st == CUDNN_STATUS_SUCCESS) st = dn().BackendFinalize(vp);
    if (st == CUDNN_STATUS_SUCCESS) st = dn().BackendExecute(im.handle, plan.plan, vp);
    if (vp) dn().BackendDestroyDescriptor(vp);
    if (st != CUDNN_STATUS_SUCCESS) {
        char last[256] = "";
        dn().GetLastErrorString(last, sizeof last);
        clear_stale_cuda_error();
        return fail(status_of(st), "cuDNN attention: executing the plan: %s %s", dn().GetErrorString(st), last);
    }
    *ran = true;
    return ESM2J_OK;
}

}  // namespace esm2j

#else  // built without cuDNN

namespace esm2j {

struct CudnnAttention::Impl {};
CudnnAttention::CudnnAttention() : impl_(new Impl), plan_buckets_(true) {}
CudnnAttention::~CudnnAttention() = default;
bool CudnnAttention::compiled_in() { return false; }
CudnnAttention::PlanStats CudnnAttention::plan_stats() const { return PlanStats{}; }
const char* CudnnAttention::version() { return "none"; }
bool CudnnAttention::supports(const AttentionParams&, std::string* why) {
    *why = "this libesm2j was built without cuDNN (ESM2J_WITH_CUDNN=OFF or cuDNN not found)";
    return false;
}
int CudnnAttention::run(const AttentionParams&, const CudnnBatchInputs&, void*, size_t, cudaStream_t, bool* ran,
                        std::string* why) {
    *ran = false;
    *why = "this libesm2j was built without cuDNN";
    return ESM2J_OK;
}

}  // namespace esm2j

#endif
