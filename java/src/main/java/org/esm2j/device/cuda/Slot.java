package org.esm2j.device.cuda;

import org.esm2j.device.cuda.ffi.CudaRuntimeH;
import org.esm2j.device.cuda.ffi.esm2j_encode_request;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One of a {@link CudaDevice}'s two result slots: its events, its device and pinned host result buffers (grown, never
 * shrunk, while batches fit), its input buffers and request, and whether a batch is pending on it.
 */
final class Slot {
    MemorySegment computeDone = MemorySegment.NULL;
    MemorySegment copyDone = MemorySegment.NULL;
    MemorySegment deviceOut = MemorySegment.NULL;
    long deviceBytes;
    MemorySegment hostOut = MemorySegment.NULL;
    long hostBytes;
    Arena inputArena;
    MemorySegment tokens;
    MemorySegment cuSeqlens;
    long inputTokens;
    int inputSequences;
    MemorySegment request;
    MemorySegment layers;
    boolean pending;

    /** Creates the slot's events and request (in {@code arena}, the device's). */
    void open(String id, Arena arena) {
        computeDone = event(id);
        copyDone = event(id);
        request = esm2j_encode_request.allocate(arena);
    }

    /**
     * Blocking-sync events: the device thread sleeps in cudaEventSynchronize instead of spinning a core for the
     * whole batch (tens of ms); the CPU is needed meanwhile for reading, tokenizing and writing, and a cluster job
     * often has only a few cores per GPU. The wake-up latency is microseconds.
     */
    private static MemorySegment event(String id) {
        return Cuda.pointer(out -> CudaRuntimeH.cudaEventCreateWithFlags(out,
                CudaRuntimeH.cudaEventDisableTiming() | CudaRuntimeH.cudaEventBlockingSync()), id, "creating an event");
    }

    /** Device and pinned result buffers of at least {@code bytes}; the slot has no batch pending. */
    void ensureBuffers(String id, long bytes) {
        ensureDeviceBuffer(id, bytes);
        if (hostBytes < bytes) {
            if (!hostOut.equals(MemorySegment.NULL)) {
                Cuda.check(CudaRuntimeH.cudaFreeHost(hostOut), id, "freeing pinned memory");
                hostOut = MemorySegment.NULL;
                hostBytes = 0;
            }
            MemorySegment p = Cuda.pointer(out -> CudaRuntimeH.cudaHostAlloc(out, bytes, CudaRuntimeH.cudaHostAllocPortable()), id,
                    "allocating " + bytes + " bytes of pinned host memory");
            hostOut = p.reinterpret(bytes);
            hostBytes = bytes;
        }
    }

    void ensureDeviceBuffer(String id, long bytes) {
        if (deviceBytes < bytes) {
            freeDeviceOutputs(id);
            deviceOut = Cuda.pointer(out -> CudaRuntimeH.cudaMalloc(out, bytes), id, "allocating " + bytes + " bytes for results")
                    .reinterpret(bytes);
            deviceBytes = bytes;
        }
    }

    void freeDeviceOutputs(String id) {
        if (!deviceOut.equals(MemorySegment.NULL)) {
            Cuda.check(CudaRuntimeH.cudaFree(deviceOut), id, "freeing result buffers");
            deviceOut = MemorySegment.NULL;
            deviceBytes = 0;
        }
    }

    /** Frees everything the slot holds; what fails is noted in {@code problems} (see {@link CudaDevice#close()}). */
    void free(String id, List<String> problems) {
        CudaDevice.quietly(problems, () -> freeDeviceOutputs(id));
        CudaDevice.quietly(problems, () -> {
            if (!hostOut.equals(MemorySegment.NULL)) {
                CudaRuntimeH.cudaFreeHost(hostOut);
                hostOut = MemorySegment.NULL;
            }
        });
        CudaDevice.quietly(problems, () -> {
            CudaRuntimeH.cudaEventDestroy(computeDone);
            CudaRuntimeH.cudaEventDestroy(copyDone);
        });
        if (inputArena != null) {
            inputArena.close();
        }
    }
}
