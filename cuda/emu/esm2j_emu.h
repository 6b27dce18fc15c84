// esm2j_emu.h - the CUDA device side as host C++, force-included (-include) before every kernel file
// that the emulated build compiles with g++ (after cuda/emu/rewrite.py has turned its launches and
// __shared__ declarations into the calls below; see cuda/README.md, "Kernels on the CPU").
//
// Each CUDA thread of a block is a cooperative fiber; __syncthreads, __syncwarp, the warp shuffles and
// votes and mma.sync are collectives: a thread stops there until every thread they name has arrived at
// the same call site, then they exchange data. A thread never runs between two collectives without
// the others being free to run before it, so the schedule (the order threads run in) is a parameter,
// and outputs that depend on it expose a missing barrier. bf16/fp16 conversions are NVIDIA's own
// host-side code from cuda_bf16.h / cuda_fp16.h, so rounding is theirs.
#pragma once

#ifndef ESM2J_EMU
#define ESM2J_EMU 1
#endif

// Qualifiers: gone (host_defines.h leaves a macro alone that is already defined when nvcc is absent).
#define __global__
#define __device__
#define __host__
#define __constant__ static
#define __launch_bounds__(...)
// A __shared__ declaration reaches here only from a file rewrite.py did not see (a header): it still
// works (one instance per kernel, blocks run one at a time) without the per-block NaN fill and guards.
#define __shared__ static

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

// The device paths of the kernels: sm80 (mma.sync m16n8k16 with bf16/f16). Defined only after the
// CUDA headers, whose own __CUDA_ARCH__ branches are device assembly.
#define __CUDA_ARCH__ 800

namespace esm2j_emu {

// ---- the running thread, its block and the launch (set by the scheduler before each switch) ----
struct ThreadCoords {
    uint3 thread_idx;
    int linear;  // threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z)
};
struct BlockCoords {
    uint3 block_idx;
    dim3 block_dim;
    dim3 grid_dim;
};
// Plain globals: launches are serialized (one grid runs at a time in the process).
extern const ThreadCoords* g_thread;
extern BlockCoords g_block;

// ---- launches (what rewrite.py makes of kernel<<<grid, block, smem, stream>>>(args)) ----
struct LaunchConfig {
    dim3 grid, block;
    size_t dynamic_smem;
    cudaStream_t stream;
    LaunchConfig(dim3 g, dim3 b, size_t smem = 0, cudaStream_t s = nullptr)
        : grid(g), block(b), dynamic_smem(smem), stream(s) {}
};
struct KernelBody {
    void* object;
    void (*call)(void*);
};
// Runs the grid to completion before returning (streams are in order, so this is a valid schedule);
// errors go to cudaGetLastError as on a GPU, with the details in last_launch_error().
void launch(const char* kernel, const char* launcher, const char* file, int line, const LaunchConfig& cfg,
            KernelBody body);
template <typename F>
inline void launch(const char* kernel, const char* launcher, const char* file, int line, const LaunchConfig& cfg,
                   F&& body) {
    launch(kernel, launcher, file, line, cfg, KernelBody{&body, [](void* f) { (*static_cast<F*>(f))(); }});
}

// ---- __shared__ storage: one region per declaration, refilled with 0xFF (NaN) for each block, its end
// against a guard page so that reading past the array faults ----
void* shared_region(void** slot, size_t bytes, size_t align, const char* name, const char* file, int line);
template <typename A, size_t Align, int Id>
inline A& shared(const char* name, const char* file, int line) {
    static void* slot = nullptr;
    return *static_cast<A*>(shared_region(&slot, sizeof(A), Align ? Align : alignof(A), name, file, line));
}
void* dynamic_shared(const char* name, const char* file, int line);

// ---- collectives ----
enum class Op : uint8_t { SyncThreads, SyncWarp, ShflIdx, ShflXor, ShflDown, ShflUp, Ballot, Any, All, MmaBf16, MmaF16 };
struct Collective {
    Op op;
    unsigned mask;
    const char* file;
    int line;
    int arg;    // source lane, lane mask or delta
    int width;  // shuffle segment width
    uint64_t value, result;
    uint32_t a[4], b[2];  // mma fragments (PTX ISA layouts)
    float c[4], d[4];
};
void arrive(Collective& c);  // blocks the calling thread until its collective completes

inline void syncthreads(const char* file, int line) {
    Collective c{};
    c.op = Op::SyncThreads;
    c.file = file;
    c.line = line;
    arrive(c);
}

template <typename T>
inline T shuffle(Op op, unsigned mask, T v, int arg, int width, const char* file, int line) {
    static_assert(std::is_trivially_copyable<T>::value && sizeof(T) <= 8, "shuffle of a type wider than 8 bytes");
    Collective c{};
    c.op = op;
    c.mask = mask;
    c.file = file;
    c.line = line;
    c.arg = arg;
    c.width = width;
    std::memcpy(&c.value, &v, sizeof(T));
    arrive(c);
    T r;
    std::memcpy(&r, &c.result, sizeof(T));
    return r;
}

inline unsigned vote(Op op, unsigned mask, int predicate, const char* file, int line) {
    Collective c{};
    c.op = op;
    c.mask = mask;
    c.file = file;
    c.line = line;
    c.value = predicate != 0;
    arrive(c);
    return (unsigned)c.result;
}

// d[0..3] = A(16x16) * B(16x8) + d, bf16 or f16 inputs, fp32 accumulate, gathered from the 32 lanes'
// registers by the PTX ISA's fragment layouts for mma.m16n8k16 (see runtime.cpp).
inline void mma_m16n8k16(Op op, float* d, const uint32_t* a, uint32_t b0, uint32_t b1,
                         const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    Collective c{};
    c.op = op;
    c.mask = 0xffffffffu;
    c.file = file;
    c.line = line;
    for (int i = 0; i < 4; ++i) {
        c.a[i] = a[i];
        c.c[i] = d[i];
    }
    c.b[0] = b0;
    c.b[1] = b1;
    arrive(c);
    for (int i = 0; i < 4; ++i) d[i] = c.d[i];
}
inline void mma_m16n8k16_bf16(float* d, const uint32_t* a, uint32_t b0, uint32_t b1,
                              const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    mma_m16n8k16(Op::MmaBf16, d, a, b0, b1, file, line);
}
inline void mma_m16n8k16_f16(float* d, const uint32_t* a, uint32_t b0, uint32_t b1,
                             const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    mma_m16n8k16(Op::MmaF16, d, a, b0, b1, file, line);
}

}  // namespace esm2j_emu

// ---- built-in variables ----
#define threadIdx (::esm2j_emu::g_thread->thread_idx)
#define blockIdx (::esm2j_emu::g_block.block_idx)
#define blockDim (::esm2j_emu::g_block.block_dim)
#define gridDim (::esm2j_emu::g_block.grid_dim)
constexpr int warpSize = 32;

// ---- barriers, shuffles, votes (call sites recorded: every lane must arrive at the same one) ----
#define __syncthreads() ::esm2j_emu::syncthreads(__FILE__, __LINE__)
inline void __syncwarp(unsigned mask = 0xffffffffu, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    ::esm2j_emu::Collective c{};
    c.op = ::esm2j_emu::Op::SyncWarp;
    c.mask = mask;
    c.file = file;
    c.line = line;
    ::esm2j_emu::arrive(c);
}
template <typename T>
inline T __shfl_sync(unsigned mask, T v, int src_lane, int width = 32, const char* file = __builtin_FILE(),
                     int line = __builtin_LINE()) {
    return ::esm2j_emu::shuffle(::esm2j_emu::Op::ShflIdx, mask, v, src_lane, width, file, line);
}
template <typename T>
inline T __shfl_xor_sync(unsigned mask, T v, int lane_mask, int width = 32, const char* file = __builtin_FILE(),
                         int line = __builtin_LINE()) {
    return ::esm2j_emu::shuffle(::esm2j_emu::Op::ShflXor, mask, v, lane_mask, width, file, line);
}
template <typename T>
inline T __shfl_down_sync(unsigned mask, T v, unsigned delta, int width = 32, const char* file = __builtin_FILE(),
                          int line = __builtin_LINE()) {
    return ::esm2j_emu::shuffle(::esm2j_emu::Op::ShflDown, mask, v, (int)delta, width, file, line);
}
template <typename T>
inline T __shfl_up_sync(unsigned mask, T v, unsigned delta, int width = 32, const char* file = __builtin_FILE(),
                        int line = __builtin_LINE()) {
    return ::esm2j_emu::shuffle(::esm2j_emu::Op::ShflUp, mask, v, (int)delta, width, file, line);
}
inline unsigned __ballot_sync(unsigned mask, int p, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    return ::esm2j_emu::vote(::esm2j_emu::Op::Ballot, mask, p, file, line);
}
inline int __any_sync(unsigned mask, int p, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    return (int)::esm2j_emu::vote(::esm2j_emu::Op::Any, mask, p, file, line);
}
inline int __all_sync(unsigned mask, int p, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    return (int)::esm2j_emu::vote(::esm2j_emu::Op::All, mask, p, file, line);
}
// Threads of a block never run at the same time here: memory operations are already ordered and atomic.
inline void __threadfence() {}
inline void __threadfence_block() {}
template <typename T>
inline T atomicAdd(T* p, T v) {
    const T old = *p;
    *p = old + v;
    return old;
}
template <typename T>
inline T atomicMax(T* p, T v) {
    const T old = *p;
    *p = old < v ? v : old;
    return old;
}
template <typename T>
inline T __ldg(const T* p) { return *p; }

// ---- device maths that the host library lacks (CUDA's last-bit behaviour is not reproduced) ----
inline float rsqrtf(float x) { return 1.f / std::sqrt(x); }
inline float __expf(float x) { return std::exp(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float __saturatef(float x) { return x < 0.f ? 0.f : x > 1.f ? 1.f : x; }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline long min(long a, long b) { return a < b ? a : b; }
inline long max(long a, long b) { return a > b ? a : b; }
inline float min(float a, float b) { return std::fmin(a, b); }
inline float max(float a, float b) { return std::fmax(a, b); }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz((unsigned)x); }
