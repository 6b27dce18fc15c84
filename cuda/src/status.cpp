// status.cpp - the thread-local error message and the CUDA/cuBLAS error mappings.
#include "status.h"

#include <cublasLt.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace esm2j {

namespace {
// A fixed buffer: formatting an error must not allocate (the error may be out of memory).
thread_local char t_message[1024] = "";

const char* base_name(const char* path) {
    const char* slash = std::strrchr(path, '/');
    return slash ? slash + 1 : path;
}
}  // namespace

int fail(int status, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(t_message, sizeof t_message, fmt, args);
    va_end(args);
    if (t_message[0] == '\0') std::snprintf(t_message, sizeof t_message, "error %d", status);
    return status;
}

void clear_error() { t_message[0] = '\0'; }

const char* last_error() { return t_message; }

int cuda_fail(cudaError_t err, const char* what, const char* file, int line) {
    int status = ESM2J_ERROR_CUDA;
    const char* hint = "";
    switch (err) {
        case cudaErrorMemoryAllocation:
            status = ESM2J_ERROR_OUT_OF_MEMORY;
            hint = " (out of device memory: use a smaller batch)";
            break;
        case cudaErrorNoDevice:
        case cudaErrorInsufficientDriver:
        case cudaErrorInvalidDevice:
        case cudaErrorDevicesUnavailable:
        case cudaErrorCompatNotSupportedOnDevice:
            status = ESM2J_ERROR_NO_DEVICE;
            break;
        case cudaErrorNoKernelImageForDevice:
        case cudaErrorUnsupportedPtxVersion:
            status = ESM2J_ERROR_UNSUPPORTED;
            hint = " (the library was not built for this GPU's architecture: rebuild with "
                   "CMAKE_CUDA_ARCHITECTURES including it)";
            break;
        default:
            break;
    }
    // Clear a non-sticky error so the next call starts clean (sticky ones stay: the context is lost).
    (void)cudaGetLastError();
    return fail(status, "%s: %s (%s)%s [%s:%d]", what, cudaGetErrorName(err), cudaGetErrorString(err), hint,
                base_name(file), line);
}

int cublas_fail(int cublas_status, const char* what, const char* file, int line) {
    auto st = static_cast<cublasStatus_t>(cublas_status);
    int status = ESM2J_ERROR_CUBLAS;
    if (st == CUBLAS_STATUS_ALLOC_FAILED) status = ESM2J_ERROR_OUT_OF_MEMORY;
    if (st == CUBLAS_STATUS_ARCH_MISMATCH || st == CUBLAS_STATUS_NOT_SUPPORTED) status = ESM2J_ERROR_UNSUPPORTED;
    // A failed cuBLAS call may leave a non-sticky CUDA error (e.g. its own cudaMalloc): clear it, as cuda_fail does.
    (void)cudaGetLastError();
    return fail(status, "%s: cuBLAS %s [%s:%d]", what, cublasLtGetStatusName(st), base_name(file), line);
}

}  // namespace esm2j
