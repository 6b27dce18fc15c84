// attention_cudnn.h - cuDNN fused scaled-dot-product attention (graph API) as an alternative
// attention backend, on the packed ("ragged") layout. Optional at build time (ESM2J_WITH_CUDNN).
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "attention.h"

namespace esm2j {

// cuDNN attention runs a batch in slices of at most kMaxGridYZ sequences, each with q/k/v/o advanced to
// its first token, so that every slice looks like a batch of its own (ragged offsets from 0, as in one
// slice).
//
// Plans are built per graph shape (batch b, longest s), and a plan takes tens of milliseconds to build. A
// run's batches have nearly all a different number of sequences and a different longest one, so the graph's
// shape is bucketed: b is the slice's sequence count rounded up to one of four sizes per octave (8, 10, 12,
// 14, 16, 20, ...; at most 25% more), s the longest sequence rounded up to 64 and then to one of two sizes per
// octave (64, 128, 192, 256, 384, 512, 768, 1024, ...). A run then reuses a handful of plans.
//
// The sequences that fill a slice up to b ("padding sequences") are ordinary one-token sequences laid out
// right after the slice's last token: ragged offsets continue the packed layout, so the graph sees a plain
// packed batch. Zero-length sequences would need no memory but are not safe: cuDNN before 9.25 returns NaN
// rows or faults on them (NVIDIA/cudnn-frontend#943/#944). Their q/k/v rows lie past the batch's last token,
// where the next of q/k/v starts (the heads buffer has cudnn_pad_rows spare rows after v for the last), and
// their o rows in cudnn_pad_rows spare rows after the o buffer's max_tokens rows: they read anything and write
// nothing a real token reads. Only the last slice is padded (full slices have b = kMaxGridYZ already), so the
// spare rows lie past the batch's last token. Each real sequence is computed by the same plan's kernel on the
// same rows as before, so padding does not mix sequences; whether the bucketed plan picks the same engine as
// the exact one (and so gives bitwise the same output) is what the self-test's plan bench checks.
//
// Slice k (sequences s0..s1-1) keeps its graph_batch(s1 - s0) lengths at entries s0.. of the length array and
// its graph_batch + 1 offsets at entries s0 + k.. of the ragged arrays.
inline int64_t cudnn_bucket(int64_t n, int steps_per_octave) {
    int64_t p = 1;
    while (p * 2 <= n) p *= 2;
    const int64_t step = std::max<int64_t>(1, p / steps_per_octave);
    return ceil_div(n, step) * step;
}
// The graph batch of a slice of n <= kMaxGridYZ sequences.
inline int64_t cudnn_graph_batch(int64_t n, bool bucketed) {
    return bucketed ? std::min<int64_t>(cudnn_bucket(n, 4), kMaxGridYZ) : n;
}
// The graph's sequence length for a longest sequence of max_seqlen tokens.
inline int cudnn_graph_seqlen(int max_seqlen, bool bucketed) {
    const int units = (int)ceil_div(max_seqlen, 64);
    return 64 * (bucketed ? (int)cudnn_bucket(units, 2) : units);
}
inline int64_t cudnn_slice_count(int64_t n_seqs) { return ceil_div(n_seqs, kMaxGridYZ); }
// Entries of the length array: full slices, and the last slice's graph batch.
inline int64_t cudnn_seq_entries(int64_t n_seqs, bool bucketed = true) {
    const int64_t last = n_seqs - (cudnn_slice_count(n_seqs) - 1) * kMaxGridYZ;
    return n_seqs - last + cudnn_graph_batch(last, bucketed);
}
inline int64_t cudnn_ragged_entries(int64_t n_seqs, bool bucketed = true) {
    return cudnn_seq_entries(n_seqs, bucketed) + cudnn_slice_count(n_seqs);
}
// Spare token rows the padding sequences of a batch of at most max_seqs sequences may use past its last token
// (graph_batch(n) - n < n / 4).
inline int64_t cudnn_pad_rows(int64_t max_seqs) { return std::min<int64_t>(max_seqs, kMaxGridYZ) / 4; }

// Fills the host arrays of CudnnBatchInputs for a batch of n_seqs sequences (cu_seqlens: host, n_seqs + 1):
// lengths [cudnn_seq_entries], element offsets into q/k/v (rows qkv_row elements apart) and into o (o_row)
// [cudnn_ragged_entries], per slice and relative to the slice's first token, padding sequences included.
// Offsets are int32 (CudnnAttention::supports refuses batches where they would overflow); they saturate here.
inline void cudnn_fill_batch(const int* cu_seqlens, int64_t n_seqs, int64_t qkv_row, int64_t o_row, bool bucketed,
                             int* seq_len, int* ragged_qkv, int* ragged_o) {
    auto offset = [](int64_t rows, int64_t row) { return (int)std::min<int64_t>(rows * row, INT32_MAX); };
    for (int64_t s0 = 0, k = 0; s0 < n_seqs; s0 += kMaxGridYZ, ++k) {
        const int64_t n = std::min<int64_t>(kMaxGridYZ, n_seqs - s0), b = cudnn_graph_batch(n, bucketed);
        const int64_t first = cu_seqlens[s0], tokens = (int64_t)cu_seqlens[s0 + n] - first;
        for (int64_t i = 0; i <= b; ++i) {
            const int64_t row = i <= n ? (int64_t)cu_seqlens[s0 + i] - first : tokens + (i - n);
            if (i < b) seq_len[s0 + i] = i < n ? cu_seqlens[s0 + i + 1] - cu_seqlens[s0 + i] : 1;
            ragged_qkv[s0 + k + i] = offset(row, qkv_row);
            ragged_o[s0 + k + i] = offset(row, o_row);
        }
    }
}

// Host-computed batch descriptors cuDNN needs on the device, filled by encode.
struct CudnnBatchInputs {
    const int* seq_len;          // device [cudnn_seq_entries]: tokens per sequence (queries = keys), per slice
    const int* ragged_qkv;       // device [cudnn_ragged_entries]: element offset of each sequence in q/k/v, per slice
    const int* ragged_o;         // device [cudnn_ragged_entries]: element offset of each sequence in o, per slice
    const int* host_cu_seqlens;  // host [n_seqs + 1]: where each slice starts (its q/k/v/o are advanced there)
};

class CudnnAttention {
public:
    CudnnAttention();
    ~CudnnAttention();
    CudnnAttention(const CudnnAttention&) = delete;
    CudnnAttention& operator=(const CudnnAttention&) = delete;

    static bool compiled_in();
    static const char* version();  // "none" without cuDNN

    // Checks what cuDNN can do for this case without touching the GPU; false + reason otherwise.
    static bool supports(const AttentionParams& p, std::string* why);

    // Whether graph shapes are bucketed (the default; ESM2J_CUDNN_EXACT_PLANS=1 turns it off, for comparing):
    // the caller lays out CudnnBatchInputs with the same setting (cudnn_fill_batch).
    bool plan_buckets() const { return plan_buckets_; }
    void set_plan_buckets(bool on) { plan_buckets_ = on; }

    // Plans built since creation, the time spent building them, and how many the cache holds now.
    struct PlanStats {
        int64_t built = 0;
        double build_seconds = 0;
        int64_t cached = 0;
    };
    PlanStats plan_stats() const;

    // Runs attention through cuDNN. On success *ran = true. When cuDNN cannot run this case (no
    // engine, graph rejected, workspace too small) it returns ESM2J_OK with *ran = false and the
    // reason in *why, so the caller falls back to the hand-written kernel; errors while executing a
    // graph that was accepted return a status.
    int run(const AttentionParams& p, const CudnnBatchInputs& batch, void* workspace, size_t workspace_bytes,
            cudaStream_t stream, bool* ran, std::string* why);

private:
    // One slice of at most 65535 sequences (run splits larger batches); same contract as run.
    int run_slice(const AttentionParams& p, const CudnnBatchInputs& batch, void* workspace, size_t workspace_bytes,
                  cudaStream_t stream, bool* ran, std::string* why);

    struct Impl;
    std::unique_ptr<Impl> impl_;
    bool plan_buckets_;
};

}  // namespace esm2j
