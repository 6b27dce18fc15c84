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

template <typename T>
cudaError_t gemm_reference_typed(const GemmShape& g, cudaStream_t stream) {
    const dim3 block(kTile, kTile);
    const dim3 grid(ceil_div(g.out_features, kTile), (unsigned)ceil_div<int64_t>(g.rows, kTile));
    if (g.out_type == DType::F32)
        gemm_reference_kernel<T, float><<<grid, block, 0, stream>>>(
            (const T*)g.x, (const T*)g.w, (float*)g.y, g.rows, g.out_features, g.in_features);
    else
        gemm_reference_kernel<T, T><<<grid, block, 0, stream>>>((const T*)g.x, (const T*)g.w, (T*)g.y, g.rows,
                                                                g.out_features, g.in_features);
    return cudaGetLastError();
}

}  // namespace

cudaError_t launch_gemm_reference(const GemmShape& g, cudaStream_t stream) {
    if (g.rows <= 0 || g.out_features <= 0) return cudaSuccess;
    if (g.out_type != g.in_type && g.out_type != DType::F32) return cudaErrorInvalidValue;
    if (g.rows > 65535LL * kTile) return cudaErrorInvalidValue;  // grid.y limit
    switch (g.in_type) {
        case DType::F32: return gemm_reference_typed<float>(g, stream);
        case DType::F16: return gemm_reference_typed<__half>(g, stream);
        case DType::BF16: return gemm_reference_typed<__nv_bfloat16>(g, stream);
    }
    return cudaErrorInvalidValue;
}

}  // namespace esm2j
