#!/usr/bin/env bash
# Runs every kernel of cuda/src on the CPU under the emulation runtime (cuda/emu) against the C++ CPU
# reference (cuda/test/op_tests.cpp): no GPU and no nvcc needed, only g++, python3, cmake and the CUDA
# headers. About 2.5 minutes on 2 cores, the build included. Then, when cublasLt.h is at hand (for
# gemm.cpp's types and the emulated cuBLASLt), the whole library under emulation through esm2j_encode against
# fair-esm's outputs, and its batch invariance (the same sequences in other batches give the same bits).
#
#   scripts/test-kernels-on-cpu.sh [--only NAME] [BUILD_DIR]     (default build/emu)
#
# Exit status 0 when every kernel passes; otherwise non-zero, with the failing kernel, dtype, shape and
# worst element (or the launch's failure: kernel, block, thread and why) in the last lines printed.
# Environment: ESM2J_EMU_SCHEDULES, ESM2J_EMU_SEED (see cuda/README.md, "Kernels on the CPU"),
# ESM2J_EMU_KERNEL_DIR (kernel sources from another folder: the mutation script's copies),
# ESM2J_EMU_JOBS (parallel compile jobs, default 2).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
only=()
build_dir="$root/build/emu"
while [ $# -gt 0 ]; do
    case "$1" in
        --only) only=(--only "$2"); shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) build_dir="$1"; shift ;;
    esac
done
case "$build_dir" in /*) ;; *) build_dir="$PWD/$build_dir" ;; esac

command -v cmake >/dev/null || { echo "test-kernels-on-cpu: cmake not found" >&2; exit 2; }
command -v python3 >/dev/null || { echo "test-kernels-on-cpu: python3 not found (it rewrites the launches)" >&2; exit 2; }
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
if [ -f "$build_dir/CMakeCache.txt" ] && [ "${#generator[@]}" -gt 0 ] && ! grep -q "CMAKE_GENERATOR:INTERNAL=Ninja" "$build_dir/CMakeCache.txt"; then
    rm -rf "$build_dir"
fi
kernel_args=()
if [ -n "${ESM2J_EMU_KERNEL_DIR:-}" ]; then kernel_args=(-DESM2J_EMU_KERNEL_DIR="$ESM2J_EMU_KERNEL_DIR"); fi

t0=$(date +%s)
mkdir -p "$build_dir"
if ! cmake -S "$root/cuda/emu" -B "$build_dir" "${generator[@]}" "${kernel_args[@]}" >"$build_dir/configure.log" 2>&1; then
    cat "$build_dir/configure.log" >&2
    echo "test-kernels-on-cpu: FAIL: configuring the emulated build (log above)" >&2
    exit 2
fi
grep -E "esm2j-emu:" "$build_dir/configure.log" || true
# The op tests, and the library's parity test when cublasLt.h was found (not the shared libraries for Java).
targets=(esm2j_kernel_tests_emu)
if grep -q "esm2j_selftest_emu" "$build_dir/CMakeFiles/TargetDirectories.txt" 2>/dev/null; then targets+=(esm2j_selftest_emu); fi
if ! cmake --build "$build_dir" --target "${targets[@]}" --parallel "${ESM2J_EMU_JOBS:-2}" >"$build_dir/build.log" 2>&1; then
    grep -E "error|rewrite.py|FAILED" "$build_dir/build.log" | head -40 >&2
    echo "test-kernels-on-cpu: FAIL: building the kernels for the CPU (full log: $build_dir/build.log)" >&2
    exit 2
fi
t1=$(date +%s)
echo "test-kernels-on-cpu: built in $((t1 - t0)) s; running the op tests under emulation"

log="$build_dir/kernel-tests.log"
set +e
"$build_dir/esm2j_kernel_tests_emu" "${only[@]}" >"$log" 2>&1
rc=$?
set -e
t2=$(date +%s)
# The failures, named: the summary's FAIL lines, or the launch that stopped the run and why.
report_failure() {  # LOG RC SECONDS WHAT
    echo "test-kernels-on-cpu: FAILED: $4 (exit $2, $3 s); log: $1" >&2
    if grep -q '==== summary' "$1"; then
        sed -n '/==== summary/,$p' "$1" >&2
    else
        grep -E "^esm2j-emu:|^CUDA error|^  emulator:|^esm2j error|^FAIL|^ok" "$1" | tail -12 >&2
        tail -3 "$1" >&2
    fi
    exit 1
}
[ $rc -eq 0 ] || report_failure "$log" $rc $((t2 - t1)) "the op tests"
echo "test-kernels-on-cpu: op tests: $(tail -1 "$log") in $((t2 - t1)) s (log: $log)"

# The whole library (esm2j_encode through the ABI) under emulation against fair-esm's outputs for the tiny
# checkpoint, fp32 and bf16: the self-test's --parity --quick. Built only when cublasLt.h is at hand.
data=""
for candidate in "${ESM2J_TESTDATA:-}" "$root/testdata" "$root/../shared/testdata"; do
    if [ -n "$candidate" ] && [ -f "$candidate/esm2-tiny-L2-E64-H4/expected.safetensors" ]; then data="$candidate"; break; fi
done
if [ ! -x "$build_dir/esm2j_selftest_emu" ]; then
    echo "test-kernels-on-cpu: the library's parity under emulation skipped: cublasLt.h not found (scripts/build-native.sh installs it)"
elif [ -z "$data" ]; then
    echo "test-kernels-on-cpu: the library's parity under emulation skipped: no testdata"
elif [ -z "${only[*]}" ]; then
    plog="$build_dir/library-parity.log"
    set +e
    "$build_dir/esm2j_selftest_emu" --parity "$data" --quick >"$plog" 2>&1
    rc=$?
    set -e
    t3=$(date +%s)
    [ $rc -eq 0 ] || report_failure "$plog" $rc $((t3 - t2)) "the library (esm2j_encode) under emulation against fair-esm"
    echo "test-kernels-on-cpu: the library under emulation (esm2j_encode, tiny checkpoint, fp32 + bf16): $(tail -1 "$plog") in $((t3 - t2)) s"
fi
# Batch invariance of the library under emulation (the emulated cuBLASLt's heuristic, like a GPU's, picks other
# algorithms for other row counts): the same sequences in three batch compositions, bitwise equal embeddings.
if [ -x "$build_dir/esm2j_selftest_emu" ] && [ -z "${only[*]}" ]; then
    ilog="$build_dir/batch-invariance.log"
    t3=$(date +%s)
    set +e
    # One schedule per launch: the kernels' schedules were compared above; this is about the algorithms' choice.
    ESM2J_EMU_SCHEDULES="${ESM2J_EMU_SCHEDULES:-forward}" "$build_dir/esm2j_selftest_emu" --invariance --quick >"$ilog" 2>&1
    rc=$?
    set -e
    t4=$(date +%s)
    [ $rc -eq 0 ] || report_failure "$ilog" $rc $((t4 - t3)) "batch invariance of the library under emulation"
    echo "test-kernels-on-cpu: batch invariance under emulation (tiny model, fp32 + bf16): $(tail -1 "$ilog") in $((t4 - t3)) s"
fi
