// gemm.h - the linear layers: Y = X W^T through cuBLASLt (or the reference kernel).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <memory>

#include "common.h"

namespace esm2j {

// Y[rows, out] = X[rows, in] * W[out, in]^T (+ bias), all row-major (PyTorch Linear).
// X and W in `in_type`, Y in `out_type` (in_type or F32); FP32 accumulation.
// bias: FP32 [out], added to every row; only with an F32 Y, where cuBLASLt's BIAS epilogue (FP32 accumulator
// + bias, rounded once to FP32) gives exactly what a separate FP32 add after the GEMM gives. The reference
// variant adds it with that separate kernel (launch_bias_add_f32).
struct GemmShape {
    const void* x;
    const void* w;
    void* y;
    int64_t rows;
    int out_features;
    int in_features;
    DType in_type;
    DType out_type;
    const float* bias = nullptr;
};

// Reference: a 16x16 shared-memory-tiled SIMT kernel, FP32 accumulation.
cudaError_t launch_gemm_reference(const GemmShape& g, cudaStream_t stream);

// How cuBLASLt's algorithm is chosen (gemm.cpp):
//   Invariant (default): one algorithm per (out, in, dtypes, alignments) whatever the row count, without split-K
//     or any other cross-CTA reduction, so a row's result does not depend on the other rows of the batch
//     (batch-invariant output, README "Batch invariance").
//   PerRowBucket: the heuristic's first choice per row-count bucket (powers of two), split-K allowed: possibly
//     faster for some row counts, but a row's bits may change with the batch it is in. For measuring the cost.
// The environment variable ESM2J_GEMM_ALGO (invariant | per-rows) sets it for workspaces created afterwards.
enum class GemmAlgoChoice : int { Invariant = 0, PerRowBucket = 1 };

// cuBLASLt runner: owns a handle, a preallocated workspace (borrowed) and the algorithms it chose, one plan
// per GEMM shape (and row bucket), never flushed. One instance per esm2j workspace (used by one thread at a time).
class GemmRunner {
public:
    GemmRunner();
    ~GemmRunner();
    GemmRunner(const GemmRunner&) = delete;
    GemmRunner& operator=(const GemmRunner&) = delete;

    // Creates the cuBLASLt handle; lt_workspace must stay valid as long as the runner. Reads ESM2J_GEMM_ALGO
    // (unset or "invariant", or "per-rows"; anything else is ESM2J_ERROR_INVALID_ARGUMENT).
    int init(void* lt_workspace, size_t lt_workspace_bytes);
    // Runs Y = X W^T on stream: cuBLASLt for Variant::Fast (the reference kernel when cuBLASLt has no
    // algorithm for the shape, counted in fallbacks()), the reference kernel for Variant::Reference.
    int run(Variant variant, const GemmShape& g, cudaStream_t stream);
    int64_t fallbacks() const { return fallbacks_; }

    // Changes the choice (drops the plans made so far).
    void set_choice(GemmAlgoChoice c);
    GemmAlgoChoice choice() const { return choice_; }
    // Plans held, and heuristic queries made so far (tests: a steady run makes no new ones).
    size_t plan_count() const;
    int64_t heuristic_queries() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int64_t fallbacks_ = 0;
    GemmAlgoChoice choice_ = GemmAlgoChoice::Invariant;
};

}  // namespace esm2j
