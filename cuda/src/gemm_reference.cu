// gemm_reference.cu - Y[r, o] = sum_i X[r, i] * W[o, i], the simplest fast-enough GEMM for checking
// cuBLASLt: 16x16 output tiles, 16-wide K slices staged in shared memory, FP32 accumulation.
// X: [rows, in], W: [out, in] (PyTorch Linear), Y: [rows, out]; all row-major; X/W in one dtype,
// Y in that dtype or FP32.
#include "device_common.cuh"
#include "gemm.h"

namespace esm2j {

namespace {

constexpr int kTile = 16;

template <typename T, typename O>
__global__ void gemm_reference_kernel(const T* __restrict__ x, const T* __restrict__ w, O* __restrict__ y,
                                      int64_t rows, int out_f, int in_f) {
    __shared__ float sx[kTile][kTile + 1];
    __shared__ float sw[kTile][kTile + 1];
    const int64_t r = blockIdx.y * (int64_t)kTile + threadIdx.y;
    const int o = blockIdx.x * kTile + threadIdx.x;
    const int64_t w_row = blockIdx.x * (int64_t)kTile + threadIdx.y;  // W row this thread stages
    float acc = 0.f;
    for (int k0 = 0; k0 < in_f; k0 += kTile) {
        const int k = k0 + threadIdx.x;
        sx[threadIdx.y][threadIdx.x] = (r < rows && k < in_f) ? to_f32(x[r * in_f + k]) : 0.f;
        sw[threadIdx.y][threadIdx.x] = (w_row < out_f && k < in_f) ? to_f32(w[w_row * in_f + k]) : 0.f;
        __syncthreads();
#pragma unroll
        for (int i = 0; i < kTile; ++i) acc += sx[threadIdx.y][i] * sw[threadIdx.x][i];
        __syncthreads();
    }
    if (r < rows && o < out_f) y[r * out_f + o] = from_f32<O>(acc);
}

template <typename T, typename O>
cudaError_t gemm_reference_typed(const GemmShape& g, cudaStream_t stream) {
    const dim3 block(kTile, kTile);
    // Row tiles go on grid.y (at most 65535): larger row counts run as slices with offset X and Y.
    constexpr int64_t kRowsPerLaunch = kMaxGridYZ * kTile;
    for (int64_t r0 = 0; r0 < g.rows; r0 += kRowsPerLaunch) {
        const int64_t rows = std::min(kRowsPerLaunch, g.rows - r0);
        const dim3 grid(ceil_div(g.out_features, kTile), (unsigned)ceil_div<int64_t>(rows, kTile));
        gemm_reference_kernel<T, O><<<grid, block, 0, stream>>>((const T*)g.x + r0 * g.in_features, (const T*)g.w,
                                                                (O*)g.y + r0 * g.out_features, rows, g.out_features,
                                                                g.in_features);
        const cudaError_t err = cudaGetLastError();
        if (err != cudaSuccess) return err;
    }
    return cudaSuccess;
}

template <typename T>
cudaError_t gemm_reference_out(const GemmShape& g, cudaStream_t stream) {
    return g.out_type == DType::F32 ? gemm_reference_typed<T, float>(g, stream) : gemm_reference_typed<T, T>(g, stream);
}

}  // namespace

cudaError_t launch_gemm_reference(const GemmShape& g, cudaStream_t stream) {
    if (g.rows <= 0 || g.out_features <= 0) return cudaSuccess;
    if (g.out_type != g.in_type && g.out_type != DType::F32) return cudaErrorInvalidValue;
    switch (g.in_type) {
        case DType::F32: return gemm_reference_out<float>(g, stream);
        case DType::F16: return gemm_reference_out<__half>(g, stream);
        case DType::BF16: return gemm_reference_out<__nv_bfloat16>(g, stream);
    }
    return cudaErrorInvalidValue;
}

}  // namespace esm2j
