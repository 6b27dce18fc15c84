// Generated from CUDA's cuda_runtime_api.h by scripts/jextract.sh with jextract 23 (openjdk/jextract@f9866df3a178), libclang 16.0.6, CUDA 13.0 headers: do not edit, regenerate.

package org.esm2j.cuda.ffi;

import java.lang.invoke.*;
import java.lang.foreign.*;
import java.nio.ByteOrder;
import java.util.*;
import java.util.function.*;
import java.util.stream.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.*;

public class CudaRuntimeH extends CudaRuntimeH$shared {

    CudaRuntimeH() {
        // Should not be called directly
    }

    static final Arena LIBRARY_ARENA = Arena.ofAuto();

    static final SymbolLookup SYMBOL_LOOKUP = SymbolLookup.loaderLookup()
            .or(Linker.nativeLinker().defaultLookup());

    private static final int cudaHostAllocDefault = (int)0L;
    /**
     * {@snippet lang=c :
     * #define cudaHostAllocDefault 0
     * }
     */
    public static int cudaHostAllocDefault() {
        return cudaHostAllocDefault;
    }
    private static final int cudaHostAllocPortable = (int)1L;
    /**
     * {@snippet lang=c :
     * #define cudaHostAllocPortable 1
     * }
     */
    public static int cudaHostAllocPortable() {
        return cudaHostAllocPortable;
    }
    private static final int cudaStreamNonBlocking = (int)1L;
    /**
     * {@snippet lang=c :
     * #define cudaStreamNonBlocking 1
     * }
     */
    public static int cudaStreamNonBlocking() {
        return cudaStreamNonBlocking;
    }
    private static final int cudaEventDefault = (int)0L;
    /**
     * {@snippet lang=c :
     * #define cudaEventDefault 0
     * }
     */
    public static int cudaEventDefault() {
        return cudaEventDefault;
    }
    private static final int cudaEventBlockingSync = (int)1L;
    /**
     * {@snippet lang=c :
     * #define cudaEventBlockingSync 1
     * }
     */
    public static int cudaEventBlockingSync() {
        return cudaEventBlockingSync;
    }
    private static final int cudaEventDisableTiming = (int)2L;
    /**
     * {@snippet lang=c :
     * #define cudaEventDisableTiming 2
     * }
     */
    public static int cudaEventDisableTiming() {
        return cudaEventDisableTiming;
    }
    private static final int cudaSuccess = (int)0L;
    /**
     * {@snippet lang=c :
     * enum cudaError.cudaSuccess = 0
     * }
     */
    public static int cudaSuccess() {
        return cudaSuccess;
    }
    private static final int cudaErrorMemoryAllocation = (int)2L;
    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorMemoryAllocation = 2
     * }
     */
    public static int cudaErrorMemoryAllocation() {
        return cudaErrorMemoryAllocation;
    }
    private static final int cudaErrorInsufficientDriver = (int)35L;
    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorInsufficientDriver = 35
     * }
     */
    public static int cudaErrorInsufficientDriver() {
        return cudaErrorInsufficientDriver;
    }
    private static final int cudaErrorNoDevice = (int)100L;
    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorNoDevice = 100
     * }
     */
    public static int cudaErrorNoDevice() {
        return cudaErrorNoDevice;
    }
    private static final int cudaErrorNotReady = (int)600L;
    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorNotReady = 600
     * }
     */
    public static int cudaErrorNotReady() {
        return cudaErrorNotReady;
    }
    private static final int cudaMemcpyHostToDevice = (int)1L;
    /**
     * {@snippet lang=c :
     * enum cudaMemcpyKind.cudaMemcpyHostToDevice = 1
     * }
     */
    public static int cudaMemcpyHostToDevice() {
        return cudaMemcpyHostToDevice;
    }
    private static final int cudaMemcpyDeviceToHost = (int)2L;
    /**
     * {@snippet lang=c :
     * enum cudaMemcpyKind.cudaMemcpyDeviceToHost = 2
     * }
     */
    public static int cudaMemcpyDeviceToHost() {
        return cudaMemcpyDeviceToHost;
    }
    private static final int cudaMemcpyDefault = (int)4L;
    /**
     * {@snippet lang=c :
     * enum cudaMemcpyKind.cudaMemcpyDefault = 4
     * }
     */
    public static int cudaMemcpyDefault() {
        return cudaMemcpyDefault;
    }
    private static final int cudaDevAttrMultiProcessorCount = (int)16L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrMultiProcessorCount = 16
     * }
     */
    public static int cudaDevAttrMultiProcessorCount() {
        return cudaDevAttrMultiProcessorCount;
    }
    private static final int cudaDevAttrPciBusId = (int)33L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrPciBusId = 33
     * }
     */
    public static int cudaDevAttrPciBusId() {
        return cudaDevAttrPciBusId;
    }
    private static final int cudaDevAttrPciDeviceId = (int)34L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrPciDeviceId = 34
     * }
     */
    public static int cudaDevAttrPciDeviceId() {
        return cudaDevAttrPciDeviceId;
    }
    private static final int cudaDevAttrComputeCapabilityMajor = (int)75L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrComputeCapabilityMajor = 75
     * }
     */
    public static int cudaDevAttrComputeCapabilityMajor() {
        return cudaDevAttrComputeCapabilityMajor;
    }
    private static final int cudaDevAttrComputeCapabilityMinor = (int)76L;
    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrComputeCapabilityMinor = 76
     * }
     */
    public static int cudaDevAttrComputeCapabilityMinor() {
        return cudaDevAttrComputeCapabilityMinor;
    }

    private static class cudaDeviceGetPCIBusId {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaDeviceGetPCIBusId");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaDeviceGetPCIBusId(char *pciBusId, int len, int device)
     * }
     */
    public static FunctionDescriptor cudaDeviceGetPCIBusId$descriptor() {
        return cudaDeviceGetPCIBusId.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaDeviceGetPCIBusId(char *pciBusId, int len, int device)
     * }
     */
    public static MethodHandle cudaDeviceGetPCIBusId$handle() {
        return cudaDeviceGetPCIBusId.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaDeviceGetPCIBusId(char *pciBusId, int len, int device)
     * }
     */
    public static MemorySegment cudaDeviceGetPCIBusId$address() {
        return cudaDeviceGetPCIBusId.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaDeviceGetPCIBusId(char *pciBusId, int len, int device)
     * }
     */
    public static int cudaDeviceGetPCIBusId(MemorySegment pciBusId, int len, int device) {
        var mh$ = cudaDeviceGetPCIBusId.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaDeviceGetPCIBusId", pciBusId, len, device);
            }
            return (int)mh$.invokeExact(pciBusId, len, device);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetLastError {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT    );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaGetLastError");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetLastError(void)
     * }
     */
    public static FunctionDescriptor cudaGetLastError$descriptor() {
        return cudaGetLastError.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetLastError(void)
     * }
     */
    public static MethodHandle cudaGetLastError$handle() {
        return cudaGetLastError.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetLastError(void)
     * }
     */
    public static MemorySegment cudaGetLastError$address() {
        return cudaGetLastError.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaGetLastError(void)
     * }
     */
    public static int cudaGetLastError() {
        var mh$ = cudaGetLastError.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetLastError");
            }
            return (int)mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetErrorName {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaGetErrorName");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern const char *cudaGetErrorName(cudaError_t error)
     * }
     */
    public static FunctionDescriptor cudaGetErrorName$descriptor() {
        return cudaGetErrorName.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern const char *cudaGetErrorName(cudaError_t error)
     * }
     */
    public static MethodHandle cudaGetErrorName$handle() {
        return cudaGetErrorName.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern const char *cudaGetErrorName(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorName$address() {
        return cudaGetErrorName.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern const char *cudaGetErrorName(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorName(int error) {
        var mh$ = cudaGetErrorName.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetErrorName", error);
            }
            return (MemorySegment)mh$.invokeExact(error);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetErrorString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaGetErrorString");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern const char *cudaGetErrorString(cudaError_t error)
     * }
     */
    public static FunctionDescriptor cudaGetErrorString$descriptor() {
        return cudaGetErrorString.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern const char *cudaGetErrorString(cudaError_t error)
     * }
     */
    public static MethodHandle cudaGetErrorString$handle() {
        return cudaGetErrorString.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern const char *cudaGetErrorString(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorString$address() {
        return cudaGetErrorString.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern const char *cudaGetErrorString(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorString(int error) {
        var mh$ = cudaGetErrorString.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetErrorString", error);
            }
            return (MemorySegment)mh$.invokeExact(error);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetDeviceCount {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaGetDeviceCount");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static FunctionDescriptor cudaGetDeviceCount$descriptor() {
        return cudaGetDeviceCount.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static MethodHandle cudaGetDeviceCount$handle() {
        return cudaGetDeviceCount.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static MemorySegment cudaGetDeviceCount$address() {
        return cudaGetDeviceCount.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static int cudaGetDeviceCount(MemorySegment count) {
        var mh$ = cudaGetDeviceCount.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetDeviceCount", count);
            }
            return (int)mh$.invokeExact(count);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetDeviceProperties {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaGetDeviceProperties");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device)
     * }
     */
    public static FunctionDescriptor cudaGetDeviceProperties$descriptor() {
        return cudaGetDeviceProperties.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device)
     * }
     */
    public static MethodHandle cudaGetDeviceProperties$handle() {
        return cudaGetDeviceProperties.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device)
     * }
     */
    public static MemorySegment cudaGetDeviceProperties$address() {
        return cudaGetDeviceProperties.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device)
     * }
     */
    public static int cudaGetDeviceProperties(MemorySegment prop, int device) {
        var mh$ = cudaGetDeviceProperties.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetDeviceProperties", prop, device);
            }
            return (int)mh$.invokeExact(prop, device);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaDeviceGetAttribute {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaDeviceGetAttribute");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static FunctionDescriptor cudaDeviceGetAttribute$descriptor() {
        return cudaDeviceGetAttribute.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static MethodHandle cudaDeviceGetAttribute$handle() {
        return cudaDeviceGetAttribute.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static MemorySegment cudaDeviceGetAttribute$address() {
        return cudaDeviceGetAttribute.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static int cudaDeviceGetAttribute(MemorySegment value, int attr, int device) {
        var mh$ = cudaDeviceGetAttribute.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaDeviceGetAttribute", value, attr, device);
            }
            return (int)mh$.invokeExact(value, attr, device);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaSetDevice {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaSetDevice");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaSetDevice(int device)
     * }
     */
    public static FunctionDescriptor cudaSetDevice$descriptor() {
        return cudaSetDevice.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaSetDevice(int device)
     * }
     */
    public static MethodHandle cudaSetDevice$handle() {
        return cudaSetDevice.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaSetDevice(int device)
     * }
     */
    public static MemorySegment cudaSetDevice$address() {
        return cudaSetDevice.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaSetDevice(int device)
     * }
     */
    public static int cudaSetDevice(int device) {
        var mh$ = cudaSetDevice.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaSetDevice", device);
            }
            return (int)mh$.invokeExact(device);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetDevice {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaGetDevice");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDevice(int *device)
     * }
     */
    public static FunctionDescriptor cudaGetDevice$descriptor() {
        return cudaGetDevice.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDevice(int *device)
     * }
     */
    public static MethodHandle cudaGetDevice$handle() {
        return cudaGetDevice.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDevice(int *device)
     * }
     */
    public static MemorySegment cudaGetDevice$address() {
        return cudaGetDevice.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaGetDevice(int *device)
     * }
     */
    public static int cudaGetDevice(MemorySegment device) {
        var mh$ = cudaGetDevice.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetDevice", device);
            }
            return (int)mh$.invokeExact(device);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaStreamCreateWithFlags {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaStreamCreateWithFlags");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags)
     * }
     */
    public static FunctionDescriptor cudaStreamCreateWithFlags$descriptor() {
        return cudaStreamCreateWithFlags.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags)
     * }
     */
    public static MethodHandle cudaStreamCreateWithFlags$handle() {
        return cudaStreamCreateWithFlags.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags)
     * }
     */
    public static MemorySegment cudaStreamCreateWithFlags$address() {
        return cudaStreamCreateWithFlags.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags)
     * }
     */
    public static int cudaStreamCreateWithFlags(MemorySegment pStream, int flags) {
        var mh$ = cudaStreamCreateWithFlags.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaStreamCreateWithFlags", pStream, flags);
            }
            return (int)mh$.invokeExact(pStream, flags);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaStreamDestroy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaStreamDestroy");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamDestroy(cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor cudaStreamDestroy$descriptor() {
        return cudaStreamDestroy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamDestroy(cudaStream_t stream)
     * }
     */
    public static MethodHandle cudaStreamDestroy$handle() {
        return cudaStreamDestroy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamDestroy(cudaStream_t stream)
     * }
     */
    public static MemorySegment cudaStreamDestroy$address() {
        return cudaStreamDestroy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamDestroy(cudaStream_t stream)
     * }
     */
    public static int cudaStreamDestroy(MemorySegment stream) {
        var mh$ = cudaStreamDestroy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaStreamDestroy", stream);
            }
            return (int)mh$.invokeExact(stream);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaStreamWaitEvent {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaStreamWaitEvent");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags)
     * }
     */
    public static FunctionDescriptor cudaStreamWaitEvent$descriptor() {
        return cudaStreamWaitEvent.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags)
     * }
     */
    public static MethodHandle cudaStreamWaitEvent$handle() {
        return cudaStreamWaitEvent.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags)
     * }
     */
    public static MemorySegment cudaStreamWaitEvent$address() {
        return cudaStreamWaitEvent.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags)
     * }
     */
    public static int cudaStreamWaitEvent(MemorySegment stream, MemorySegment event, int flags) {
        var mh$ = cudaStreamWaitEvent.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaStreamWaitEvent", stream, event, flags);
            }
            return (int)mh$.invokeExact(stream, event, flags);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaStreamSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaStreamSynchronize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamSynchronize(cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor cudaStreamSynchronize$descriptor() {
        return cudaStreamSynchronize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamSynchronize(cudaStream_t stream)
     * }
     */
    public static MethodHandle cudaStreamSynchronize$handle() {
        return cudaStreamSynchronize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamSynchronize(cudaStream_t stream)
     * }
     */
    public static MemorySegment cudaStreamSynchronize$address() {
        return cudaStreamSynchronize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamSynchronize(cudaStream_t stream)
     * }
     */
    public static int cudaStreamSynchronize(MemorySegment stream) {
        var mh$ = cudaStreamSynchronize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaStreamSynchronize", stream);
            }
            return (int)mh$.invokeExact(stream);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaStreamQuery {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaStreamQuery");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamQuery(cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor cudaStreamQuery$descriptor() {
        return cudaStreamQuery.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamQuery(cudaStream_t stream)
     * }
     */
    public static MethodHandle cudaStreamQuery$handle() {
        return cudaStreamQuery.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamQuery(cudaStream_t stream)
     * }
     */
    public static MemorySegment cudaStreamQuery$address() {
        return cudaStreamQuery.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaStreamQuery(cudaStream_t stream)
     * }
     */
    public static int cudaStreamQuery(MemorySegment stream) {
        var mh$ = cudaStreamQuery.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaStreamQuery", stream);
            }
            return (int)mh$.invokeExact(stream);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaEventCreateWithFlags {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaEventCreateWithFlags");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned int flags)
     * }
     */
    public static FunctionDescriptor cudaEventCreateWithFlags$descriptor() {
        return cudaEventCreateWithFlags.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned int flags)
     * }
     */
    public static MethodHandle cudaEventCreateWithFlags$handle() {
        return cudaEventCreateWithFlags.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned int flags)
     * }
     */
    public static MemorySegment cudaEventCreateWithFlags$address() {
        return cudaEventCreateWithFlags.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned int flags)
     * }
     */
    public static int cudaEventCreateWithFlags(MemorySegment event, int flags) {
        var mh$ = cudaEventCreateWithFlags.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaEventCreateWithFlags", event, flags);
            }
            return (int)mh$.invokeExact(event, flags);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaEventRecord {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaEventRecord");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor cudaEventRecord$descriptor() {
        return cudaEventRecord.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream)
     * }
     */
    public static MethodHandle cudaEventRecord$handle() {
        return cudaEventRecord.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream)
     * }
     */
    public static MemorySegment cudaEventRecord$address() {
        return cudaEventRecord.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream)
     * }
     */
    public static int cudaEventRecord(MemorySegment event, MemorySegment stream) {
        var mh$ = cudaEventRecord.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaEventRecord", event, stream);
            }
            return (int)mh$.invokeExact(event, stream);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaEventQuery {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaEventQuery");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventQuery(cudaEvent_t event)
     * }
     */
    public static FunctionDescriptor cudaEventQuery$descriptor() {
        return cudaEventQuery.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventQuery(cudaEvent_t event)
     * }
     */
    public static MethodHandle cudaEventQuery$handle() {
        return cudaEventQuery.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventQuery(cudaEvent_t event)
     * }
     */
    public static MemorySegment cudaEventQuery$address() {
        return cudaEventQuery.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaEventQuery(cudaEvent_t event)
     * }
     */
    public static int cudaEventQuery(MemorySegment event) {
        var mh$ = cudaEventQuery.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaEventQuery", event);
            }
            return (int)mh$.invokeExact(event);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaEventSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaEventSynchronize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventSynchronize(cudaEvent_t event)
     * }
     */
    public static FunctionDescriptor cudaEventSynchronize$descriptor() {
        return cudaEventSynchronize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventSynchronize(cudaEvent_t event)
     * }
     */
    public static MethodHandle cudaEventSynchronize$handle() {
        return cudaEventSynchronize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventSynchronize(cudaEvent_t event)
     * }
     */
    public static MemorySegment cudaEventSynchronize$address() {
        return cudaEventSynchronize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaEventSynchronize(cudaEvent_t event)
     * }
     */
    public static int cudaEventSynchronize(MemorySegment event) {
        var mh$ = cudaEventSynchronize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaEventSynchronize", event);
            }
            return (int)mh$.invokeExact(event);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaEventDestroy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaEventDestroy");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventDestroy(cudaEvent_t event)
     * }
     */
    public static FunctionDescriptor cudaEventDestroy$descriptor() {
        return cudaEventDestroy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventDestroy(cudaEvent_t event)
     * }
     */
    public static MethodHandle cudaEventDestroy$handle() {
        return cudaEventDestroy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventDestroy(cudaEvent_t event)
     * }
     */
    public static MemorySegment cudaEventDestroy$address() {
        return cudaEventDestroy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaEventDestroy(cudaEvent_t event)
     * }
     */
    public static int cudaEventDestroy(MemorySegment event) {
        var mh$ = cudaEventDestroy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaEventDestroy", event);
            }
            return (int)mh$.invokeExact(event);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaEventElapsedTime {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaEventElapsedTime");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end)
     * }
     */
    public static FunctionDescriptor cudaEventElapsedTime$descriptor() {
        return cudaEventElapsedTime.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end)
     * }
     */
    public static MethodHandle cudaEventElapsedTime$handle() {
        return cudaEventElapsedTime.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end)
     * }
     */
    public static MemorySegment cudaEventElapsedTime$address() {
        return cudaEventElapsedTime.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end)
     * }
     */
    public static int cudaEventElapsedTime(MemorySegment ms, MemorySegment start, MemorySegment end) {
        var mh$ = cudaEventElapsedTime.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaEventElapsedTime", ms, start, end);
            }
            return (int)mh$.invokeExact(ms, start, end);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaMalloc {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_LONG
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaMalloc");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaMalloc(void **devPtr, size_t size)
     * }
     */
    public static FunctionDescriptor cudaMalloc$descriptor() {
        return cudaMalloc.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaMalloc(void **devPtr, size_t size)
     * }
     */
    public static MethodHandle cudaMalloc$handle() {
        return cudaMalloc.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaMalloc(void **devPtr, size_t size)
     * }
     */
    public static MemorySegment cudaMalloc$address() {
        return cudaMalloc.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaMalloc(void **devPtr, size_t size)
     * }
     */
    public static int cudaMalloc(MemorySegment devPtr, long size) {
        var mh$ = cudaMalloc.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaMalloc", devPtr, size);
            }
            return (int)mh$.invokeExact(devPtr, size);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaFree {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaFree");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaFree(void *devPtr)
     * }
     */
    public static FunctionDescriptor cudaFree$descriptor() {
        return cudaFree.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaFree(void *devPtr)
     * }
     */
    public static MethodHandle cudaFree$handle() {
        return cudaFree.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaFree(void *devPtr)
     * }
     */
    public static MemorySegment cudaFree$address() {
        return cudaFree.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaFree(void *devPtr)
     * }
     */
    public static int cudaFree(MemorySegment devPtr) {
        var mh$ = cudaFree.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaFree", devPtr);
            }
            return (int)mh$.invokeExact(devPtr);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaFreeHost {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaFreeHost");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaFreeHost(void *ptr)
     * }
     */
    public static FunctionDescriptor cudaFreeHost$descriptor() {
        return cudaFreeHost.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaFreeHost(void *ptr)
     * }
     */
    public static MethodHandle cudaFreeHost$handle() {
        return cudaFreeHost.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaFreeHost(void *ptr)
     * }
     */
    public static MemorySegment cudaFreeHost$address() {
        return cudaFreeHost.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaFreeHost(void *ptr)
     * }
     */
    public static int cudaFreeHost(MemorySegment ptr) {
        var mh$ = cudaFreeHost.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaFreeHost", ptr);
            }
            return (int)mh$.invokeExact(ptr);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaHostAlloc {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_LONG,
            CudaRuntimeH.C_INT
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaHostAlloc");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaHostAlloc(void **pHost, size_t size, unsigned int flags)
     * }
     */
    public static FunctionDescriptor cudaHostAlloc$descriptor() {
        return cudaHostAlloc.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaHostAlloc(void **pHost, size_t size, unsigned int flags)
     * }
     */
    public static MethodHandle cudaHostAlloc$handle() {
        return cudaHostAlloc.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaHostAlloc(void **pHost, size_t size, unsigned int flags)
     * }
     */
    public static MemorySegment cudaHostAlloc$address() {
        return cudaHostAlloc.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaHostAlloc(void **pHost, size_t size, unsigned int flags)
     * }
     */
    public static int cudaHostAlloc(MemorySegment pHost, long size, int flags) {
        var mh$ = cudaHostAlloc.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaHostAlloc", pHost, size, flags);
            }
            return (int)mh$.invokeExact(pHost, size, flags);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaMemGetInfo {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaMemGetInfo");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static FunctionDescriptor cudaMemGetInfo$descriptor() {
        return cudaMemGetInfo.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static MethodHandle cudaMemGetInfo$handle() {
        return cudaMemGetInfo.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static MemorySegment cudaMemGetInfo$address() {
        return cudaMemGetInfo.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static int cudaMemGetInfo(MemorySegment free, MemorySegment total) {
        var mh$ = cudaMemGetInfo.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaMemGetInfo", free, total);
            }
            return (int)mh$.invokeExact(free, total);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaMemcpyAsync {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_POINTER,
            CudaRuntimeH.C_LONG,
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaMemcpyAsync");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind, cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor cudaMemcpyAsync$descriptor() {
        return cudaMemcpyAsync.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind, cudaStream_t stream)
     * }
     */
    public static MethodHandle cudaMemcpyAsync$handle() {
        return cudaMemcpyAsync.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind, cudaStream_t stream)
     * }
     */
    public static MemorySegment cudaMemcpyAsync$address() {
        return cudaMemcpyAsync.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind, cudaStream_t stream)
     * }
     */
    public static int cudaMemcpyAsync(MemorySegment dst, MemorySegment src, long count, int kind, MemorySegment stream) {
        var mh$ = cudaMemcpyAsync.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaMemcpyAsync", dst, src, count, kind, stream);
            }
            return (int)mh$.invokeExact(dst, src, count, kind, stream);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaDriverGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaDriverGetVersion");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static FunctionDescriptor cudaDriverGetVersion$descriptor() {
        return cudaDriverGetVersion.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static MethodHandle cudaDriverGetVersion$handle() {
        return cudaDriverGetVersion.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static MemorySegment cudaDriverGetVersion$address() {
        return cudaDriverGetVersion.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static int cudaDriverGetVersion(MemorySegment driverVersion) {
        var mh$ = cudaDriverGetVersion.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaDriverGetVersion", driverVersion);
            }
            return (int)mh$.invokeExact(driverVersion);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaRuntimeGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            CudaRuntimeH.C_INT,
            CudaRuntimeH.C_POINTER
        );

        public static final MemorySegment ADDR = SYMBOL_LOOKUP.findOrThrow("cudaRuntimeGetVersion");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static FunctionDescriptor cudaRuntimeGetVersion$descriptor() {
        return cudaRuntimeGetVersion.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static MethodHandle cudaRuntimeGetVersion$handle() {
        return cudaRuntimeGetVersion.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static MemorySegment cudaRuntimeGetVersion$address() {
        return cudaRuntimeGetVersion.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static int cudaRuntimeGetVersion(MemorySegment runtimeVersion) {
        var mh$ = cudaRuntimeGetVersion.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaRuntimeGetVersion", runtimeVersion);
            }
            return (int)mh$.invokeExact(runtimeVersion);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
}

