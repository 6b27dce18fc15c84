#!/usr/bin/env bash
# CI check of issue 11's "the first command builds the library": a fresh copy of the tracked tree, on a machine
# with nvcc (a GPU is not needed), builds libesm2j.so through bin/esm2j on first use — one line on stderr, the log
# kept — and does not build again on the second command. Skips (exit 0, says so) without nvcc.
#
#   scripts/test-launcher-builds-native.sh
#
# Reuses the jar already built (java/target/esm2j.jar, copied and made newer than the sources so the launcher does
# not rebuild it) and the cuBLAS/cuDNN of .deps/nvidia (ESM2J_NVIDIA_ROOTS), and builds one architecture (80) to
# stay around a minute on 2 cores. Prints "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nvcc_bin="$(command -v nvcc || true)"
[ -z "$nvcc_bin" ] && [ -x /usr/local/cuda/bin/nvcc ] && nvcc_bin=/usr/local/cuda/bin/nvcc
if [ -z "$nvcc_bin" ]; then
    echo "test-launcher: nvcc not found: skipped"
    exit 0
fi
[ -f "$root/java/target/esm2j.jar" ] || { echo "test-launcher: build the jar first (mvn -pl java -am package)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
clone="$work/esm2j"
mkdir -p "$clone"
(cd "$root" && git ls-files -z | xargs -0 tar -cf - 2>/dev/null) | tar -C "$clone" -xf -
mkdir -p "$clone/java/target"
cp "$root/java/target/esm2j.jar" "$clone/java/target/esm2j.jar"
touch -d '+1 minute' "$clone/java/target/esm2j.jar" 2>/dev/null || touch "$clone/java/target/esm2j.jar"
export ESM2J_CUDA_ARCHITECTURES="${ESM2J_CUDA_ARCHITECTURES:-80}"
export ESM2J_NVIDIA_ROOTS="$root/.deps/nvidia${ESM2J_NVIDIA_ROOTS:+:$ESM2J_NVIDIA_ROOTS}"
unset ESM2J_LIBRARY

passed=0
failed=0
check() {  # check NAME CONDITION-EXIT-CODE DETAIL
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1: $3"; fi
}

t0=$(date +%s)
"$clone/bin/esm2j" devices >"$work/first.out" 2>"$work/first.err"
rc=$?
check "first command exits 0" "$rc" "exit $rc; $(tail -3 "$work/first.err")"
[ -f "$clone/build/native/libesm2j.so" ]; check "the library was built in build/native" $? "$(tail -5 "$clone/build/native/build.log" 2>/dev/null)"
[ -s "$clone/build/native/build.log" ]; check "the build log is kept" $? "no build/native/build.log"
n="$(grep -c 'building the CUDA library' "$work/first.err")"
# The JVM's own notice about the incubating Vector API is not ours to count.
[ "$n" -eq 1 ] && [ "$(grep -v 'building the CUDA library' "$work/first.err" | grep -vc '^WARNING: Using incubator modules')" -eq 0 ]
check "exactly one line on stderr about the build, nothing else" $? "$(cat "$work/first.err")"
grep -q "Native library: $clone/build/native/libesm2j.so" "$work/first.out"
check "the launcher's library is the one loaded" $? "$(head -3 "$work/first.out")"
echo "     (first command with the build: $(( $(date +%s) - t0 )) s)"

"$clone/bin/esm2j" devices >"$work/second.out" 2>"$work/second.err"
! grep -q 'building' "$work/second.err"; check "the second command does not build again" $? "$(cat "$work/second.err")"

touch "$clone/cuda/src/api.cpp"
"$clone/bin/esm2j" devices >/dev/null 2>"$work/third.err"
grep -q 'building the CUDA library' "$work/third.err"; check "a changed source rebuilds it" $? "$(cat "$work/third.err")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
