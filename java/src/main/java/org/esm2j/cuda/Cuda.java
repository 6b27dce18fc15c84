package org.esm2j.cuda;

import org.esm2j.cuda.ffi.CudaRuntimeH;
import org.esm2j.cuda.ffi.Esm2jH;
import org.esm2j.run.DeviceContractException;
import org.esm2j.run.DeviceFailureException;
import org.esm2j.run.DeviceOutOfMemoryException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Status checks for the two native APIs: CUDA runtime errors and esm2j statuses become the scheduler's exceptions. */
final class Cuda {
    private Cuda() {
    }

    /** A CUDA runtime call: out of memory → {@link DeviceOutOfMemoryException}, anything else → {@link DeviceFailureException}. */
    static void check(int error, String device, String what) {
        if (error == CudaRuntimeH.cudaSuccess()) {
            return;
        }
        String message = device + ": " + what + ": " + errorName(error) + " (" + errorString(error) + ")";
        if (error == CudaRuntimeH.cudaErrorMemoryAllocation()) {
            CudaRuntimeH.cudaGetLastError(); // not sticky: clear it so the next call does not see it
            throw new DeviceOutOfMemoryException(message);
        }
        throw new DeviceFailureException(message);
    }

    /**
     * An esm2j call. OUT_OF_MEMORY → {@link DeviceOutOfMemoryException}; INVALID_ARGUMENT is a bug on this side,
     * reported as one ({@link DeviceContractException}: the library's message names the call, the value and the limit);
     * everything else (no device, CUDA, cuBLAS, cuDNN, unsupported) → {@link DeviceFailureException}.
     */
    static void esm(int status, String device, String what) {
        if (status == Esm2jH.ESM2J_OK()) {
            return;
        }
        String lastError = NativeLibrary.lastError();
        if (status == Esm2jH.ESM2J_ERROR_INVALID_ARGUMENT()) {
            throw new DeviceContractException(device, what, lastError);
        }
        String message = device + ": " + what + ": " + statusName(status) + ": " + lastError;
        if (status == Esm2jH.ESM2J_ERROR_OUT_OF_MEMORY()) {
            throw new DeviceOutOfMemoryException(message);
        }
        throw new DeviceFailureException(message);
    }

    static String statusName(int status) {
        return switch (status) {
            case 1 -> "invalid argument";
            case 2 -> "out of memory";
            case 3 -> "no device";
            case 4 -> "unsupported";
            case 5 -> "CUDA error";
            case 6 -> "cuBLAS error";
            case 7 -> "cuDNN error";
            case 8 -> "internal error";
            default -> "status " + status;
        };
    }

    static String errorName(int error) {
        return NativeLibrary.string(CudaRuntimeH.cudaGetErrorName(error));
    }

    static String errorString(int error) {
        return NativeLibrary.string(CudaRuntimeH.cudaGetErrorString(error));
    }

    /** Makes {@code index} the calling thread's device (cudaSetDevice is per host thread). */
    static void use(int index, String device) {
        check(CudaRuntimeH.cudaSetDevice(index), device, "cudaSetDevice(" + index + ")");
    }

    /** A pointer written by a CUDA runtime call (cudaMalloc, cudaStreamCreate…), read back from its out-parameter. */
    static MemorySegment pointer(PointerCall call, String device, String what) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment out = tmp.allocate(ValueLayout.ADDRESS);
            check(call.invoke(out), device, what);
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }

    @FunctionalInterface
    interface PointerCall {
        int invoke(MemorySegment out);
    }
}
