// runtime_internal.h - what runtime.cpp (fibers, launches, guarded device memory) offers cudart.cpp (the
// host side of the CUDA runtime). Not part of the kernels' view (esm2j_emu.h).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <mutex>
#include <string>

namespace esm2j_emu {

std::recursive_mutex& runtime_mutex();
// Device memory between guard pages, filled with 0xFF; nullptr when it cannot be mapped.
void* device_alloc(size_t bytes, int device);
// false when p is not a live allocation; a freed one stays unmapped so a late access faults.
bool device_free(void* p, int* device, size_t* bytes);
// true when [p, p + bytes) lies inside one live allocation (its device in *device).
bool device_range(const void* p, size_t bytes, int* device);
// The host wrote device memory at p (a copy or memset): the launch's "before" copy of it is stale.
void device_host_write(const void* p);
// Sets the error cudaGetLastError returns next and prints the detail on stderr.
void record_error(cudaError_t e, const std::string& detail);
cudaError_t take_last_error();
cudaError_t peek_last_error();
const char* last_error_detail();

}  // namespace esm2j_emu
