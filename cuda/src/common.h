// common.h - small host-side helpers shared by the launchers (no CUDA device code here, so the
// C++ sources can include it): the compute dtype, ceil-div, and the kernel-variant switch.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace esm2j {

enum class DType : int { F32 = 0, F16 = 1, BF16 = 2 };

inline size_t dtype_size(DType t) { return t == DType::F32 ? 4 : 2; }
inline const char* dtype_name(DType t) {
    return t == DType::F32 ? "fp32" : t == DType::F16 ? "fp16" : "bf16";
}

// Each op has a simplest-correct form and a fast one, chosen at run time (ESM2J_OPTION_KERNELS).
enum class Variant : int { Fast = 0, Reference = 1 };

template <typename A, typename B>
constexpr A ceil_div(A a, B b) { return (a + static_cast<A>(b) - 1) / static_cast<A>(b); }

template <typename A, typename B>
constexpr A round_up(A a, B b) { return ceil_div(a, b) * static_cast<A>(b); }

// Grid limits: grid.x up to 2^31 - 1 blocks, grid.y and grid.z up to 65535. Launchers split a larger
// y/z extent into chunks of kMaxGridYZ (offsetting their pointers); 1-D kernels over more than
// kMaxGridX blocks' worth of elements loop grid-stride, with the grid from grid_stride_blocks.
constexpr int64_t kMaxGridX = 2147483647;
constexpr int64_t kMaxGridYZ = 65535;

inline unsigned grid_stride_blocks(int64_t n, int threads) {
    return (unsigned)std::min<int64_t>(ceil_div(n, (int64_t)threads), kMaxGridX);
}

inline bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

}  // namespace esm2j
