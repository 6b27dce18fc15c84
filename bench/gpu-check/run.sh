#!/usr/bin/env bash
# The GPU check of libesm2j, in one command of under 6 minutes on an H100/H200:
#
#   bench/gpu-check/run.sh OUTDIR
#
# 1. builds the library and esm2j_selftest for this GPU's architecture (CMake + Ninja), against the
#    cuBLAS/cuDNN of PyTorch's nvidia packages (or ESM2J_NVIDIA_ROOTS, or .deps/nvidia);
#    a build carried in the tree (ESM2J_PREBUILT=build/native with esm2j_selftest in it) skips this;
# 2. runs the self-test: every op (fast + reference, fp32/fp16/bf16) against the CPU, parity with the
#    fair-esm test data (fp32, bf16, fp16; packed, one sequence per batch, device outputs, each
#    attention backend, reference kernels); then, separately timed, the benchmarks (shapes 8M..15B,
#    the GEMM rate, flash vs reference vs cuDNN attention); between them the batch-invariance check
#    (esm2j_selftest --invariance: the same sequences in three batch compositions must give the same bits);
# 3. runs compute-sanitizer memcheck on a small fp32 + bf16 parity run;
# 4. JAVA_CHECK: the Java end-to-end check (added by the Java team; skipped without a java);
# 5. prints one short table. Full logs: OUTDIR/{machine,build,selftest,invariance,bench,memcheck,java}.log.
#
# Test data: ESM2J_TESTDATA, else testdata/, shared/testdata or .carry/testdata in the tree, else ../shared/testdata.
# Prepare the carried files on the build machine with bench/gpu-check/prepare.sh (jar + jlinked runtime).
# Time limits in seconds: the whole script ESM2J_TOTAL_LIMIT (350: every step also stops when that is
# spent), and per step ESM2J_BUILD_LIMIT (90), ESM2J_SELFTEST_LIMIT (100), ESM2J_INVARIANCE_LIMIT (60), ESM2J_BENCH_LIMIT (85),
# ESM2J_MEMCHECK_LIMIT (45), ESM2J_JAVA_LIMIT (100).
set -uo pipefail

out="${1:?usage: bench/gpu-check/run.sh OUTDIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
started=$(date +%s)
elapsed() { echo $(( $(date +%s) - started )); }
# Every step runs under min(its own limit, what is left of the whole budget), so the script ends in time.
budget="${ESM2J_TOTAL_LIMIT:-350}"
limit() { local left=$(( budget - $(elapsed) )); [ "$left" -lt 1 ] && left=1; [ "$1" -lt "$left" ] && echo "$1" || echo "$left"; }
table=()
note() { table+=("$1"); echo "== $1"; }

# ---- the machine ----
{
    date -u
    nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version,clocks.max.sm --format=csv 2>&1 || true
    nvcc --version 2>&1 | tail -1 || true
} | tee "$out/machine.log"
gpu_name="$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)"
cc="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d '.')"
arch="${ESM2J_CUDA_ARCHITECTURES:-${cc:-90}}"

# ---- cuBLAS / cuDNN from PyTorch's environment ----
py_nvidia="$(python3 -c 'import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))' 2>/dev/null || true)"
export ESM2J_NVIDIA_ROOTS="${ESM2J_NVIDIA_ROOTS:+$ESM2J_NVIDIA_ROOTS:}${py_nvidia}:$root/.deps/nvidia"
for d in "$py_nvidia"/nvidia/cu13/lib "$py_nvidia"/nvidia/cublas/lib "$py_nvidia"/nvidia/cudnn/lib; do
    [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
echo "nvidia packages: ${py_nvidia:-none}" | tee -a "$out/machine.log"

# ---- build ----
bin=""
if [ -n "${ESM2J_PREBUILT:-}" ] && [ -x "$ESM2J_PREBUILT/esm2j_selftest" ]; then
    bin="$ESM2J_PREBUILT"
    note "build: using prebuilt $bin"
else
    build="${ESM2J_BUILD_DIR:-/tmp/esm2j-build}"
    t0=$(date +%s)
    if ESM2J_CUDA_ARCHITECTURES="$arch" ESM2J_SKIP_CTEST=1 timeout "$(limit "${ESM2J_BUILD_LIMIT:-90}")" \
        scripts/build-native.sh "$build" >"$out/build.log" 2>&1; then
        bin="$build"
        note "build: ok, sm_$arch, $(( $(date +%s) - t0 )) s"
    else
        note "build: FAILED after $(( $(date +%s) - t0 )) s (tail of build.log below)"
        tail -30 "$out/build.log"
    fi
fi
[ -n "$bin" ] && [ -f "$bin/esm2j-configure.log" ] && grep -E "^-- esm2j:" "$bin/esm2j-configure.log" | tee -a "$out/build.log"

# ---- test data ----
data="${ESM2J_TESTDATA:-}"
for candidate in "$root/testdata" "$root/shared/testdata" "$root/.carry/testdata" "$root/../shared/testdata"; do
    if [ -z "$data" ] && [ -f "$candidate/esm2-tiny-L2-E64-H4/expected.safetensors" ]; then data="$candidate"; fi
done
[ -n "$data" ] || note "testdata: NOT FOUND (carry it as .carry/testdata): parity skipped"

# ---- self-test: correctness (ops + parity), then speed, each with its own time limit ----
selftest_rc=99
bench_rc=99
invariance_rc=99
if [ -n "$bin" ]; then
    args=(--ops)
    [ -n "$data" ] && args+=(--parity "$data")
    t0=$(date +%s)
    timeout "$(limit "${ESM2J_SELFTEST_LIMIT:-100}")" "$bin/esm2j_selftest" "${args[@]}" >"$out/selftest.log" 2>&1
    selftest_rc=$?
    if [ $selftest_rc -eq 124 ]; then
        note "selftest: TIMED OUT after $(( $(date +%s) - t0 )) s (partial log kept)"
    else
        note "selftest: exit $selftest_rc in $(( $(date +%s) - t0 )) s ($(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out/selftest.log" | tail -1))"
    fi
    # Batch invariance: the same 600 sequences in three batch compositions, bitwise (fails the run on any difference).
    t0=$(date +%s)
    timeout "$(limit "${ESM2J_INVARIANCE_LIMIT:-60}")" "$bin/esm2j_selftest" --invariance >"$out/invariance.log" 2>&1
    invariance_rc=$?
    note "batch invariance: exit $invariance_rc in $(( $(date +%s) - t0 )) s$([ $invariance_rc -eq 124 ] && echo ' (TIMED OUT: partial log kept)')"
    t0=$(date +%s)
    timeout "$(limit "${ESM2J_BENCH_LIMIT:-85}")" "$bin/esm2j_selftest" --bench >"$out/bench.log" 2>&1
    bench_rc=$?
    note "bench: exit $bench_rc in $(( $(date +%s) - t0 )) s$([ $bench_rc -eq 124 ] && echo ' (TIMED OUT: partial log kept)')"
fi

# ---- compute-sanitizer memcheck on a small parity run ----
if [ -n "$bin" ] && [ -n "$data" ] && command -v compute-sanitizer >/dev/null; then
    t0=$(date +%s)
    timeout "$(limit "${ESM2J_MEMCHECK_LIMIT:-45}")" compute-sanitizer --tool memcheck --leak-check no --error-exitcode 9 \
        "$bin/esm2j_selftest" --parity "$data" --quick >"$out/memcheck.log" 2>&1
    rc=$?
    errors="$(grep -E 'ERROR SUMMARY' "$out/memcheck.log" | tail -1)"
    case $rc in
        0) note "memcheck: clean (${errors:-no summary}), $(( $(date +%s) - t0 )) s" ;;
        124) note "memcheck: TIMED OUT" ;;
        *) note "memcheck: exit $rc (${errors:-see memcheck.log})" ;;
    esac
else
    note "memcheck: skipped (no build, no test data or no compute-sanitizer)"
fi

# ---- JAVA_CHECK: the Java end-to-end check (the Java team fills this in) ----
# Contract: libesm2j.so is at "$bin/libesm2j.so", the test data at "$data", logs go to "$out/java.log".
# Bring a jlinked runtime as .carry/jdk when the GPU machine has no JDK.
java_bin="$(command -v java || true)"
if [ -n "$java_bin" ] && ! "$java_bin" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    java_bin=""   # too old for esm2j
fi
if [ -z "$java_bin" ] && [ ! -x "$root/.carry/jdk/bin/java" ] && [ -f "$root/.carry/jdk.tar.xz" ]; then
    mkdir -p /tmp/esm2j-jdk && tar -C /tmp/esm2j-jdk -xJf "$root/.carry/jdk.tar.xz" && java_bin=/tmp/esm2j-jdk/jdk/bin/java
fi
[ -z "$java_bin" ] && [ -x "$root/.carry/jdk/bin/java" ] && java_bin="$root/.carry/jdk/bin/java"
if [ -z "$java_bin" ]; then
    note "java check: skipped (no java on this machine and no .carry/jdk)"
elif [ -x "$root/bench/gpu-check/java-check.sh" ] && [ -n "$bin" ]; then
    ESM2J_LIBRARY="$bin/libesm2j.so" ESM2J_TESTDATA="$data" JAVA="$java_bin" \
        timeout "$(limit "${ESM2J_JAVA_LIMIT:-100}")" "$root/bench/gpu-check/java-check.sh" >"$out/java.log" 2>&1
    note "java check: exit $?"
else
    note "java check: skipped (no bench/gpu-check/java-check.sh yet)"
fi
# ---- end JAVA_CHECK ----

# ---- the table ----
echo
echo "================ esm2j GPU check: ${gpu_name:-unknown GPU}, $(date -u +%Y-%m-%d), $(elapsed) s ================"
for line in "${table[@]}"; do echo "$line"; done
# The self-test's own summaries (failures, parity lines, benchmarks); the raw lines when it was cut short.
for log in "$out/selftest.log" "$out/invariance.log" "$out/bench.log"; do
    [ -f "$log" ] || continue
    if grep -q '==== summary' "$log"; then
        sed -n '/==== summary/,$p' "$log" | grep -v '^====' | cut -c1-160
    else
        grep -E '^(FAIL|ok   esm2|bench|note)' "$log" | cut -c1-160
    fi
done
[ $selftest_rc -eq 0 ] && [ $invariance_rc -eq 0 ] && exit 0 || exit 1
