// gemm.h - the linear layers: Y = X W^T through cuBLASLt (or the reference kernel).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <memory>

#include "common.h"

namespace esm2j {

// Y[rows, out] = X[rows, in] * W[out, in]^T, all row-major (PyTorch Linear without bias).
// X and W in `in_type`, Y in `out_type` (in_type or F32); FP32 accumulation.
struct GemmShape {
    const void* x;
    const void* w;
    void* y;
    int64_t rows;
    int out_features;
    int in_features;
    DType in_type;
    DType out_type;
};

// Reference: a 16x16 shared-memory-tiled SIMT kernel, FP32 accumulation.
cudaError_t launch_gemm_reference(const GemmShape& g, cudaStream_t stream);

// cuBLASLt runner: owns a handle, a preallocated workspace (borrowed) and per-shape cached
// algorithms. One instance per esm2j workspace (used by one thread at a time).
class GemmRunner {
public:
    GemmRunner();
    ~GemmRunner();
    GemmRunner(const GemmRunner&) = delete;
    GemmRunner& operator=(const GemmRunner&) = delete;

    // Creates the cuBLASLt handle; lt_workspace must stay valid as long as the runner.
    int init(void* lt_workspace, size_t lt_workspace_bytes);
    // Runs Y = X W^T on stream: cuBLASLt for Variant::Fast (the reference kernel when cuBLASLt has no
    // algorithm for the shape, counted in fallbacks()), the reference kernel for Variant::Reference.
    int run(Variant variant, const GemmShape& g, cudaStream_t stream);
    int64_t fallbacks() const { return fallbacks_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int64_t fallbacks_ = 0;
};

}  // namespace esm2j
