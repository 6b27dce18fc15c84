// convert.h - element-wise dtype conversion (weights are uploaded in their file dtype and
// converted on the device).
#pragma once

#include <cuda_runtime.h>

#include "common.h"

namespace esm2j {

// dst[i] = (dst_type) src[i] for i < n. Round-to-nearest-even when narrowing.
cudaError_t launch_convert(const void* src, DType src_type, void* dst, DType dst_type, int64_t n,
                           cudaStream_t stream);

}  // namespace esm2j
