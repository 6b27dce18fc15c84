// bias_gelu.cu - the FFN's activation (and the LM head's):
//
//   y[r, c] = gelu(y[r, c] + b[c]),   gelu(x) = 0.5 x (1 + erf(x / sqrt 2))   (erf form, as ESM-2)
//
// y: [rows, cols] compute dtype (in place, or written to an FP32 array), b: [cols] FP32; FP32 maths.
// cuBLASLt's GELU epilogue is the tanh approximation, so this stays a separate kernel. The fast
// kernel handles 8 elements (16 bytes of BF16/FP16, 32 of FP32) per thread.
// Also the FP32 bias add y[r, c] += b[c] that the LM head applies to the logits.
#include "bias_gelu.h"
#include "device_common.cuh"

namespace esm2j {

namespace {

template <typename T>
__global__ void bias_gelu_kernel(T* __restrict__ y, const float* __restrict__ bias, float* __restrict__ out_f32,
                                 int64_t n_vec8, int cols) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n_vec8; i += (int64_t)gridDim.x * blockDim.x) {
        const int64_t e = i * 8;
        const int c = (int)(e % cols);  // cols % 8 == 0: the 8 elements share a row
        float4 a = load4_f32(y + e), b = load4_f32(y + e + 4);
        const float4 ba = load4_f32(bias + c), bb = load4_f32(bias + c + 4);
        a = make_float4(gelu_erf(a.x + ba.x), gelu_erf(a.y + ba.y), gelu_erf(a.z + ba.z), gelu_erf(a.w + ba.w));
        b = make_float4(gelu_erf(b.x + bb.x), gelu_erf(b.y + bb.y), gelu_erf(b.z + bb.z), gelu_erf(b.w + bb.w));
        if (out_f32) {
            store4_f32(out_f32 + e, a);
            store4_f32(out_f32 + e + 4, b);
        } else {
            store4_f32(y + e, a);
            store4_f32(y + e + 4, b);
        }
    }
}

template <typename T>
__global__ void bias_gelu_reference_kernel(T* y, const float* bias, float* out_f32, int64_t n, int cols) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        const float r = gelu_erf(to_f32(y[i]) + bias[i % cols]);
        if (out_f32)
            out_f32[i] = r;
        else
            y[i] = from_f32<T>(r);
    }
}

__global__ void bias_add_f32_kernel(float* y, const float* bias, int64_t n, int cols) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        y[i] += bias[i % cols];
}

template <typename T>
cudaError_t bias_gelu_typed(Variant variant, T* y, const float* bias, float* out_f32, int64_t rows, int cols,
                            cudaStream_t stream) {
    const int64_t n = rows * cols;
    const bool vector_ok = cols % 8 == 0 && aligned16(y) && aligned16(bias) && (!out_f32 || aligned16(out_f32));
    if (variant == Variant::Fast && vector_ok) {
        const int64_t n_vec8 = n / 8;
        bias_gelu_kernel<T><<<grid_stride_blocks(n_vec8, 256), 256, 0, stream>>>(y, bias, out_f32, n_vec8,
                                                                                           cols);
    } else {
        bias_gelu_reference_kernel<T><<<grid_stride_blocks(n, 256), 256, 0, stream>>>(y, bias, out_f32, n,
                                                                                                cols);
    }
    return cudaGetLastError();
}

}  // namespace

cudaError_t launch_bias_gelu(Variant variant, DType dtype, void* y, const float* bias, float* out_f32, int64_t rows,
                             int cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0) return cudaSuccess;
    switch (dtype) {
        case DType::F32: return bias_gelu_typed(variant, (float*)y, bias, out_f32, rows, cols, stream);
        case DType::F16: return bias_gelu_typed(variant, (__half*)y, bias, out_f32, rows, cols, stream);
        case DType::BF16: return bias_gelu_typed(variant, (__nv_bfloat16*)y, bias, out_f32, rows, cols, stream);
    }
    return cudaErrorInvalidValue;
}

cudaError_t launch_bias_add_f32(float* y, const float* bias, int64_t rows, int cols, cudaStream_t stream) {
    const int64_t n = rows * cols;
    if (n <= 0) return cudaSuccess;
    bias_add_f32_kernel<<<grid_stride_blocks(n, 256), 256, 0, stream>>>(y, bias, n, cols);
    return cudaGetLastError();
}

}  // namespace esm2j
