#!/usr/bin/env bash
# Runs every kernel of cuda/src on the CPU under the emulation runtime (cuda/emu) against the C++ CPU
# reference (cuda/test/op_tests.cpp): no GPU and no nvcc needed, only g++, python3, cmake and the CUDA
# headers. About 1.5 minutes on 2 cores, the build included.
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
if ! cmake --build "$build_dir" --parallel "${ESM2J_EMU_JOBS:-2}" >"$build_dir/build.log" 2>&1; then
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
if [ $rc -eq 0 ]; then
    echo "test-kernels-on-cpu: $(tail -1 "$log") in $((t2 - t1)) s (log: $log)"
    exit 0
fi
# The failures, named: the summary's FAIL lines, or the launch that stopped the run and why.
echo "test-kernels-on-cpu: FAILED (exit $rc, $((t2 - t1)) s); log: $log" >&2
if grep -q '==== summary' "$log"; then
    sed -n '/==== summary/,$p' "$log" >&2
else
    grep -E "^esm2j-emu:|^CUDA error|^  emulator:|^FAIL|^ok" "$log" | tail -12 >&2
    tail -3 "$log" >&2
fi
exit 1
