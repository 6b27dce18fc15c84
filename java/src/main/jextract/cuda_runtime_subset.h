/*
 * cuda_runtime_subset.h - the declarations of the CUDA runtime API (CUDA 13, libcudart.so.13) that
 * org.esm2j.cuda.ffi.CudaRuntimeH binds, copied from cuda_runtime_api.h / driver_types.h with their
 * typedefs reduced to what the JVM sees (enums are int, handles are pointers).
 *
 * scripts/jextract.sh regenerates CudaRuntimeH from the real cuda_runtime_api.h when it is installed,
 * restricted to exactly these functions and constants, and from this file otherwise.
 */
#ifndef ESM2J_CUDA_RUNTIME_SUBSET_H
#define ESM2J_CUDA_RUNTIME_SUBSET_H

#include <stddef.h>

typedef int cudaError_t;                 /* enum cudaError: 0 = cudaSuccess */
typedef struct CUstream_st* cudaStream_t;
typedef struct CUevent_st* cudaEvent_t;
struct cudaDeviceProp;                   /* 1008 bytes in CUDA 13: char name[256] at 0, size_t totalGlobalMem at 288 */

#define cudaSuccess                      0
#define cudaErrorMemoryAllocation        2
#define cudaErrorInsufficientDriver      35
#define cudaErrorNoDevice                100
#define cudaErrorNotReady                600

#define cudaStreamNonBlocking            0x01
#define cudaEventDefault                 0x00
#define cudaEventBlockingSync            0x01
#define cudaEventDisableTiming           0x02
#define cudaHostAllocDefault             0x00
#define cudaHostAllocPortable            0x01

#define cudaMemcpyHostToDevice           1
#define cudaMemcpyDeviceToHost           2
#define cudaMemcpyDefault                4

#define cudaDevAttrMultiProcessorCount   16
#define cudaDevAttrPciBusId              33
#define cudaDevAttrPciDeviceId           34
#define cudaDevAttrComputeCapabilityMajor 75
#define cudaDevAttrComputeCapabilityMinor 76

/* Versions and errors */
cudaError_t cudaRuntimeGetVersion(int* runtimeVersion);
cudaError_t cudaDriverGetVersion(int* driverVersion);
const char* cudaGetErrorString(cudaError_t error);
const char* cudaGetErrorName(cudaError_t error);
cudaError_t cudaGetLastError(void);

/* Devices */
cudaError_t cudaGetDeviceCount(int* count);
cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp* prop, int device);
cudaError_t cudaDeviceGetAttribute(int* value, int attr, int device);
cudaError_t cudaDeviceGetPCIBusId(char* pciBusId, int len, int device);
cudaError_t cudaSetDevice(int device);
cudaError_t cudaGetDevice(int* device);
cudaError_t cudaMemGetInfo(size_t* free, size_t* total);

/* Streams and events */
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* pStream, unsigned int flags);
cudaError_t cudaStreamDestroy(cudaStream_t stream);
cudaError_t cudaStreamSynchronize(cudaStream_t stream);
cudaError_t cudaStreamQuery(cudaStream_t stream);
cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags);
cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned int flags);
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream);
cudaError_t cudaEventQuery(cudaEvent_t event);
cudaError_t cudaEventSynchronize(cudaEvent_t event);
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end);
cudaError_t cudaEventDestroy(cudaEvent_t event);

/* Memory */
cudaError_t cudaMalloc(void** devPtr, size_t size);
cudaError_t cudaFree(void* devPtr);
cudaError_t cudaHostAlloc(void** pHost, size_t size, unsigned int flags);
cudaError_t cudaFreeHost(void* ptr);
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t count, int kind, cudaStream_t stream);

#endif
