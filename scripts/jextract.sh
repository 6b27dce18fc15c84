#!/usr/bin/env bash
# Regenerates the FFM bindings in java/src/main/java/org/esm2j/cuda/ffi with jextract, built here from its source:
#   Esm2jH, esm2j_model_config, esm2j_encode_request   from cuda/include/esm2j.h (everything it declares)
#   CudaRuntimeH, cudaDeviceProp, CUuuid_st            from the CUDA toolkit's cuda_runtime_api.h, filtered to the
#                                                      functions and constants esm2j binds (listed below)
#
#   scripts/jextract.sh JEXTRACT_SRC            regenerate in place
#   scripts/jextract.sh --check JEXTRACT_SRC    regenerate into a temporary folder and diff against the committed code
#
# JEXTRACT_SRC is a checkout of https://github.com/openjdk/jextract (the argument, or the JEXTRACT_SRC environment
# variable). Fetching it is not part of this script: the bindings are committed, so building and testing esm2j never
# needs jextract (CI reaches no source host); BindingsHeaderTest checks the committed bindings against the headers.
#
# Environment: JAVA_HOME (JDK 25; default /usr/lib/jvm/temurin-25-jdk-amd64), CUDA_HOME (default /usr/local/cuda),
# LLVM_HOME (the libclang installation; default /usr/lib/llvm-16, installed from Debian's libclang1-16 and
# libclang-common-16-dev when missing), JEXTRACT_REVISION (the commit of JEXTRACT_SRC when it is not a git checkout).
#
# jextract is compiled with plain javac (one module, no Gradle, no jlink) and runs against the system libclang:
# it loads libclang.so through java.library.path, and Debian ships only libclang.so.1, so a private symlink is made.
# No --library option: org.esm2j.cuda.NativeLibrary System.load()s libesm2j and the libcudart it links first, and
# the generated SYMBOL_LOOKUP (the loader lookup) finds their symbols.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
target="$root/java/src/main/java/org/esm2j/cuda/ffi"
package="org.esm2j.cuda.ffi"

# What Java binds of the CUDA runtime (org.esm2j.cuda: devices, streams, events, pinned memory, errors), plus a few
# queries kept for diagnostics (cudaGetDevice, cudaMemGetInfo, stream/event queries, event timing). jextract
# generates only what the filters name: a function Java starts calling must be added here first.
cuda_functions=(
    cudaRuntimeGetVersion cudaDriverGetVersion cudaGetErrorString cudaGetErrorName cudaGetLastError
    cudaGetDeviceCount cudaGetDeviceProperties cudaDeviceGetAttribute cudaDeviceGetPCIBusId cudaSetDevice
    cudaGetDevice cudaMemGetInfo
    cudaStreamCreateWithFlags cudaStreamDestroy cudaStreamSynchronize cudaStreamQuery cudaStreamWaitEvent
    cudaEventCreateWithFlags cudaEventRecord cudaEventQuery cudaEventSynchronize cudaEventElapsedTime cudaEventDestroy
    cudaMalloc cudaFree cudaHostAlloc cudaFreeHost cudaMemcpyAsync
)
cuda_constants=(
    cudaSuccess cudaErrorMemoryAllocation cudaErrorInsufficientDriver cudaErrorNoDevice cudaErrorNotReady
    cudaStreamNonBlocking cudaEventDefault cudaEventBlockingSync cudaEventDisableTiming
    cudaHostAllocDefault cudaHostAllocPortable
    cudaMemcpyHostToDevice cudaMemcpyDeviceToHost cudaMemcpyDefault
    cudaDevAttrMultiProcessorCount cudaDevAttrPciBusId cudaDevAttrPciDeviceId
    cudaDevAttrComputeCapabilityMajor cudaDevAttrComputeCapabilityMinor
)
# cudaGetDeviceProperties' struct, so that Java reads its fields at the header's offsets; CUuuid_st is its uuid
# field's type (jextract refuses a struct whose member type is excluded). Both are structs with a tag: jextract
# selects a struct, named or anonymous-typedef'd, with --include-struct (--include-typedef generates nothing for it).
cuda_structs=(cudaDeviceProp CUuuid_st)

die() {
    echo "jextract.sh: $*" >&2
    exit 1
}

check=0
if [ "${1:-}" = "--check" ]; then
    check=1
    shift
fi
src="${1:-${JEXTRACT_SRC:-}}"
[ -n "$src" ] || die "give a checkout of https://github.com/openjdk/jextract (argument or JEXTRACT_SRC)"
[ -f "$src/src/main/java/module-info.java" ] || die "$src is not a jextract source checkout (no src/main/java/module-info.java)"
src="$(cd "$src" && pwd)"

java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
"$java_home/bin/javac" -version 2>&1 | grep -qE 'javac (2[5-9]|[3-9][0-9])' \
    || die "needs JDK 25's javac: set JAVA_HOME (now $java_home)"

cuda_home="${CUDA_HOME:-/usr/local/cuda}"
cuda_header="$cuda_home/include/cuda_runtime_api.h"
[ -f "$cuda_header" ] || die "$cuda_header not found: install the CUDA 13 toolkit headers or set CUDA_HOME"

# ---- libclang: the shared library, and clang's builtin headers (stddef.h, limits.h, which the CUDA headers need) ----
llvm_home="${LLVM_HOME:-/usr/lib/llvm-16}"
have_libclang() {
    [ -e "$llvm_home/lib/libclang.so.1" ] && compgen -G "$llvm_home/lib/clang/*/include/stddef.h" >/dev/null
}
if ! have_libclang; then
    [ "$llvm_home" = /usr/lib/llvm-16 ] && command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ] \
        || die "no libclang in $llvm_home: install libclang1-16 and libclang-common-16-dev (Debian/Ubuntu) or set LLVM_HOME"
    echo "jextract.sh: installing libclang1-16 and libclang-common-16-dev" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends libclang1-16 libclang-common-16-dev >/dev/null \
        || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends libclang1-16 libclang-common-16-dev >/dev/null; }
    have_libclang || die "libclang1-16 installed but $llvm_home/lib/libclang.so.1 or clang's headers are missing"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# ---- jextract, from source ----
version="$(sed -n 's/^def jextract_version = "\(.*\)"/\1/p' "$src/build.gradle")"
[ -n "$version" ] || die "no jextract_version in $src/build.gradle"
revision="${JEXTRACT_REVISION:-}"
if [ -z "$revision" ] && [ -e "$src/.git" ]; then revision="$(git -C "$src" rev-parse --short=12 HEAD)"; fi
classes="$work/jextract/classes"
# --module-version: jextract --version prints the module's version and fails without one.
"$java_home/bin/javac" -nowarn -d "$classes" --module-version "$version" $(find "$src/src/main/java" -name '*.java') \
    || die "javac failed on $src"
cp -r "$src/src/main/resources/." "$classes/"
mkdir -p "$work/jextract/lib"
ln -s "$llvm_home/lib/libclang.so.1" "$work/jextract/lib/libclang.so"
jextract() {
    "$java_home/bin/java" --enable-native-access=org.openjdk.jextract -Djava.library.path="$work/jextract/lib" \
        -p "$classes" -m org.openjdk.jextract/org.openjdk.jextract.JextractTool "$@"
}

clang_version="$(jextract --version 2>&1 | sed -n 's/^LibClang version .*clang version \([0-9.]*\).*/\1/p')"
cuda_version="$(sed -n 's/^#define CUDART_VERSION *\([0-9]*\).*/\1/p' "$cuda_header")"
[ -n "$clang_version" ] && [ -n "$cuda_version" ] || die "could not read the libclang or CUDA version"
versions="jextract $version${revision:+ (openjdk/jextract@$revision)}, libclang $clang_version, CUDA $((cuda_version / 1000)).$((cuda_version % 1000 / 10)) headers"
echo "jextract.sh: $versions"

out="$work/out"
generated="$out/${package//.//}"

# Replaces jextract's "// Generated by jextract" with the versions and the header each file came from.
stamp() {
    local header="$1"
    shift
    for f in "$@"; do
        sed -i "1s|^// Generated by jextract\$|// Generated from $header by scripts/jextract.sh with $versions: do not edit, regenerate.|" "$f"
    done
}

# ---- esm2j.h: everything it declares, as jextract lists it ----
esm_header="$root/cuda/include/esm2j.h"
# (Its warnings that the opaque handles are skipped are expected: they are left out below.)
jextract --dump-includes "$work/esm2j.includes" "$esm_header" >/dev/null 2>"$work/dump.log" \
    || { cat "$work/dump.log" >&2; die "jextract could not parse $esm_header"; }
esm_args=()
while read -r option name _; do
    # Opaque handles (typedef struct X X;) have no layout to generate: Java holds them as MemorySegments.
    if [ "$option" = --include-struct ] && grep -qE "typedef struct $name $name;" "$esm_header"; then continue; fi
    esm_args+=("$option" "$name")
done < <(grep -F "# header: $esm_header" "$work/esm2j.includes")
[ "${#esm_args[@]}" -gt 0 ] || die "jextract listed nothing in $esm_header"
jextract --output "$out" --target-package "$package" --header-class-name Esm2jH "${esm_args[@]}" "$esm_header"
stamp "cuda/include/esm2j.h" "$generated"/*.java

# ---- cuda_runtime_api.h, filtered ----
cuda_args=(-I "$cuda_home/include")
for f in "${cuda_functions[@]}"; do cuda_args+=(--include-function "$f"); done
for c in "${cuda_constants[@]}"; do cuda_args+=(--include-constant "$c"); done
for s in "${cuda_structs[@]}"; do cuda_args+=(--include-struct "$s"); done
jextract --output "$out" --target-package "$package" --header-class-name CudaRuntimeH "${cuda_args[@]}" "$cuda_header"
cuda_files=("$generated/CudaRuntimeH.java" "$generated/CudaRuntimeH\$shared.java")
for s in "${cuda_structs[@]}"; do cuda_files+=("$generated/$s.java"); done
stamp "CUDA's cuda_runtime_api.h" "${cuda_files[@]}"
! grep -l '^// Generated by jextract$' "$generated"/*.java || die "these generated files were not stamped (a new file?)"

if [ "$check" = 1 ]; then
    diff -ru "$target" "$generated" && echo "jextract.sh: the committed bindings are jextract's output"
    exit
fi
rm -rf "$target"
mkdir -p "$target"
cp "$generated"/*.java "$target/"
echo "jextract.sh: regenerated $(ls "$target" | wc -l) files in ${target#"$root"/}"
