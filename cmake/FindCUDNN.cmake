# FindCUDNN.cmake - find cuDNN 9 (headers and the libcudnn shim that loads its sub-libraries).
#
# Looks, in order, in CUDNN_ROOT (variable or environment), the `nvidia/cudnn` folders of the wheel
# roots found by Esm2jNvidiaWheels.cmake, and the CUDA toolkit and system paths. Only the versioned
# soname may exist (libcudnn.so.9), so the IMPORTED target carries the full path.
#
# Outputs: CUDNN_FOUND, CUDNN_INCLUDE_DIR, CUDNN_LIBRARY, CUDNN_VERSION, target CUDNN::cudnn.

set(_cudnn_hints "")
if(CUDNN_ROOT)
  list(APPEND _cudnn_hints "${CUDNN_ROOT}")
endif()
if(DEFINED ENV{CUDNN_ROOT})
  list(APPEND _cudnn_hints "$ENV{CUDNN_ROOT}")
endif()
foreach(_pkg IN LISTS ESM2J_NVIDIA_PACKAGE_DIRS)
  list(APPEND _cudnn_hints "${_pkg}/cudnn")
endforeach()
list(APPEND _cudnn_hints ${CUDAToolkit_LIBRARY_ROOT} /usr /usr/local/cuda)

find_path(CUDNN_INCLUDE_DIR NAMES cudnn_graph.h
  HINTS ${_cudnn_hints} PATH_SUFFIXES include include/x86_64-linux-gnu NO_CACHE)
find_library(CUDNN_LIBRARY NAMES cudnn libcudnn.so.9
  HINTS ${_cudnn_hints} PATH_SUFFIXES lib lib64 lib/x86_64-linux-gnu NO_CACHE)

set(CUDNN_VERSION "")
if(CUDNN_INCLUDE_DIR)
  set(_ver_header "${CUDNN_INCLUDE_DIR}/cudnn_version.h")
  if(EXISTS "${_ver_header}")
    file(STRINGS "${_ver_header}" _major REGEX "^#define CUDNN_MAJOR [0-9]+")
    file(STRINGS "${_ver_header}" _minor REGEX "^#define CUDNN_MINOR [0-9]+")
    file(STRINGS "${_ver_header}" _patch REGEX "^#define CUDNN_PATCHLEVEL [0-9]+")
    string(REGEX MATCH "[0-9]+$" _major "${_major}")
    string(REGEX MATCH "[0-9]+$" _minor "${_minor}")
    string(REGEX MATCH "[0-9]+$" _patch "${_patch}")
    set(CUDNN_VERSION "${_major}.${_minor}.${_patch}")
  endif()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CUDNN
  REQUIRED_VARS CUDNN_LIBRARY CUDNN_INCLUDE_DIR
  VERSION_VAR CUDNN_VERSION)

if(CUDNN_FOUND AND NOT TARGET CUDNN::cudnn)
  add_library(CUDNN::cudnn SHARED IMPORTED)
  set_target_properties(CUDNN::cudnn PROPERTIES
    IMPORTED_LOCATION "${CUDNN_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CUDNN_INCLUDE_DIR}")
endif()
