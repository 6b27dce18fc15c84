# Esm2jNvidiaWheels.cmake - find cuBLASLt (and the roots where pip put NVIDIA's wheels).
#
# NVIDIA ships cuBLAS and cuDNN as Python wheels (nvidia-cublas, nvidia-cudnn-cu13). Installed with
# `pip install --target DIR ...` or into a Python environment they land under DIR/nvidia/... with only
# versioned sonames (libcublasLt.so.13, libcudnn.so.9), so `-lcublasLt` cannot find them: we make
# IMPORTED targets whose IMPORTED_LOCATION is the full path.
#
# Inputs:  ESM2J_NVIDIA_ROOTS  list of folders that hold an `nvidia/` package folder or are one
#                              (e.g. .deps/nvidia, a site-packages directory); also read from the
#                              environment variable of the same name (':'-separated).
# Outputs: target esm2j::cublasLt, variables ESM2J_CUBLASLT_LIBRARY, ESM2J_CUBLAS_INCLUDE_DIR,
#          ESM2J_NVIDIA_PACKAGE_DIRS (the `nvidia/` folders found, for FindCUDNN).

include_guard(GLOBAL)

set(_esm2j_roots ${ESM2J_NVIDIA_ROOTS})
if(DEFINED ENV{ESM2J_NVIDIA_ROOTS})
  string(REPLACE ":" ";" _env_roots "$ENV{ESM2J_NVIDIA_ROOTS}")
  list(APPEND _esm2j_roots ${_env_roots})
endif()
list(APPEND _esm2j_roots "${PROJECT_SOURCE_DIR}/.deps/nvidia")

set(ESM2J_NVIDIA_PACKAGE_DIRS "")
foreach(_root IN LISTS _esm2j_roots)
  if(IS_DIRECTORY "${_root}/nvidia")
    list(APPEND ESM2J_NVIDIA_PACKAGE_DIRS "${_root}/nvidia")
  elseif(IS_DIRECTORY "${_root}" AND _root MATCHES "nvidia/?$")
    list(APPEND ESM2J_NVIDIA_PACKAGE_DIRS "${_root}")
  endif()
endforeach()
list(REMOVE_DUPLICATES ESM2J_NVIDIA_PACKAGE_DIRS)

set(_cublas_include_hints "")
set(_cublas_lib_hints "")
foreach(_pkg IN LISTS ESM2J_NVIDIA_PACKAGE_DIRS)
  # CUDA 13 wheels: nvidia/cu13/{include,lib}; CUDA 12 wheels: nvidia/cublas/{include,lib}
  list(APPEND _cublas_include_hints "${_pkg}/cu13/include" "${_pkg}/cublas/include")
  list(APPEND _cublas_lib_hints "${_pkg}/cu13/lib" "${_pkg}/cublas/lib")
endforeach()

find_path(ESM2J_CUBLAS_INCLUDE_DIR NAMES cublasLt.h
  HINTS ${_cublas_include_hints} ${CUDAToolkit_INCLUDE_DIRS}
  NO_CACHE)
find_library(ESM2J_CUBLASLT_LIBRARY
  NAMES cublasLt libcublasLt.so.13 libcublasLt.so.12
  HINTS ${_cublas_lib_hints} ${CUDAToolkit_LIBRARY_DIR}
  NO_CACHE)

if(ESM2J_CUBLAS_INCLUDE_DIR AND ESM2J_CUBLASLT_LIBRARY)
  if(NOT TARGET esm2j::cublasLt)
    add_library(esm2j::cublasLt SHARED IMPORTED)
    set_target_properties(esm2j::cublasLt PROPERTIES
      IMPORTED_LOCATION "${ESM2J_CUBLASLT_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${ESM2J_CUBLAS_INCLUDE_DIR}")
  endif()
  message(STATUS "esm2j: cuBLASLt ${ESM2J_CUBLASLT_LIBRARY} (headers ${ESM2J_CUBLAS_INCLUDE_DIR})")
else()
  message(STATUS "esm2j: cuBLASLt not found (looked in: ${_cublas_lib_hints} ${CUDAToolkit_LIBRARY_DIR})")
endif()
