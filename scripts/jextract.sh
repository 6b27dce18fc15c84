#!/usr/bin/env bash
# Regenerates the FFM bindings of org.esm2j.cuda.ffi with jextract (https://jdk.java.net/jextract, for JDK 22+):
#   Esm2jH (+ esm2j_model_config, esm2j_encode_request)  from cuda/include/esm2j.h
#   CudaRuntimeH                                         from cuda_runtime_api.h, restricted to the functions and
#                                                        constants listed in java/src/main/jextract/cuda_runtime_subset.h
#
#   scripts/jextract.sh            regenerate in place (and refresh the mirrored copy of esm2j.h)
#   scripts/jextract.sh --check    regenerate into a temporary folder and show how it differs from the committed code
#
# Environment: JEXTRACT (the jextract launcher; default: jextract on PATH), CUDA_HOME (default /usr/local/cuda; without
# its headers, CudaRuntimeH is generated from cuda_runtime_subset.h itself).
#
# The committed bindings were written by hand in jextract's layout (jextract is not installable on the build machine):
# the same class names, one holder class per function with its FunctionDescriptor and MethodHandle, the same
# static wrappers, no --library option (NativeLibrary System.load()s libesm2j and its libcudart first, and the
# generated SYMBOL_LOOKUP is the loader lookup). A regenerated tree may differ in formatting and in extras jextract
# adds ($address accessors of variables, typedef layouts); BindingsMirrorTest checks what the code relies on.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mirror="$root/java/src/main/jextract"
target="$root/java/src/main/java/org/esm2j/cuda/ffi"
package="org.esm2j.cuda.ffi"
check=0
[ "${1:-}" = "--check" ] && check=1

jextract="${JEXTRACT:-$(command -v jextract || true)}"
if [ -z "$jextract" ] || [ ! -x "$jextract" ]; then
    echo "jextract.sh: jextract not found: download it from https://jdk.java.net/jextract and put it on PATH or set JEXTRACT" >&2
    exit 1
fi
cuda_home="${CUDA_HOME:-/usr/local/cuda}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# ---- esm2j.h: every function, constant and struct of the ABI ----
cp "$root/cuda/include/esm2j.h" "$work/esm2j.h"
esm_args=()
for f in $(grep -o 'ESM2J_API [^(]*(' "$work/esm2j.h" | grep -o 'esm2j_[a-z_]*' | sort -u); do esm_args+=(--include-function "$f"); done
for c in $(grep -oE '\bESM2J_[A-Z0-9_]+\s*=' "$work/esm2j.h" | grep -oE 'ESM2J_[A-Z0-9_]+' | sort -u); do esm_args+=(--include-constant "$c"); done
esm_args+=(--include-constant ESM2J_ABI_VERSION)
for t in esm2j_model_config esm2j_encode_request; do esm_args+=(--include-typedef "$t"); done
for t in esm2j_model esm2j_workspace; do esm_args+=(--include-typedef "$t"); done
"$jextract" --output "$work/out" --target-package "$package" --header-class-name Esm2jH "${esm_args[@]}" "$work/esm2j.h"

# ---- the CUDA runtime subset ----
cuda_args=()
for f in $(grep -oE '^(cudaError_t|const char\*)\s+cuda[A-Za-z]+\(' "$mirror/cuda_runtime_subset.h" | grep -oE 'cuda[A-Za-z]+' | sort -u); do
    cuda_args+=(--include-function "$f")
done
for c in $(grep -oE '^#define (cuda[A-Za-z]+)' "$mirror/cuda_runtime_subset.h" | awk '{print $2}' | sort -u); do
    cuda_args+=(--include-constant "$c")
done
if [ -f "$cuda_home/include/cuda_runtime_api.h" ]; then
    # What the selected functions depend on must be included too, or jextract refuses them.
    cuda_args+=(--include-struct cudaDeviceProp --include-struct CUuuid_st --include-typedef cudaUUID_t
                --include-typedef cudaStream_t --include-typedef cudaEvent_t --include-typedef cudaError_t)
    header="$cuda_home/include/cuda_runtime_api.h"
    cuda_args+=(-I "$cuda_home/include")
else
    echo "jextract.sh: $cuda_home/include/cuda_runtime_api.h not found: generating CudaRuntimeH from cuda_runtime_subset.h" >&2
    cuda_args+=(--include-typedef cudaStream_t --include-typedef cudaEvent_t --include-typedef cudaError_t)
    header="$mirror/cuda_runtime_subset.h"
fi
"$jextract" --output "$work/out" --target-package "$package" --header-class-name CudaRuntimeH "${cuda_args[@]}" "$header"

generated="$work/out/${package//.//}"
if [ "$check" = 1 ]; then
    diff -ru "$target" "$generated" && echo "jextract.sh: the committed bindings match jextract's output"
    exit 0
fi
rm -rf "$target"
mkdir -p "$target"
cp "$generated"/*.java "$target/"
cp "$work/esm2j.h" "$mirror/esm2j.h"
echo "jextract.sh: regenerated $(ls "$target" | wc -l) files in ${target#$root/}; run BindingsMirrorTest and the no-GPU FFM test"
