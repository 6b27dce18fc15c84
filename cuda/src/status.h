// status.h - internal error reporting: every failure becomes an esm2j_status plus a thread-local
// message (read by esm2j_last_error). Helpers map CUDA and cuBLAS errors onto the ABI's codes;
// allocation failures always become ESM2J_ERROR_OUT_OF_MEMORY so Java can shrink the batch.
#pragma once

#include <cuda_runtime.h>
#include <cstdint>

#include "esm2j.h"

namespace esm2j {

// Sets the thread-local message and returns status (printf-style formatting).
int fail(int status, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void clear_error();
const char* last_error();

// Maps a CUDA runtime error: memory allocation -> OUT_OF_MEMORY, no device/driver -> NO_DEVICE.
int cuda_fail(cudaError_t err, const char* what, const char* file, int line);
// Maps a cuBLAS status (an int to keep cuBLAS headers out of this one).
int cublas_fail(int cublas_status, const char* what, const char* file, int line);

}  // namespace esm2j

#define ESM2J_CUDA_TRY(call, what)                                                  \
    do {                                                                            \
        cudaError_t esm2j_err_ = (call);                                            \
        if (esm2j_err_ != cudaSuccess)                                              \
            return ::esm2j::cuda_fail(esm2j_err_, (what), __FILE__, __LINE__);      \
    } while (0)

#define ESM2J_TRY(call)                                                             \
    do {                                                                            \
        int esm2j_st_ = (call);                                                     \
        if (esm2j_st_ != ESM2J_OK) return esm2j_st_;                                \
    } while (0)
