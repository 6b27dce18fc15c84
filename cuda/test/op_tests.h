// op_tests.h - the op tests of the library's kernels against cpu_reference.cpp, and the small harness
// they share with the GPU self-test (bench/gpu-check/selftest.cpp): device buffers, uploads in any
// dtype, NaN poisoning, one report line per check.
//
// The same source runs on a GPU (esm2j_selftest --ops) and on the CPU under the emulation runtime
// (cuda/emu, scripts/test-kernels-on-cpu.sh: built with ESM2J_EMU, where cuBLASLt and cuDNN are absent,
// GEMMs go through the reference kernel and the shapes are cut to fit the CI's minutes).
#pragma once

#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "common.h"
#include "cpu_reference.h"
#include "esm2j.h"

namespace gpucheck {

extern int g_checks, g_failures;
// Stop at the first failing check (the summary is printed, exit status 1): the mutation script's mode.
extern bool g_fail_fast;
extern std::vector<std::string> g_summary;
extern std::mt19937_64 g_rng;

// The emulator's account of the last failed launch (kernel, block, thread, what went wrong); "" on a GPU.
const char* launch_failure_detail();

#define CK(call)                                                                                          \
    do {                                                                                                  \
        cudaError_t e_ = (call);                                                                          \
        if (e_ != cudaSuccess) {                                                                          \
            std::printf("CUDA error %s at %s:%d: %s\n%s", cudaGetErrorName(e_), __FILE__, __LINE__, #call, \
                        ::gpucheck::launch_failure_detail());                                             \
            std::printf("FAIL %s\n", #call);                                                              \
            std::exit(2);                                                                                 \
        }                                                                                                 \
    } while (0)

#define EK(call)                                                                              \
    do {                                                                                      \
        int s_ = (call);                                                                      \
        if (s_ != ESM2J_OK) {                                                                 \
            std::printf("esm2j error %d at %s:%d: %s\n  %s\n", s_, __FILE__, __LINE__, #call, \
                        esm2j_last_error());                                                  \
            std::exit(2);                                                                     \
        }                                                                                     \
    } while (0)

// ---- device buffers ----
struct Dev {
    void* p = nullptr;
    size_t bytes = 0;
    Dev() = default;
    explicit Dev(size_t n) : bytes(n) { CK(cudaMalloc(&p, n ? n : 1)); }
    ~Dev() {
        if (p) cudaFree(p);
    }
    Dev(const Dev&) = delete;
    Dev& operator=(const Dev&) = delete;
    Dev(Dev&& o) noexcept : p(o.p), bytes(o.bytes) { o.p = nullptr; }
    template <typename T>
    T* as() const { return static_cast<T*>(p); }
};

// FP32 host values -> device array of dtype t (converted on the device).
Dev upload(const Vec& v, esm2j::DType t);
Dev upload_i(const IVec& v);
Vec download(const void* p, esm2j::DType t, size_t n);
// The values as dtype t holds them (so the CPU reference sees exactly the device's inputs).
Vec rounded(const Vec& v, esm2j::DType t);
void poison(void* p, size_t bytes);  // 0xFF: NaN in every float type
Vec randn(size_t n, float stddev, float mean = 0.f);
IVec make_cu(const std::vector<int>& lens);
// Tokens for a packed batch: <cls>, residues 4..30 with about 5% <mask>, <eos>.
IVec make_tokens(const IVec& cu, int mask_id);

// One line per check: ok/FAIL, what, rel L2 and the worst element against tol.
void report(const std::string& what, const Error& e, double tol);

struct OpTestOptions {
    int cc_major = 8;
    // Under emulation: smaller shapes where a case costs minutes on a CPU (said in the output).
    bool emulated = false;
    // Only the tests whose name contains this (embed, layernorm, rotary, attention, bias_gelu, pool,
    // bias_add, convert, gemm); empty: all.
    std::string only;
};
// Prints the summary of FAIL lines and the counts.
void print_summary(const char* title);
// Runs the op tests; the counters above collect the results.
void run_op_tests(const OpTestOptions& options);

}  // namespace gpucheck
