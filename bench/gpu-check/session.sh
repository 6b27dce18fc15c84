#!/usr/bin/env bash
# One GPU session of the device tool, in two prepared calls (the machine stays warm between them):
#
#   bench/gpu-check/session.sh check OUTDIR     run.sh (build, op tests, parity, bench, batch invariance, memcheck,
#                                               Java check), then verify-check.sh and long-sequences.sh against
#                                               the library run.sh built                      (about 5 minutes)
#   bench/gpu-check/session.sh compare OUTDIR   bench/compare/compare.py --shapes ${ESM2J_COMPARE_SHAPES:-150M,650M,3B}
#                                               --device cuda, esm2j with automatic sizing vs PyTorch bf16
#
# Prepare here first: bench/gpu-check/prepare.sh, then carry [".carry"] (prepare.sh puts the jar there too).
# Everything a step writes stays under OUTDIR; each step's last lines are printed.
set -uo pipefail

what="${1:?usage: session.sh check|compare OUTDIR}"
out="${2:?usage: session.sh check|compare OUTDIR}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# The jar: carried as .carry/esm2j.jar (so that a Maven build here cannot race the copy) and marked newer than
# the sources, which the copy to the GPU machine may have touched after it; bin/esm2j would otherwise rebuild it.
mkdir -p java/target
[ -f .carry/esm2j.jar ] && cp .carry/esm2j.jar java/target/esm2j.jar
touch java/target/esm2j.jar
export ESM2J_JAR="$root/java/target/esm2j.jar"

# Java: the jlinked runtime from prepare.sh (the GPU machine has no JDK 25).
if [ ! -x /tmp/esm2j-jdk/jdk/bin/java ] && [ -f .carry/jdk.tar.xz ]; then
    mkdir -p /tmp/esm2j-jdk && tar -C /tmp/esm2j-jdk -xJf .carry/jdk.tar.xz
fi
export JAVA=/tmp/esm2j-jdk/jdk/bin/java
export JAVA_HOME=/tmp/esm2j-jdk/jdk

# cuBLAS/cuDNN from PyTorch's nvidia packages, as run.sh finds them.
py_nvidia="$(python3 -c 'import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))' 2>/dev/null || true)"
for d in "$py_nvidia"/nvidia/cu13/lib "$py_nvidia"/nvidia/cublas/lib "$py_nvidia"/nvidia/cudnn/lib; do
    [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
export ESM2J_BUILD_DIR="${ESM2J_BUILD_DIR:-/tmp/esm2j-build}"
export ESM2J_LIBRARY="$ESM2J_BUILD_DIR/libesm2j.so"

step() { # name, command...
    local name="$1"; shift
    local t0; t0=$(date +%s)
    echo "==== $name"
    "$@" >"$out/$name.out" 2>&1
    local rc=$?
    tail -"${ESM2J_TAIL:-25}" "$out/$name.out"
    echo "==== $name: exit $rc in $(( $(date +%s) - t0 )) s"
}

case "$what" in
    check)
        ESM2J_TAIL=40 step run bench/gpu-check/run.sh "$out/check"
        [ -f "$ESM2J_LIBRARY" ] || { echo "no library at $ESM2J_LIBRARY: verify and long-sequences skipped"; exit 1; }
        step verify bench/gpu-check/verify-check.sh "$out/verify"
        step long bench/gpu-check/long-sequences.sh "$out/long"
        ;;
    compare)
        [ -f "$ESM2J_LIBRARY" ] || ESM2J_CUDA_ARCHITECTURES="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '.')" \
            ESM2J_SKIP_CTEST=1 scripts/build-native.sh "$ESM2J_BUILD_DIR" >"$out/build.log" 2>&1
        ESM2J_TAIL=60 step compare python3 bench/compare/compare.py --shapes "${ESM2J_COMPARE_SHAPES:-150M,650M,3B}" --device cuda \
            --count "${ESM2J_COMPARE_COUNT:-4000}" --workdir /tmp/esm2j-compare --json "$out/compare.json"
        ;;
    *) echo "usage: session.sh check|compare OUTDIR"; exit 2 ;;
esac
