#!/usr/bin/env bash
# Builds the native CUDA library libesm2j.so (and its self-test and no-GPU test) with CMake + Ninja.
#
#   scripts/build-native.sh [BUILD_DIR]        (default: build/native; the library lands in BUILD_DIR/libesm2j.so)
#
# Environment:
#   ESM2J_CUDA_ARCHITECTURES  e.g. "90" (CI builds one architecture); default 80;86;89;90
#   ESM2J_NVIDIA_ROOTS        ':'-separated folders holding an nvidia/ wheel folder (cuBLAS, cuDNN)
#   ESM2J_WITH_CUDNN          ON/OFF (default ON when cuDNN is found)
#   ESM2J_SKIP_CTEST=1        do not run the no-GPU ABI test after building
#   ESM2J_NATIVE_OPTIONAL=1   exit 0 (with a message) instead of failing when the build cannot be done
#
# Without nvcc this prints one line and exits 0: the project builds and runs on the CPU without it.
# cuBLAS and cuDNN come from, in order: ESM2J_NVIDIA_ROOTS, .deps/nvidia, the Python environment's
# nvidia packages, the CUDA toolkit; when cuBLAS or cuDNN is missing they are installed with
# `pip install --target .deps/nvidia` (pip may retry an unreachable index for ~20 s first: normal).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$root/build/native}"
case "$build_dir" in /*) ;; *) build_dir="$PWD/$build_dir" ;; esac

give_up() {
    echo "build-native: $*" >&2
    if [ "${ESM2J_NATIVE_OPTIONAL:-0}" = "1" ]; then exit 0; fi
    exit 1
}

# ---- nvcc ----
nvcc_bin="$(command -v nvcc || true)"
for candidate in "${CUDA_HOME:-}" "${CUDA_PATH:-}" /usr/local/cuda; do
    if [ -z "$nvcc_bin" ] && [ -n "$candidate" ] && [ -x "$candidate/bin/nvcc" ]; then nvcc_bin="$candidate/bin/nvcc"; fi
done
if [ -z "$nvcc_bin" ]; then
    echo "build-native: nvcc not found: skipping the CUDA library (esm2j runs on the CPU without it)"
    exit 0
fi
export CUDACXX="$nvcc_bin"
command -v cmake >/dev/null || give_up "cmake not found (need 3.24+)"

# ---- cuBLAS / cuDNN ----
roots=()
if [ -n "${ESM2J_NVIDIA_ROOTS:-}" ]; then IFS=':' read -r -a roots <<<"$ESM2J_NVIDIA_ROOTS"; fi
roots+=("$root/.deps/nvidia")
if command -v python3 >/dev/null; then
    site="$(python3 -c 'import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))' 2>/dev/null || true)"
    if [ -n "$site" ]; then roots+=("$site"); fi
fi
cuda_root="$(dirname "$(dirname "$nvcc_bin")")"

any_file() {  # true when at least one of the glob patterns matches a file
    local pattern f
    for pattern in "$@"; do
        for f in $pattern; do [ -e "$f" ] && return 0; done
    done
    return 1
}
have_cublas() {
    for r in "${roots[@]}"; do
        any_file "$r/nvidia/cu13/lib/libcublasLt.so.*" "$r/nvidia/cublas/lib/libcublasLt.so.*" && return 0
    done
    any_file "$cuda_root/lib64/libcublasLt.so*" "$cuda_root/targets/*/lib/libcublasLt.so*"
}
have_cudnn() {
    for r in "${roots[@]}"; do any_file "$r/nvidia/cudnn/lib/libcudnn.so.*" && return 0; done
    any_file "$cuda_root/lib64/libcudnn.so*" "/usr/lib/x86_64-linux-gnu/libcudnn.so*"
}

want_cudnn="${ESM2J_WITH_CUDNN:-ON}"
missing=()
have_cublas || missing+=(nvidia-cublas)
if [ "$want_cudnn" != "OFF" ]; then have_cudnn || missing+=(nvidia-cudnn-cu13); fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "build-native: installing ${missing[*]} into .deps/nvidia (pip)"
    mkdir -p "$root/.deps/nvidia"
    python3 -m pip install --quiet --disable-pip-version-check --target "$root/.deps/nvidia" "${missing[@]}" >&2 \
        || echo "build-native: pip could not install ${missing[*]}" >&2
fi
have_cublas || give_up "cuBLAS not found and could not be installed: pip install --target .deps/nvidia nvidia-cublas"

nvidia_roots="$(IFS=':'; echo "${roots[*]}")"

# ---- configure + build ----
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
# A cache from another generator would stop the configure: start that folder afresh.
if [ -f "$build_dir/CMakeCache.txt" ] && [ "${#generator[@]}" -gt 0 ] && ! grep -q "CMAKE_GENERATOR:INTERNAL=Ninja" "$build_dir/CMakeCache.txt"; then
    rm -rf "$build_dir"
fi
mkdir -p "$build_dir"
arch_args=()
if [ -n "${ESM2J_CUDA_ARCHITECTURES:-}" ]; then arch_args=(-DCMAKE_CUDA_ARCHITECTURES="$ESM2J_CUDA_ARCHITECTURES"); fi

cmake -S "$root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DESM2J_NVIDIA_ROOTS="$nvidia_roots" -DESM2J_WITH_CUDNN="$want_cudnn" "${arch_args[@]}" >"$build_dir/esm2j-configure.log" 2>&1 \
    || { cat "$build_dir/esm2j-configure.log" >&2; give_up "CMake configure failed (log above)"; }
grep -E "^-- esm2j:" "$build_dir/esm2j-configure.log" || true
cmake --build "$build_dir" --parallel "$(nproc 2>/dev/null || echo 2)" \
    || give_up "build failed"

lib="$build_dir/libesm2j.so"
[ -f "$lib" ] || give_up "the build finished but $lib is missing"

if [ "${ESM2J_SKIP_CTEST:-0}" != "1" ] && command -v ctest >/dev/null; then
    (cd "$build_dir" && ctest --output-on-failure) || give_up "ctest failed"
fi
echo "build-native: built $lib"
