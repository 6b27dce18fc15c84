#!/usr/bin/env python3
"""Plants known bugs, one at a time, in a copy of the kernels (cuda/src), runs the emulated op tests that
cover each, and shows how each is caught. Run it when the emulator changes (scripts/kernel-mutations.sh),
not in every CI: about 5 minutes on 2 cores.

A mutation counts as caught when the tests fail AND the log shows the expected way of catching it (a
wrong value, schedules that disagree, a guard page, a divergent collective, ...): a bug caught for the
wrong reason would hide a hole in the emulator. Exit status 0 when every mutation is caught so.

usage: mutations.py [--keep] [--only NAME] [BUILD_DIR]      (default build/emu-mutations)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# How a failure shows in the log of esm2j_kernel_tests_emu, by kind.
CAUGHT_BY = {
    "value": (r"^FAIL .*(rel_l2|padding|elements differ)", "a wrong value (named with dtype, shape and worst element)"),
    "schedules": (r"schedules leave different device memory", "two schedules leave different memory"),
    "guard": (r"bytes past the end of (device allocation|__shared__)", "a guard page (read past the end)"),
    "divergent": (r"divergent warp collective", "lanes at different warp collectives"),
    "exited": (r"exited before the", "a thread exited before a barrier"),
    "launch": (r"block \(\d+,\d+,\d+\) = \d+ threads", "the launch limits (threads per block)"),
    "smem": (r"exceed the 48 KiB", "the 48 KiB static shared memory limit"),
    "misaligned": (r"misaligned address", "UBSan's alignment check (a misaligned 16-byte access)"),
}

# (name, file, text to replace, replacement, the op test that covers it, expected kind of catch)
MUTATIONS = [
    ("swapped mma A fragment rows (a1 <-> a2)", "attention_flash.cu",
     "qf[kk][1] = *reinterpret_cast<const uint32_t*>(&sQ[(r + 8) * LDS + c]);",
     "qf[kk][1] = *reinterpret_cast<const uint32_t*>(&sQ[r * LDS + c + 8]);", "attention", "value"),
    ("key mask bound off by one (key <= len)", "attention_flash.cu",
     "s[nt][j] = key < len ? s[nt][j] * scale_log2 : -INFINITY;",
     "s[nt][j] = key <= len ? s[nt][j] * scale_log2 : -INFINITY;", "attention", "value"),
    ("row max misses its second shuffle step", "attention_flash.cu",
     "tile_max[r] = fmaxf(tile_max[r], __shfl_xor_sync(0xffffffffu, tile_max[r], 2));",
     "", "attention", "value"),
    ("warp_sum starts at offset 8 (a missing shuffle step)", "device_common.cuh",
     "for (int o = 16; o > 0; o >>= 1)", "for (int o = 8; o > 0; o >>= 1)", "layernorm", "value"),
    ("barrier removed before the K/V tile is overwritten", "attention_flash.cu",
     "__syncthreads();  // every warp is done with the previous K/V tile", "", "attention", "schedules"),
    ("barrier removed after the GEMM tiles are staged", "gemm_reference.cu",
     "        __syncthreads();\n#pragma unroll", "#pragma unroll", "gemm", "schedules"),
    ("shared scratch reused without a barrier (block_sum)", "device_common.cuh",
     "__syncthreads();  // scratch may still be read from a previous call", "", "layernorm", "schedules"),
    ("tile load reads one row past the sequence end", "attention_flash.cu",
     "if (row0 + r < len) val =", "if (row0 + r <= len) val =", "attention", "guard"),
    ("misaligned 16-byte shared store (rows padded by 4, not 8)", "attention_flash.cu",
     "constexpr int LDS = DP + 8;", "constexpr int LDS = DP + 4;", "attention", "misaligned"),
    ("warp shuffle under a divergent branch", "attention_flash.cu",
     "l += __shfl_xor_sync(0xffffffffu, l, 1);", "if (g < 4) l += __shfl_xor_sync(0xffffffffu, l, 1);",
     "attention", "divergent"),
    ("threads past the rows return before the GEMM's barriers", "gemm_reference.cu",
     "    float acc = 0.f;\n", "    if (r >= rows) return;\n    float acc = 0.f;\n", "gemm", "exited"),
    ("GEMM reads W transposed from shared memory", "gemm_reference.cu",
     "sw[threadIdx.x][i]", "sw[i][threadIdx.x]", "gemm", "value"),
    ("rotary partner on the wrong side (d + half for every d)", "rotary.cu",
     "const int cp = d < half ? c + half : c - half;", "const int cp = c + half;", "rotary", "value"),
    ("LayerNorm block of 2048 threads (over the 1024 limit)", "layernorm.cu",
     "const int threads = std::min(256, round_up(std::max(quads, 1), 32));",
     "const int threads = std::min(2048, round_up(std::max(quads, 1), 32));", "layernorm", "launch"),
    ("head dim 128 with 64-key tiles (52 KiB of static shared memory)", "attention_flash.cu",
     "case 128: return launch_mma<T, 128, 32>(p, stream);", "case 128: return launch_mma<T, 128, 64>(p, stream);",
     "attention", "smem"),
    ("wide flash: the second row block multiplies the first block's queries", "attention_flash.cu",
     "mma_16816<T>(s[1][nt], qf[1][kk], b0, b1);", "mma_16816<T>(s[1][nt], qf[0][kk], b0, b1);", "attention", "value"),
    ("wide flash: V fragment's upper keys read 8 keys too far", "attention_flash.cu",
     "const uint32_t b1 = *reinterpret_cast<const uint32_t*>(vt + 8);",
     "const uint32_t b1 = *reinterpret_cast<const uint32_t*>(vt + 16);", "attention", "value"),
    ("wide flash: barrier removed after the next K/V tile is stored", "attention_flash.cu",
     "store_kv(buf ^ 1);\n            __syncthreads();", "store_kv(buf ^ 1);", "attention", "schedules"),
    ("embedding's dropout scale ignores the masks", "embed.cu",
     "const float scale = seq_scale[tok_seq[t]];", "const float scale = 1.f;", "embed", "value"),
    ("pooled mean includes the EOS row", "pooling.cu",
     "for (int t = a + 1; t < b - 1; ++t) {", "for (int t = a + 1; t < b; ++t) {", "pool", "value"),
    ("convert rounds bf16 by truncation", "device_common.cuh",
     "return __float2bfloat16_rn(x);", "return __float2bfloat16_rz(x);", "convert", "value"),
]


def run(cmd, log_path, env=None, timeout=900):
    with open(log_path, "w") as log:
        try:
            return subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return 124


def main(argv):
    keep, only, build = False, None, os.path.join(ROOT, "build", "emu-mutations")
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == "--keep":
            keep = True
        elif a == "--only":
            only = args.pop(0)
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            build = os.path.abspath(a)
    os.makedirs(build, exist_ok=True)
    kernels = tempfile.mkdtemp(prefix="esm2j-mutants-")
    pristine = os.path.join(ROOT, "cuda", "src")
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    # UBSan's alignment check catches a misaligned vector access that x86 would otherwise forgive.
    configure = ["cmake", "-S", os.path.join(ROOT, "cuda", "emu"), "-B", build, *gen,
                 "-DESM2J_EMU_KERNEL_DIR=" + kernels, "-DESM2J_EMU_SANITIZE=ON"]
    tests = os.path.join(build, "esm2j_kernel_tests_emu")
    results = []
    started = time.time()
    try:
        for name, fname, old, new, test, kind in MUTATIONS:
            if only and only not in name:
                continue
            # A fresh copy of every source, then the one bug.
            for f in os.listdir(pristine):
                dst = os.path.join(kernels, f)
                src = os.path.join(pristine, f)
                with open(src) as fi:
                    text = fi.read()
                if os.path.exists(dst):
                    with open(dst) as fo:
                        if fo.read() == text:
                            continue
                with open(dst, "w") as fo:
                    fo.write(text)
            path = os.path.join(kernels, fname)
            with open(path) as f:
                text = f.read()
            if text.count(old) != 1:
                results.append((name, False, "the text to mutate is not in %s exactly once: update mutations.py" % fname))
                print("MISSING  %s" % name, flush=True)
                continue
            with open(path, "w") as f:
                f.write(text.replace(old, new))
            t0 = time.time()
            log = os.path.join(build, "mutation.log")
            rc = run(configure, log)
            if rc == 0:
                rc = run(["cmake", "--build", build, "--target", "esm2j_kernel_tests_emu", "--parallel",
                          os.environ.get("ESM2J_EMU_JOBS", "2")], log)
            if rc != 0:
                with open(log) as f:
                    tail = f.read()[-1500:]
                results.append((name, False, "the mutant did not build:\n" + tail))
                print("NO BUILD %s" % name, flush=True)
                continue
            test_log = os.path.join(build, "mutation-test.log")
            env = dict(os.environ, UBSAN_OPTIONS="print_stacktrace=0:halt_on_error=1")
            rc = run([tests, "--fail-fast", "--only", test], test_log, env=env)
            with open(test_log, errors="replace") as f:
                out = f.read()
            pattern, how = CAUGHT_BY[kind]
            hit = re.search(pattern, out, re.M)
            evidence = ""
            if hit:
                line = out[out.rfind("\n", 0, hit.start()) + 1: out.find("\n", hit.end())]
                evidence = line.strip()[:220]
            caught = rc != 0 and hit is not None
            if caught:
                detail = "caught by %s (%.0f s): %s" % (how, time.time() - t0, evidence)
            elif rc != 0:
                first = next((l for l in out.splitlines() if l.startswith(("FAIL", "esm2j-emu:"))), out[-300:])
                detail = "the tests failed, but not by %s: %s" % (how, first.strip()[:220])
            else:
                detail = "NOT CAUGHT: the %s tests passed with this bug" % test
            results.append((name, caught, detail))
            print("%-8s %s\n         %s" % ("CAUGHT" if caught else "MISSED", name, detail), flush=True)
    finally:
        if not keep:
            shutil.rmtree(kernels, ignore_errors=True)
    missed = [r for r in results if not r[1]]
    print("\n%d of %d planted bugs caught as expected in %.0f s" % (len(results) - len(missed), len(results),
                                                                   time.time() - started))
    for name, _, detail in missed:
        print("MISSED %s: %s" % (name, detail))
    return 0 if not missed and results else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
