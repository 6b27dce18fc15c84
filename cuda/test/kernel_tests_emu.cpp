// kernel_tests_emu.cpp - the op tests (op_tests.cpp) with every kernel of cuda/src running on the CPU
// under the emulation runtime (cuda/emu): what scripts/test-kernels-on-cpu.sh builds and runs.
//
//   esm2j_kernel_tests_emu [--fail-fast] [--only NAME]   NAME: embed, layernorm, rotary, attention, bias_gelu, pool,
//                                             bias_add, convert, gemm, cudnn_layout (a substring of the test's name)
// Environment: ESM2J_EMU_SCHEDULES (forward, reverse, random, warp-forward, warp-reverse, all; default: forward
// plus one alternative per launch), ESM2J_EMU_SEED. Exit status 0 when every check passes, 1 when one fails
// (named with its dtype, shape and worst element), 2 when a launch fails (the kernel and why are printed).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "op_tests.h"

using namespace gpucheck;

#if defined(ESM2J_EMU_CUBLASLT)
// The GEMM runner's errors (gemm.cpp, status.cpp) without the rest of the library: what api.cpp exports.
#include "status.h"
extern "C" const char* esm2j_last_error(void) { return esm2j::last_error(); }
#endif

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // whole lines, in order with the emulator's reports on stderr
    OpTestOptions options;
    options.emulated = true;
    options.cc_major = 8;  // the emulator runs the sm80 paths (mma.sync m16n8k16)
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            options.only = argv[++i];
        } else if (std::strcmp(argv[i], "--fail-fast") == 0) {
            g_fail_fast = true;
        } else {
            std::printf("usage: esm2j_kernel_tests_emu [--fail-fast] [--only embed|layernorm|rotary|attention|bias_gelu|"
                        "pool|bias_add|convert|gemm|cudnn_layout]\n");
            return 2;
        }
    }
    std::printf("esm2j kernels under CPU emulation (cuda/emu): cuBLASLt and cuDNN are not emulated\n");
    const auto t0 = std::chrono::steady_clock::now();
    run_op_tests(options);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char title[64];
    std::snprintf(title, sizeof title, "CPU emulation, %.0f s", secs);
    print_summary(title);
    return g_failures == 0 ? 0 : 1;
}
