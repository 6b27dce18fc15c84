# Esm2jArchitectures.cmake - choose CUDA architectures without overriding the user.
#
# Order: -DCMAKE_CUDA_ARCHITECTURES=..., then the environment variable ESM2J_CUDA_ARCHITECTURES
# (CI builds one, e.g. 90), then the CUDAARCHS variable CMake itself reads, then 80;86;89;90.
# Must be included before project() enables CUDA, since CMake fills in its own default then.

include_guard(GLOBAL)

if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES OR CMAKE_CUDA_ARCHITECTURES STREQUAL "")
  if(DEFINED ENV{ESM2J_CUDA_ARCHITECTURES} AND NOT "$ENV{ESM2J_CUDA_ARCHITECTURES}" STREQUAL "")
    set(CMAKE_CUDA_ARCHITECTURES "$ENV{ESM2J_CUDA_ARCHITECTURES}" CACHE STRING "CUDA architectures")
  elseif(NOT DEFINED ENV{CUDAARCHS})
    set(CMAKE_CUDA_ARCHITECTURES "80;86;89;90" CACHE STRING "CUDA architectures")
  endif()
endif()
