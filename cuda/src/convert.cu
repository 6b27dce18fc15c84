// convert.cu - dst[i] = dst_type(src[i]), i < n, through FP32 (exact for every pair of
// {fp32, fp16, bf16} except the narrowing itself, which rounds to nearest even).
// Layout: flat arrays; src may have any 2-byte alignment (it is a staging copy of a file region).
#include "convert.h"
#include "device_common.cuh"

namespace esm2j {

namespace {

template <typename S, typename D>
__global__ void convert_kernel(const S* __restrict__ src, D* __restrict__ dst, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        dst[i] = from_f32<D>(to_f32(src[i]));
}

template <typename S>
cudaError_t dispatch_dst(const S* src, void* dst, DType dst_type, int64_t n, cudaStream_t stream) {
    const int threads = 256;
    const int64_t blocks = ceil_div<int64_t>(n, threads);
    const unsigned grid = (unsigned)(blocks < 65535 * 8 ? blocks : 65535 * 8);  // grid-stride beyond
    switch (dst_type) {
        case DType::F32: convert_kernel<<<grid, threads, 0, stream>>>(src, (float*)dst, n); break;
        case DType::F16: convert_kernel<<<grid, threads, 0, stream>>>(src, (__half*)dst, n); break;
        case DType::BF16: convert_kernel<<<grid, threads, 0, stream>>>(src, (__nv_bfloat16*)dst, n); break;
    }
    return cudaGetLastError();
}

}  // namespace

cudaError_t launch_convert(const void* src, DType src_type, void* dst, DType dst_type, int64_t n,
                           cudaStream_t stream) {
    if (n <= 0) return cudaSuccess;
    switch (src_type) {
        case DType::F32: return dispatch_dst((const float*)src, dst, dst_type, n, stream);
        case DType::F16: return dispatch_dst((const __half*)src, dst, dst_type, n, stream);
        case DType::BF16: return dispatch_dst((const __nv_bfloat16*)src, dst, dst_type, n, stream);
    }
    return cudaErrorInvalidValue;
}

}  // namespace esm2j
