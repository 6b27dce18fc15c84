// attention_flash.cu - FlashAttention-2-style forward for packed variable-length sequences.
//
//   o_t = sum_u softmax_u(scale * q_t . k_u) v_u   over the keys u of t's sequence, per head,
//
// computed tile by tile with the online softmax (FP32 running max m and sum l per query row):
//   for each key tile: s = q k^T;  m' = max(m, rowmax s);  p = exp(s - m');
//                      l = l exp(m - m') + rowsum p;  acc = acc exp(m - m') + p v;  m = m'
//   o = acc / l
// so no T x T matrix is ever stored and sequences of any length fit.
//
// BF16/FP16 (sm80+): one CTA = 4 warps = 64 query rows of one (sequence, head); each warp owns 16
// rows and runs mma.sync.m16n8k16 (FP32 accumulate) for S = Q K^T and O += P V, with P kept in
// registers (the accumulator layout of S is the A-operand layout of P V). K and V tiles of BLOCK_N
// keys are staged in shared memory with 16-byte loads (rows padded by 8 elements: no bank
// conflicts); keys past the sequence end are zero-filled and masked to -inf.
// FP32: a SIMT kernel, one thread per query row, with K/V tiles in shared memory.
//
// The wide variant (launch_attention_flash_wide; BF16/FP16, head dims up to 64): 128 query rows per CTA, 4
// warps of 32 rows, each warp running two 16-row mma blocks that share every K and V fragment it reads from
// shared memory (half the shared-memory reads per mma of the 64-row kernel); V is stored transposed in shared
// memory so that its B fragments are single 32-bit loads (the 64-row kernel assembles them from four 16-bit
// loads); and the next K/V tile is loaded from global memory into registers while the current one is computed,
// then stored to the second of two shared buffers (one barrier per tile).
// Same online softmax, key tiles of 32. Each row's result depends only on its own sequence: batch-invariant
// like the 64-row kernel, though not bitwise equal to it (other key tiles).
// Layouts: see AttentionParams (head_dim_padded = 16/32/64/128, padded dims zero). Grid: (query
// tiles, heads, sequences), launched in slices of at most 65535 sequences.
#include <cstdint>

#include "attention.h"
#include "device_common.cuh"

namespace esm2j {

namespace {

constexpr float kLog2e = 1.4426950408889634f;
constexpr int kBlockM = 64;
constexpr int kWarps = 4;

template <typename T>
__device__ __forceinline__ uint32_t pack2(float a, float b);
template <>
__device__ __forceinline__ uint32_t pack2<__nv_bfloat16>(float a, float b) {
    __nv_bfloat162 v = __floats2bfloat162_rn(a, b);  // .x (low half) = a
    return *reinterpret_cast<uint32_t*>(&v);
}
template <>
__device__ __forceinline__ uint32_t pack2<__half>(float a, float b) {
    __half2 v = __floats2half2_rn(a, b);
    return *reinterpret_cast<uint32_t*>(&v);
}

template <typename T>
__device__ __forceinline__ uint32_t pack2_raw(T lo, T hi) {
    const uint16_t a = *reinterpret_cast<const uint16_t*>(&lo), b = *reinterpret_cast<const uint16_t*>(&hi);
    return (uint32_t)a | ((uint32_t)b << 16);
}

// d[0..3] += A(16x16, row) * B(16x8, col); FP32 accumulators.
template <typename T>
__device__ __forceinline__ void mma_16816(float* d, const uint32_t* a, uint32_t b0, uint32_t b1);

template <>
__device__ __forceinline__ void mma_16816<__nv_bfloat16>(float* d, const uint32_t* a, uint32_t b0, uint32_t b1) {
#if defined(ESM2J_EMU)
    esm2j_emu::mma_m16n8k16_bf16(d, a, b0, b1);
#elif defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
#endif
}

template <>
__device__ __forceinline__ void mma_16816<__half>(float* d, const uint32_t* a, uint32_t b0, uint32_t b1) {
#if defined(ESM2J_EMU)
    esm2j_emu::mma_m16n8k16_f16(d, a, b0, b1);
#elif defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
#endif
}

// Copies rows [row0, row0 + ROWS) of one head (row stride `stride` elements) into shared memory
// with row pitch LDS; rows at or past `len` become zeros.
template <typename T, int ROWS, int DP, int LDS>
__device__ __forceinline__ void load_tile(T* smem, const T* gmem, int64_t stride, int row0, int len) {
    constexpr int kVecPerRow = DP / 8;
    for (int i = threadIdx.x; i < ROWS * kVecPerRow; i += blockDim.x) {
        const int r = i / kVecPerRow, c = (i % kVecPerRow) * 8;
        int4 val = make_int4(0, 0, 0, 0);
        if (row0 + r < len) val = *reinterpret_cast<const int4*>(gmem + (int64_t)(row0 + r) * stride + c);
        *reinterpret_cast<int4*>(smem + r * LDS + c) = val;
    }
}

template <typename T, int DP, int BLOCK_N>
__global__ void __launch_bounds__(kWarps * 32) flash_attention_kernel(AttentionParams p) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    constexpr int LDS = DP + 8;
    __shared__ alignas(16) T sQ[kBlockM * LDS];
    __shared__ alignas(16) T sK[BLOCK_N * LDS];
    __shared__ alignas(16) T sV[BLOCK_N * LDS];

    const int seq = blockIdx.z, head = blockIdx.y, m0 = blockIdx.x * kBlockM;
    const int start = p.cu_seqlens[seq], len = p.cu_seqlens[seq + 1] - start;
    if (m0 >= len) return;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int g = lane >> 2, tq = lane & 3;  // mma group (row) and thread-in-group (column pair)

    const int64_t head_off = (int64_t)start * p.qkv_row_stride + (int64_t)head * p.qkv_head_stride;
    const T* q = static_cast<const T*>(p.q) + head_off;
    const T* k = static_cast<const T*>(p.k) + head_off;
    const T* v = static_cast<const T*>(p.v) + head_off;

    load_tile<T, kBlockM, DP, LDS>(sQ, q, p.qkv_row_stride, m0, len);
    __syncthreads();

    // This warp's 16 query rows as A fragments, one per 16-wide slice of the head dim.
    uint32_t qf[DP / 16][4];
#pragma unroll
    for (int kk = 0; kk < DP / 16; ++kk) {
        const int r = warp * 16 + g, c = kk * 16 + tq * 2;
        qf[kk][0] = *reinterpret_cast<const uint32_t*>(&sQ[r * LDS + c]);
        qf[kk][1] = *reinterpret_cast<const uint32_t*>(&sQ[(r + 8) * LDS + c]);
        qf[kk][2] = *reinterpret_cast<const uint32_t*>(&sQ[r * LDS + c + 8]);
        qf[kk][3] = *reinterpret_cast<const uint32_t*>(&sQ[(r + 8) * LDS + c + 8]);
    }

    float acc[DP / 8][4];
#pragma unroll
    for (int i = 0; i < DP / 8; ++i) acc[i][0] = acc[i][1] = acc[i][2] = acc[i][3] = 0.f;
    float row_max[2] = {-INFINITY, -INFINITY};  // rows g and g + 8, in log2 units
    float row_sum[2] = {0.f, 0.f};              // this thread's partial sums
    const float scale_log2 = p.softmax_scale * kLog2e;

    for (int n0 = 0; n0 < len; n0 += BLOCK_N) {
        __syncthreads();  // every warp is done with the previous K/V tile
        load_tile<T, BLOCK_N, DP, LDS>(sK, k, p.qkv_row_stride, n0, len);
        load_tile<T, BLOCK_N, DP, LDS>(sV, v, p.qkv_row_stride, n0, len);
        __syncthreads();

        float s[BLOCK_N / 8][4];
#pragma unroll
        for (int nt = 0; nt < BLOCK_N / 8; ++nt) {
            s[nt][0] = s[nt][1] = s[nt][2] = s[nt][3] = 0.f;
            const T* krow = &sK[(nt * 8 + g) * LDS + tq * 2];
#pragma unroll
            for (int kk = 0; kk < DP / 16; ++kk) {
                const uint32_t b0 = *reinterpret_cast<const uint32_t*>(krow + kk * 16);
                const uint32_t b1 = *reinterpret_cast<const uint32_t*>(krow + kk * 16 + 8);
                mma_16816<T>(s[nt], qf[kk], b0, b1);
            }
        }

        // Scale to log2 units, mask keys past the end, new running max per row.
        float tile_max[2] = {row_max[0], row_max[1]};
#pragma unroll
        for (int nt = 0; nt < BLOCK_N / 8; ++nt) {
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const int key = n0 + nt * 8 + tq * 2 + (j & 1);
                s[nt][j] = key < len ? s[nt][j] * scale_log2 : -INFINITY;
                tile_max[j >> 1] = fmaxf(tile_max[j >> 1], s[nt][j]);
            }
        }
        float corr[2];
#pragma unroll
        for (int r = 0; r < 2; ++r) {
            tile_max[r] = fmaxf(tile_max[r], __shfl_xor_sync(0xffffffffu, tile_max[r], 1));
            tile_max[r] = fmaxf(tile_max[r], __shfl_xor_sync(0xffffffffu, tile_max[r], 2));
            // Every tile holds at least one real key, so tile_max is finite; exp2(-inf) = 0 on the first.
            corr[r] = exp2f(row_max[r] - tile_max[r]);
            row_max[r] = tile_max[r];
            row_sum[r] *= corr[r];
        }
#pragma unroll
        for (int nt = 0; nt < BLOCK_N / 8; ++nt) {
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                s[nt][j] = exp2f(s[nt][j] - row_max[j >> 1]);
                row_sum[j >> 1] += s[nt][j];
            }
        }
#pragma unroll
        for (int dt = 0; dt < DP / 8; ++dt) {
            acc[dt][0] *= corr[0];
            acc[dt][1] *= corr[0];
            acc[dt][2] *= corr[1];
            acc[dt][3] *= corr[1];
        }

        // O += P V, 16 keys at a time; P's A fragment comes straight from two S accumulators.
#pragma unroll
        for (int kt = 0; kt < BLOCK_N / 16; ++kt) {
            uint32_t pa[4];
            pa[0] = pack2<T>(s[2 * kt][0], s[2 * kt][1]);
            pa[1] = pack2<T>(s[2 * kt][2], s[2 * kt][3]);
            pa[2] = pack2<T>(s[2 * kt + 1][0], s[2 * kt + 1][1]);
            pa[3] = pack2<T>(s[2 * kt + 1][2], s[2 * kt + 1][3]);
            const T* v0 = &sV[(kt * 16 + tq * 2) * LDS + g];
#pragma unroll
            for (int dt = 0; dt < DP / 8; ++dt) {
                const T* vp = v0 + dt * 8;
                const uint32_t b0 = pack2_raw<T>(vp[0], vp[LDS]);
                const uint32_t b1 = pack2_raw<T>(vp[8 * LDS], vp[9 * LDS]);
                mma_16816<T>(acc[dt], pa, b0, b1);
            }
        }
    }

    float inv[2];
#pragma unroll
    for (int r = 0; r < 2; ++r) {
        float l = row_sum[r];
        l += __shfl_xor_sync(0xffffffffu, l, 1);
        l += __shfl_xor_sync(0xffffffffu, l, 2);
        inv[r] = 1.f / l;
    }
    T* o = static_cast<T*>(p.o) + (int64_t)start * p.o_row_stride + (int64_t)head * p.o_head_stride;
#pragma unroll
    for (int r = 0; r < 2; ++r) {
        const int row = m0 + warp * 16 + g + r * 8;
        if (row >= len) continue;
        T* orow = o + (int64_t)row * p.o_row_stride;
#pragma unroll
        for (int dt = 0; dt < DP / 8; ++dt) {
            const int col = dt * 8 + tq * 2;
            if (col < p.head_dim) orow[col] = from_f32<T>(acc[dt][2 * r] * inv[r]);
            if (col + 1 < p.head_dim) orow[col + 1] = from_f32<T>(acc[dt][2 * r + 1] * inv[r]);
        }
    }
#endif
}

constexpr int kWideM = 128;  // query rows per CTA of the wide variant
constexpr int kWideN = 32;   // keys per tile

// This thread's share of one K and one V tile of kWideN keys, global -> registers (zeros past the sequence end).
// K vectors go row-major (consecutive threads read consecutive 16 bytes of a row), V vectors key-minor (consecutive
// threads take consecutive keys: their transposed stores then fill consecutive shared-memory words).
template <typename T, int DP, int PER>
__device__ __forceinline__ void fetch_kv(int4 (&pk)[PER], int4 (&pv)[PER], const T* k, const T* v, int64_t stride,
                                         int n0, int len) {
    constexpr int kVecPerRow = DP / 8, kTileVecs = kWideN * kVecPerRow;
#pragma unroll
    for (int j = 0; j < PER; ++j) {
        const int i = threadIdx.x + j * kWarps * 32;
        pk[j] = pv[j] = make_int4(0, 0, 0, 0);
        if (i >= kTileVecs) continue;
        const int rk = i / kVecPerRow, ck = (i % kVecPerRow) * 8;
        if (n0 + rk < len) pk[j] = *reinterpret_cast<const int4*>(k + (int64_t)(n0 + rk) * stride + ck);
        const int rv = i % kWideN, cv = (i / kWideN) * 8;
        if (n0 + rv < len) pv[j] = *reinterpret_cast<const int4*>(v + (int64_t)(n0 + rv) * stride + cv);
    }
}

template <typename T, int DP>
__global__ void __launch_bounds__(kWarps * 32) flash_attention_wide_kernel(AttentionParams p) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    constexpr int LDK = DP + 8;  // sQ and sK row pitch
    constexpr int LDV = kWideN + 8;  // sVt: one row of kWideN keys per head dim
    constexpr int kVecPerRow = DP / 8, kTileVecs = kWideN * kVecPerRow;
    constexpr int PER = (kTileVecs + kWarps * 32 - 1) / (kWarps * 32);
    __shared__ alignas(16) T sQ[kWideM * LDK];
    __shared__ alignas(16) T sK[2][kWideN * LDK];  // two buffers: tile i is read while tile i + 1 is written
    __shared__ alignas(16) T sVt[2][DP * LDV];

    const int seq = blockIdx.z, head = blockIdx.y, m0 = blockIdx.x * kWideM;
    const int start = p.cu_seqlens[seq], len = p.cu_seqlens[seq + 1] - start;
    if (m0 >= len) return;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int g = lane >> 2, tq = lane & 3;

    const int64_t head_off = (int64_t)start * p.qkv_row_stride + (int64_t)head * p.qkv_head_stride;
    const T* q = static_cast<const T*>(p.q) + head_off;
    const T* k = static_cast<const T*>(p.k) + head_off;
    const T* v = static_cast<const T*>(p.v) + head_off;

    // This thread's share of a K/V tile: registers -> shared buffer `buf` (V transposed).
    int4 pk[PER], pv[PER];
    auto store_kv = [&](int buf) {
#pragma unroll
        for (int j = 0; j < PER; ++j) {
            const int i = threadIdx.x + j * kWarps * 32;
            if (i >= kTileVecs) continue;
            const int rk = i / kVecPerRow, ck = (i % kVecPerRow) * 8;
            *reinterpret_cast<int4*>(&sK[buf][rk * LDK + ck]) = pk[j];
            const int rv = i % kWideN, cv = (i / kWideN) * 8;
            const T* e = reinterpret_cast<const T*>(&pv[j]);
#pragma unroll
            for (int d = 0; d < 8; ++d) sVt[buf][(cv + d) * LDV + rv] = e[d];
        }
    };
    fetch_kv<T, DP, PER>(pk, pv, k, v, p.qkv_row_stride, 0, len);
    load_tile<T, kWideM, DP, LDK>(sQ, q, p.qkv_row_stride, m0, len);
    store_kv(0);
    __syncthreads();
    if (kWideN < len) fetch_kv<T, DP, PER>(pk, pv, k, v, p.qkv_row_stride, kWideN, len);

    // This warp's 32 query rows: blocks b = 0, 1 of 16 rows, as A fragments per 16-wide slice of the head dim.
    uint32_t qf[2][DP / 16][4];
#pragma unroll
    for (int b = 0; b < 2; ++b)
#pragma unroll
        for (int kk = 0; kk < DP / 16; ++kk) {
            const int r = warp * 32 + b * 16 + g, c = kk * 16 + tq * 2;
            qf[b][kk][0] = *reinterpret_cast<const uint32_t*>(&sQ[r * LDK + c]);
            qf[b][kk][1] = *reinterpret_cast<const uint32_t*>(&sQ[(r + 8) * LDK + c]);
            qf[b][kk][2] = *reinterpret_cast<const uint32_t*>(&sQ[r * LDK + c + 8]);
            qf[b][kk][3] = *reinterpret_cast<const uint32_t*>(&sQ[(r + 8) * LDK + c + 8]);
        }

    float acc[2][DP / 8][4];
#pragma unroll
    for (int b = 0; b < 2; ++b)
#pragma unroll
        for (int i = 0; i < DP / 8; ++i) acc[b][i][0] = acc[b][i][1] = acc[b][i][2] = acc[b][i][3] = 0.f;
    float row_max[2][2] = {{-INFINITY, -INFINITY}, {-INFINITY, -INFINITY}};  // [block][row g, g + 8], log2 units
    float row_sum[2][2] = {{0.f, 0.f}, {0.f, 0.f}};
    const float scale_log2 = p.softmax_scale * kLog2e;

    // Tile i is computed from buffer i % 2 while tile i + 1 waits in registers; then tile i + 1 goes to the other
    // buffer (which every warp left at the previous barrier), one barrier, and tile i + 2 is fetched.
    for (int n0 = 0, buf = 0; n0 < len; n0 += kWideN, buf ^= 1) {
        const T* tK = sK[buf];
        const T* tVt = sVt[buf];
        float s[2][kWideN / 8][4];
#pragma unroll
        for (int nt = 0; nt < kWideN / 8; ++nt) {
#pragma unroll
            for (int b = 0; b < 2; ++b) s[b][nt][0] = s[b][nt][1] = s[b][nt][2] = s[b][nt][3] = 0.f;
            const T* krow = &tK[(nt * 8 + g) * LDK + tq * 2];
#pragma unroll
            for (int kk = 0; kk < DP / 16; ++kk) {
                const uint32_t b0 = *reinterpret_cast<const uint32_t*>(krow + kk * 16);
                const uint32_t b1 = *reinterpret_cast<const uint32_t*>(krow + kk * 16 + 8);
                mma_16816<T>(s[0][nt], qf[0][kk], b0, b1);
                mma_16816<T>(s[1][nt], qf[1][kk], b0, b1);
            }
        }

#pragma unroll
        for (int b = 0; b < 2; ++b) {
            float tmax[2] = {row_max[b][0], row_max[b][1]};
#pragma unroll
            for (int nt = 0; nt < kWideN / 8; ++nt) {
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    const int key = n0 + nt * 8 + tq * 2 + (j & 1);
                    s[b][nt][j] = key < len ? s[b][nt][j] * scale_log2 : -INFINITY;
                    tmax[j >> 1] = fmaxf(tmax[j >> 1], s[b][nt][j]);
                }
            }
            float corr[2];
#pragma unroll
            for (int r = 0; r < 2; ++r) {
                tmax[r] = fmaxf(tmax[r], __shfl_xor_sync(0xffffffffu, tmax[r], 1));
                tmax[r] = fmaxf(tmax[r], __shfl_xor_sync(0xffffffffu, tmax[r], 2));
                // Every tile holds at least one real key, so tmax is finite; exp2(-inf) = 0 on the first.
                corr[r] = exp2f(row_max[b][r] - tmax[r]);
                row_max[b][r] = tmax[r];
                row_sum[b][r] *= corr[r];
            }
#pragma unroll
            for (int nt = 0; nt < kWideN / 8; ++nt) {
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    s[b][nt][j] = exp2f(s[b][nt][j] - row_max[b][j >> 1]);
                    row_sum[b][j >> 1] += s[b][nt][j];
                }
            }
#pragma unroll
            for (int dt = 0; dt < DP / 8; ++dt) {
                acc[b][dt][0] *= corr[0];
                acc[b][dt][1] *= corr[0];
                acc[b][dt][2] *= corr[1];
                acc[b][dt][3] *= corr[1];
            }
        }

        // O += P V, 16 keys at a time; each V fragment (one 32-bit load from the transposed tile) serves both blocks.
#pragma unroll
        for (int kt = 0; kt < kWideN / 16; ++kt) {
            uint32_t pa[2][4];
#pragma unroll
            for (int b = 0; b < 2; ++b) {
                pa[b][0] = pack2<T>(s[b][2 * kt][0], s[b][2 * kt][1]);
                pa[b][1] = pack2<T>(s[b][2 * kt][2], s[b][2 * kt][3]);
                pa[b][2] = pack2<T>(s[b][2 * kt + 1][0], s[b][2 * kt + 1][1]);
                pa[b][3] = pack2<T>(s[b][2 * kt + 1][2], s[b][2 * kt + 1][3]);
            }
#pragma unroll
            for (int dt = 0; dt < DP / 8; ++dt) {
                const T* vt = &tVt[(dt * 8 + g) * LDV + kt * 16 + tq * 2];
                const uint32_t b0 = *reinterpret_cast<const uint32_t*>(vt);
                const uint32_t b1 = *reinterpret_cast<const uint32_t*>(vt + 8);
                mma_16816<T>(acc[0][dt], pa[0], b0, b1);
                mma_16816<T>(acc[1][dt], pa[1], b0, b1);
            }
        }
        if (n0 + kWideN < len) {  // uniform across the CTA
            store_kv(buf ^ 1);
            __syncthreads();
            if (n0 + 2 * kWideN < len) fetch_kv<T, DP, PER>(pk, pv, k, v, p.qkv_row_stride, n0 + 2 * kWideN, len);
        }
    }

    T* o = static_cast<T*>(p.o) + (int64_t)start * p.o_row_stride + (int64_t)head * p.o_head_stride;
#pragma unroll
    for (int b = 0; b < 2; ++b) {
#pragma unroll
        for (int r = 0; r < 2; ++r) {
            float sum = row_sum[b][r];
            sum += __shfl_xor_sync(0xffffffffu, sum, 1);
            sum += __shfl_xor_sync(0xffffffffu, sum, 2);
            const float inv = 1.f / sum;
            const int row = m0 + warp * 32 + b * 16 + g + r * 8;
            if (row >= len) continue;
            T* orow = o + (int64_t)row * p.o_row_stride;
#pragma unroll
            for (int dt = 0; dt < DP / 8; ++dt) {
                const int col = dt * 8 + tq * 2;
                if (col < p.head_dim) orow[col] = from_f32<T>(acc[b][dt][2 * r] * inv);
                if (col + 1 < p.head_dim) orow[col + 1] = from_f32<T>(acc[b][dt][2 * r + 1] * inv);
            }
        }
    }
#endif
}

// FP32: one thread per query row; K/V tiles of kTileN keys shared by the block's 64 rows.
template <int DP>
__global__ void __launch_bounds__(64) flash_attention_f32_kernel(AttentionParams p) {
    constexpr int kTileN = 32;
    __shared__ float sK[kTileN][DP];
    __shared__ float sV[kTileN][DP];
    const int seq = blockIdx.z, head = blockIdx.y;
    const int start = p.cu_seqlens[seq], len = p.cu_seqlens[seq + 1] - start;
    const int m0 = blockIdx.x * blockDim.x;
    if (m0 >= len) return;
    const int row = m0 + threadIdx.x;
    const bool active = row < len;
    const int64_t head_off = (int64_t)start * p.qkv_row_stride + (int64_t)head * p.qkv_head_stride;
    const float* k = static_cast<const float*>(p.k) + head_off;
    const float* v = static_cast<const float*>(p.v) + head_off;
    float qf[DP], acc[DP];
    const float* q = static_cast<const float*>(p.q) + head_off + (int64_t)(active ? row : 0) * p.qkv_row_stride;
#pragma unroll
    for (int d = 0; d < DP; ++d) {
        qf[d] = active ? q[d] * p.softmax_scale : 0.f;
        acc[d] = 0.f;
    }
    float m = -INFINITY, l = 0.f;
    for (int n0 = 0; n0 < len; n0 += kTileN) {
        __syncthreads();
        for (int i = threadIdx.x; i < kTileN * DP; i += blockDim.x) {
            const int r = i / DP, c = i % DP;
            const bool in = n0 + r < len;
            sK[r][c] = in ? k[(int64_t)(n0 + r) * p.qkv_row_stride + c] : 0.f;
            sV[r][c] = in ? v[(int64_t)(n0 + r) * p.qkv_row_stride + c] : 0.f;
        }
        __syncthreads();
        const int n_keys = min(kTileN, len - n0);
        for (int u = 0; u < n_keys; ++u) {
            float s = 0.f;
#pragma unroll
            for (int d = 0; d < DP; ++d) s += qf[d] * sK[u][d];
            if (s > m) {  // rescale only when the max moves
                const float c = expf(m - s);
                l *= c;
#pragma unroll
                for (int d = 0; d < DP; ++d) acc[d] *= c;
                m = s;
            }
            const float e = expf(s - m);
            l += e;
#pragma unroll
            for (int d = 0; d < DP; ++d) acc[d] += e * sV[u][d];
        }
    }
    if (!active) return;
    float* o = static_cast<float*>(p.o) + (int64_t)(start + row) * p.o_row_stride + (int64_t)head * p.o_head_stride;
    for (int d = 0; d < p.head_dim; ++d) o[d] = acc[d] / l;
}

template <typename T, int DP, int BLOCK_N>
cudaError_t launch_mma(const AttentionParams& p, cudaStream_t stream) {
    return for_each_sequence_chunk(p, [&](const AttentionParams& c) {
        const dim3 grid(ceil_div(c.max_seqlen, kBlockM), c.n_heads, c.n_seqs);
        flash_attention_kernel<T, DP, BLOCK_N><<<grid, kWarps * 32, 0, stream>>>(c);
        return cudaGetLastError();
    });
}

template <typename T>
cudaError_t dispatch_mma(const AttentionParams& p, cudaStream_t stream) {
    switch (p.head_dim_padded) {
        case 16: return launch_mma<T, 16, 64>(p, stream);
        case 32: return launch_mma<T, 32, 64>(p, stream);
        case 64: return launch_mma<T, 64, 64>(p, stream);
        case 128: return launch_mma<T, 128, 32>(p, stream);  // smaller key tile: 35 KB of static smem
    }
    return cudaErrorNotSupported;
}

template <typename T, int DP>
cudaError_t launch_wide(const AttentionParams& p, cudaStream_t stream) {
    return for_each_sequence_chunk(p, [&](const AttentionParams& c) {
        const dim3 grid(ceil_div(c.max_seqlen, kWideM), c.n_heads, c.n_seqs);
        flash_attention_wide_kernel<T, DP><<<grid, kWarps * 32, 0, stream>>>(c);
        return cudaGetLastError();
    });
}

template <typename T>
cudaError_t dispatch_wide(const AttentionParams& p, cudaStream_t stream) {
    switch (p.head_dim_padded) {
        case 16: return launch_wide<T, 16>(p, stream);
        case 32: return launch_wide<T, 32>(p, stream);
        case 64: return launch_wide<T, 64>(p, stream);
    }
    return cudaErrorNotSupported;  // 128: two blocks' accumulators would not fit in registers
}

template <int DP>
cudaError_t launch_f32(const AttentionParams& p, cudaStream_t stream) {
    return for_each_sequence_chunk(p, [&](const AttentionParams& c) {
        const dim3 grid(ceil_div(c.max_seqlen, 64), c.n_heads, c.n_seqs);
        flash_attention_f32_kernel<DP><<<grid, 64, 0, stream>>>(c);
        return cudaGetLastError();
    });
}

}  // namespace

cudaError_t launch_attention_flash(const AttentionParams& p, int cc_major, cudaStream_t stream) {
    if (p.n_seqs <= 0 || p.max_seqlen <= 0) return cudaSuccess;
    if (p.head_dim > p.head_dim_padded || padded_head_dim(p.head_dim_padded) != p.head_dim_padded)
        return cudaErrorNotSupported;
    if (p.dtype == DType::F32) {
        switch (p.head_dim_padded) {
            case 16: return launch_f32<16>(p, stream);
            case 32: return launch_f32<32>(p, stream);
            case 64: return launch_f32<64>(p, stream);
            case 128: return launch_f32<128>(p, stream);
        }
        return cudaErrorNotSupported;
    }
    // 16-byte tile loads need 8-element-aligned rows and bases.
    if (cc_major < 8 || p.qkv_row_stride % 8 != 0 || p.qkv_head_stride % 8 != 0 || !aligned16(p.q) ||
        !aligned16(p.k) || !aligned16(p.v))
        return cudaErrorNotSupported;
    if (p.dtype == DType::BF16) return dispatch_mma<__nv_bfloat16>(p, stream);
    return dispatch_mma<__half>(p, stream);
}

cudaError_t launch_attention_flash_wide(const AttentionParams& p, int cc_major, cudaStream_t stream) {
    if (p.n_seqs <= 0 || p.max_seqlen <= 0) return cudaSuccess;
    if (p.dtype == DType::F32 || p.head_dim > p.head_dim_padded || padded_head_dim(p.head_dim_padded) != p.head_dim_padded)
        return cudaErrorNotSupported;
    if (cc_major < 8 || p.qkv_row_stride % 8 != 0 || p.qkv_head_stride % 8 != 0 || !aligned16(p.q) ||
        !aligned16(p.k) || !aligned16(p.v))
        return cudaErrorNotSupported;
    if (p.dtype == DType::BF16) return dispatch_wide<__nv_bfloat16>(p, stream);
    return dispatch_wide<__half>(p, stream);
}

}  // namespace esm2j
