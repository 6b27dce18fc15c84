// cudart.cpp - the host side of the CUDA runtime for the emulated build: the calls the kernels' tests, the
// library (cuda/src/*.cpp) and the Java bindings make, with the contract a GPU enforces.
//
// Devices: ESM2J_EMU_DEVICES lists each emulated device's memory, e.g. "256M,1G" (default one device of
// 16G; "0" or "" means none: every call answers cudaErrorNoDevice). cudaSetDevice is per host thread, as
// in CUDA. cudaMalloc fails with cudaErrorMemoryAllocation past the device's capacity; cudaMemGetInfo
// reports what is left. Device memory is guarded and 0xFF-filled (runtime.cpp); pinned memory is host
// memory the runtime knows. Streams and events are handles: work runs when it is enqueued, so every
// stream is in order and already finished when synchronized (asynchrony is not emulated).
#include <cuda_runtime.h>

#include <cstdarg>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "runtime_internal.h"

using namespace esm2j_emu;

namespace {

struct Device {
    size_t capacity;
    size_t used = 0;
};

std::vector<Device>& devices() {
    static std::vector<Device>* d = [] {
        auto* v = new std::vector<Device>();
        const char* env = std::getenv("ESM2J_EMU_DEVICES");
        std::string list = env ? env : "16G";
        size_t start = 0;
        while (start < list.size()) {
            size_t comma = list.find(',', start);
            if (comma == std::string::npos) comma = list.size();
            const std::string item = list.substr(start, comma - start);
            char* end = nullptr;
            double value = std::strtod(item.c_str(), &end);
            const char unit = end && *end ? *end : 'B';
            const double scale = unit == 'K' || unit == 'k' ? 1024.0
                                 : unit == 'M' || unit == 'm' ? 1048576.0
                                 : unit == 'G' || unit == 'g' ? 1073741824.0
                                                              : 1.0;
            if (value > 0) v->push_back(Device{(size_t)(value * scale)});
            start = comma + 1;
        }
        return v;
    }();
    return *d;
}

thread_local int t_device = 0;

struct PinnedBlock {
    size_t bytes;
};
std::map<uintptr_t, PinnedBlock>& pinned() {
    static auto* m = new std::map<uintptr_t, PinnedBlock>();
    return *m;
}

bool is_pinned(const void* p, size_t bytes) {
    auto& m = pinned();
    const uintptr_t a = (uintptr_t)p;
    auto it = m.upper_bound(a);
    if (it == m.begin()) return false;
    --it;
    return a >= it->first && a + bytes <= it->first + it->second.bytes;
}

cudaError_t fail(cudaError_t e, const std::string& detail) {
    record_error(e, detail);
    return e;
}

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, f);
    std::vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

cudaError_t need_device() {
    if (devices().empty()) return fail(cudaErrorNoDevice, "no emulated device (ESM2J_EMU_DEVICES is empty or 0)");
    return cudaSuccess;
}

struct Event {
    std::chrono::steady_clock::time_point at;
    bool recorded = false;
};

}  // namespace

extern "C" const char* esm2j_emu_last_error_detail() { return last_error_detail(); }

// ---- devices ----
cudaError_t cudaGetDeviceCount(int* n) {
    *n = (int)devices().size();
    return devices().empty() ? fail(cudaErrorNoDevice, "no emulated device (ESM2J_EMU_DEVICES)") : cudaSuccess;
}

cudaError_t cudaSetDevice(int d) {
    if (cudaError_t e = need_device()) return e;
    if (d < 0 || d >= (int)devices().size())
        return fail(cudaErrorInvalidDevice, fmt("cudaSetDevice(%d): %zu emulated device(s)", d, devices().size()));
    t_device = d;
    return cudaSuccess;
}

cudaError_t cudaGetDevice(int* d) {
    if (cudaError_t e = need_device()) return e;
    *d = t_device;
    return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* p, int device) {
    if (cudaError_t e = need_device()) return e;
    if (device < 0 || device >= (int)devices().size()) return fail(cudaErrorInvalidDevice, "cudaGetDeviceProperties");
    std::memset(p, 0, sizeof *p);
    std::snprintf(p->name, sizeof p->name, "esm2j CPU emulation %d (sm_80 kernels)", device);
    p->major = 8;
    p->minor = 0;
    p->multiProcessorCount = 1;
    p->totalGlobalMem = devices()[device].capacity;
    p->sharedMemPerBlock = 48 * 1024;
    p->maxThreadsPerBlock = 1024;
    p->warpSize = 32;
    p->maxThreadsDim[0] = p->maxThreadsDim[1] = 1024;
    p->maxThreadsDim[2] = 64;
    p->maxGridSize[0] = 2147483647;
    p->maxGridSize[1] = p->maxGridSize[2] = 65535;
    p->pciBusID = device;
    return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device) {
    if (cudaError_t e = need_device()) return e;
    if (device < 0 || device >= (int)devices().size()) return fail(cudaErrorInvalidDevice, "cudaDeviceGetAttribute");
    switch (attr) {
        case cudaDevAttrComputeCapabilityMajor: *value = 8; break;
        case cudaDevAttrComputeCapabilityMinor: *value = 0; break;
        case cudaDevAttrMultiProcessorCount: *value = 1; break;
        case cudaDevAttrMaxThreadsPerBlock: *value = 1024; break;
        case cudaDevAttrWarpSize: *value = 32; break;
        case cudaDevAttrPciBusId: *value = device; break;
        default: *value = 0; break;
    }
    return cudaSuccess;
}

cudaError_t cudaDeviceGetPCIBusId(char* id, int len, int device) {
    if (cudaError_t e = need_device()) return e;
    if (device < 0 || device >= (int)devices().size()) return fail(cudaErrorInvalidDevice, "cudaDeviceGetPCIBusId");
    std::snprintf(id, (size_t)len, "0000:%02x:00.0", device);
    return cudaSuccess;
}

cudaError_t cudaRuntimeGetVersion(int* v) {
    *v = CUDART_VERSION;
    return cudaSuccess;
}
cudaError_t cudaDriverGetVersion(int* v) {
    *v = CUDART_VERSION;
    return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() { return need_device(); }

cudaError_t cudaMemGetInfo(size_t* free_bytes, size_t* total) {
    if (cudaError_t e = need_device()) return e;
    std::lock_guard<std::recursive_mutex> lock(runtime_mutex());
    const Device& d = devices()[t_device];
    *free_bytes = d.capacity - d.used;
    *total = d.capacity;
    return cudaSuccess;
}

// ---- memory ----
cudaError_t cudaMalloc(void** p, size_t bytes) {
    if (cudaError_t e = need_device()) return e;
    if (!p) return fail(cudaErrorInvalidValue, "cudaMalloc: null pointer");
    std::lock_guard<std::recursive_mutex> lock(runtime_mutex());
    Device& d = devices()[t_device];
    if (bytes > d.capacity - d.used)
        return fail(cudaErrorMemoryAllocation, fmt("cudaMalloc(%zu) on emulated device %d: %zu of %zu bytes free", bytes,
                                                   t_device, d.capacity - d.used, d.capacity));
    void* q = device_alloc(bytes, t_device);
    if (!q) return fail(cudaErrorMemoryAllocation, fmt("cudaMalloc(%zu): the host could not map it", bytes));
    d.used += bytes;
    *p = q;
    return cudaSuccess;
}

cudaError_t cudaFree(void* p) {
    if (!p) return cudaSuccess;
    std::lock_guard<std::recursive_mutex> lock(runtime_mutex());
    int device = 0;
    size_t bytes = 0;
    if (!device_free(p, &device, &bytes))
        return fail(cudaErrorInvalidValue, fmt("cudaFree(%p): not a device allocation (or freed twice)", p));
    devices()[device].used -= bytes;
    return cudaSuccess;
}

cudaError_t cudaHostAlloc(void** p, size_t bytes, unsigned int) {
    std::lock_guard<std::recursive_mutex> lock(runtime_mutex());
    void* q = std::aligned_alloc(4096, (bytes + 4095) / 4096 * 4096 + 4096);
    if (!q) return fail(cudaErrorMemoryAllocation, fmt("cudaHostAlloc(%zu)", bytes));
    pinned()[(uintptr_t)q] = PinnedBlock{bytes};
    *p = q;
    return cudaSuccess;
}
cudaError_t cudaMallocHost(void** p, size_t bytes) { return cudaHostAlloc(p, bytes, 0); }

cudaError_t cudaFreeHost(void* p) {
    if (!p) return cudaSuccess;
    std::lock_guard<std::recursive_mutex> lock(runtime_mutex());
    auto it = pinned().find((uintptr_t)p);
    if (it == pinned().end()) return fail(cudaErrorInvalidValue, fmt("cudaFreeHost(%p): not pinned memory", p));
    pinned().erase(it);
    std::free(p);
    return cudaSuccess;
}

cudaError_t cudaPointerGetAttributes(cudaPointerAttributes* a, const void* p) {
    std::memset(a, 0, sizeof *a);
    int device = 0;
    if (device_range(p, 1, &device)) {
        a->type = cudaMemoryTypeDevice;
        a->device = device;
        a->devicePointer = const_cast<void*>(p);
    } else if (is_pinned(p, 1)) {
        a->type = cudaMemoryTypeHost;
        a->hostPointer = const_cast<void*>(p);
        a->devicePointer = const_cast<void*>(p);
    } else {
        a->type = cudaMemoryTypeUnregistered;
        a->hostPointer = const_cast<void*>(p);
    }
    return cudaSuccess;
}

cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) {
    std::lock_guard<std::recursive_mutex> lock(runtime_mutex());
    if (bytes == 0) return cudaSuccess;
    const bool dst_dev = device_range(dst, bytes, nullptr), src_dev = device_range(src, bytes, nullptr);
    bool ok = dst && src;
    switch (kind) {
        case cudaMemcpyHostToDevice: ok &= dst_dev && !src_dev; break;
        case cudaMemcpyDeviceToHost: ok &= src_dev && !dst_dev; break;
        case cudaMemcpyDeviceToDevice: ok &= src_dev && dst_dev; break;
        case cudaMemcpyHostToHost: ok &= !src_dev && !dst_dev; break;
        default: break;  // cudaMemcpyDefault: any
    }
    if (!ok)
        return fail(cudaErrorInvalidValue, fmt("cudaMemcpy(%p, %p, %zu, kind %d): a pointer is not of the kind named "
                                               "(or the range is not inside one allocation)",
                                               dst, src, bytes, (int)kind));
    std::memmove(dst, src, bytes);
    if (dst_dev) device_host_write(dst);
    return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t) {
    return cudaMemcpy(dst, src, bytes, kind);
}

cudaError_t cudaMemset(void* p, int value, size_t bytes) {
    std::lock_guard<std::recursive_mutex> lock(runtime_mutex());
    if (!device_range(p, bytes, nullptr))
        return fail(cudaErrorInvalidValue, fmt("cudaMemset(%p, %zu): not device memory", p, bytes));
    std::memset(p, value, bytes);
    device_host_write(p);
    return cudaSuccess;
}
cudaError_t cudaMemsetAsync(void* p, int value, size_t bytes, cudaStream_t) { return cudaMemset(p, value, bytes); }

// ---- streams and events: work has already run when it was enqueued ----
cudaError_t cudaStreamCreate(cudaStream_t* s) {
    *s = reinterpret_cast<cudaStream_t>(new char(0));
    return cudaSuccess;
}
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* s, unsigned int) { return cudaStreamCreate(s); }
cudaError_t cudaStreamDestroy(cudaStream_t s) {
    delete reinterpret_cast<char*>(s);
    return cudaSuccess;
}
cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaStreamQuery(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaStreamWaitEvent(cudaStream_t, cudaEvent_t, unsigned int) { return cudaSuccess; }

cudaError_t cudaEventCreate(cudaEvent_t* e) {
    *e = reinterpret_cast<cudaEvent_t>(new Event());
    return cudaSuccess;
}
cudaError_t cudaEventCreateWithFlags(cudaEvent_t* e, unsigned int) { return cudaEventCreate(e); }
cudaError_t cudaEventDestroy(cudaEvent_t e) {
    delete reinterpret_cast<Event*>(e);
    return cudaSuccess;
}
cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t) {
    if (!e) return fail(cudaErrorInvalidResourceHandle, "cudaEventRecord: null event");
    Event* ev = reinterpret_cast<Event*>(e);
    ev->at = std::chrono::steady_clock::now();
    ev->recorded = true;
    return cudaSuccess;
}
cudaError_t cudaEventSynchronize(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaEventQuery(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t a, cudaEvent_t b) {
    const Event* ea = reinterpret_cast<const Event*>(a);
    const Event* eb = reinterpret_cast<const Event*>(b);
    if (!ea || !eb || !ea->recorded || !eb->recorded)
        return fail(cudaErrorInvalidResourceHandle, "cudaEventElapsedTime: an event was never recorded");
    *ms = std::chrono::duration<float, std::milli>(eb->at - ea->at).count();
    return cudaSuccess;
}

// ---- errors ----
cudaError_t cudaGetLastError() { return take_last_error(); }
cudaError_t cudaPeekAtLastError() { return peek_last_error(); }

const char* cudaGetErrorName(cudaError_t e) {
    switch (e) {
        case cudaSuccess: return "cudaSuccess";
        case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
        case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
        case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
        case cudaErrorLaunchFailure: return "cudaErrorLaunchFailure";
        case cudaErrorNotSupported: return "cudaErrorNotSupported";
        case cudaErrorNoDevice: return "cudaErrorNoDevice";
        case cudaErrorInvalidDevice: return "cudaErrorInvalidDevice";
        case cudaErrorInvalidResourceHandle: return "cudaErrorInvalidResourceHandle";
        default: return "cudaErrorUnknown";
    }
}

const char* cudaGetErrorString(cudaError_t e) {
    switch (e) {
        case cudaSuccess: return "no error";
        case cudaErrorMemoryAllocation: return "out of memory";
        case cudaErrorNoDevice: return "no CUDA-capable device is detected";
        case cudaErrorLaunchFailure: return "unspecified launch failure (see the emulator's report on stderr)";
        default: return cudaGetErrorName(e);
    }
}
