package org.esm2j.device.cuda;

import org.esm2j.device.cuda.ffi.CudaRuntimeH;
import org.esm2j.device.cuda.ffi.Esm2jH;
import org.esm2j.device.cuda.ffi.cudaDeviceProp;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The GPUs this process can use: the native library's state, then each visible device's properties. */
public final class CudaDevices {
    /** The header's cudaDeviceProp (1008 bytes in CUDA 13), with headroom so a newer runtime cannot write past it. */
    private static final long DEVICE_PROP_BYTES = Math.max(4096, cudaDeviceProp.sizeof());

    /**
     * What {@code esm2j devices} reports and what {@code --device} chooses from.
     *
     * @param library        the native library's state
     * @param devices        the visible GPUs (empty when none can be used)
     * @param error          why no GPU can be used (library or driver), one line; null when some can
     * @param visibleDevices {@code CUDA_VISIBLE_DEVICES} as set, or null
     * @param runtimeVersion CUDA runtime version ("13.0"), null when the library is not loaded
     * @param driverVersion  highest CUDA version the driver supports, null when there is no driver
     */
    public record Inventory(NativeLibrary.Status library, List<CudaDeviceInfo> devices, String error, String visibleDevices,
                            String runtimeVersion, String driverVersion) {

        public boolean usable() {
            return error == null && !devices.isEmpty();
        }
    }

    private CudaDevices() {
    }

    /**
     * Whether the NVIDIA driver sees a GPU here, asked without loading any library: the driver's {@code /proc} entries
     * or its device nodes. Decides whether a missing libesm2j is worth a word: on a machine without a GPU it is not.
     */
    public static boolean gpuHardwarePresent() {
        return gpuHardwarePresent(Path.of("/proc/driver/nvidia/gpus"), Path.of("/dev/nvidia0"));
    }

    static boolean gpuHardwarePresent(Path driverGpus, Path deviceNode) {
        if (Files.exists(deviceNode)) {
            return true;
        }
        try (var entries = Files.list(driverGpus)) {
            return entries.findAny().isPresent();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static Inventory discover() {
        return discover(NativeLibrary.load());
    }

    static Inventory discover(NativeLibrary.Status library) {
        return discover(library, System.getenv("CUDA_VISIBLE_DEVICES"));
    }

    static Inventory discover(NativeLibrary.Status library, String visible) {
        if (!library.loaded()) {
            // The library's own reason already names the command that builds it.
            String why = gpuHardwarePresent()
                    ? "this machine has an NVIDIA GPU but esm2j's CUDA library is not available: " + library.error()
                    : library.error();
            return new Inventory(library, List.of(), why, visible, null, null);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment version = arena.allocate(ValueLayout.JAVA_INT);
            String runtime = CudaRuntimeH.cudaRuntimeGetVersion(version) == 0 ? cudaVersion(version.get(ValueLayout.JAVA_INT, 0)) : null;
            String driver = CudaRuntimeH.cudaDriverGetVersion(version) == 0 && version.get(ValueLayout.JAVA_INT, 0) > 0
                    ? cudaVersion(version.get(ValueLayout.JAVA_INT, 0)) : null;
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            int status = Esm2jH.esm2j_device_count(count);
            int n = count.get(ValueLayout.JAVA_INT, 0);
            if (status != Esm2jH.ESM2J_OK() || n == 0) {
                // The library answers NO_DEVICE (never OK with 0) when CUDA_VISIBLE_DEVICES hides every GPU, so the
                // variable is named here, on the error path, where the user needs it.
                String why = status != Esm2jH.ESM2J_OK() ? NativeLibrary.lastError() : "the driver reports no GPU";
                String hint = visible != null ? " (CUDA_VISIBLE_DEVICES=" + visible + " limits the GPUs this process sees)" : "";
                return new Inventory(library, List.of(), "no usable GPU: " + why + hint, visible, runtime, driver);
            }
            List<CudaDeviceInfo> devices = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                devices.add(describe(arena, i));
            }
            return new Inventory(library, List.copyOf(devices), null, visible, runtime, driver);
        } catch (RuntimeException e) {
            return new Inventory(library, List.of(), "querying the GPUs failed: " + NativeLibrary.oneLine(e.getMessage()), visible, null, null);
        }
    }

    private static CudaDeviceInfo describe(Arena arena, int index) {
        String id = "cuda:" + index;
        MemorySegment props = arena.allocate(DEVICE_PROP_BYTES, cudaDeviceProp.layout().byteAlignment());
        Cuda.check(CudaRuntimeH.cudaGetDeviceProperties(props, index), id, "cudaGetDeviceProperties");
        String name = cudaDeviceProp.name(props).getString(0).strip();
        long total = cudaDeviceProp.totalGlobalMem(props);
        int major = attribute(arena, CudaRuntimeH.cudaDevAttrComputeCapabilityMajor(), index);
        int minor = attribute(arena, CudaRuntimeH.cudaDevAttrComputeCapabilityMinor(), index);
        int sms = attribute(arena, CudaRuntimeH.cudaDevAttrMultiProcessorCount(), index);
        MemorySegment bus = arena.allocate(32);
        String pci = CudaRuntimeH.cudaDeviceGetPCIBusId(bus, 32, index) == 0 ? bus.getString(0) : null;
        MemorySegment free = arena.allocate(ValueLayout.JAVA_LONG);
        MemorySegment all = arena.allocate(ValueLayout.JAVA_LONG);
        long freeBytes = -1;
        if (Esm2jH.esm2j_mem_info(index, free, all) == Esm2jH.ESM2J_OK()) {
            freeBytes = free.get(ValueLayout.JAVA_LONG, 0);
            total = all.get(ValueLayout.JAVA_LONG, 0);
        }
        return new CudaDeviceInfo(index, name, major, minor, sms, total, freeBytes, pci);
    }

    private static int attribute(Arena arena, int attribute, int index) {
        MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
        Cuda.check(CudaRuntimeH.cudaDeviceGetAttribute(value, attribute, index), "cuda:" + index, "cudaDeviceGetAttribute(" + attribute + ")");
        return value.get(ValueLayout.JAVA_INT, 0);
    }

    /** 13000 → "13.0", 12080 → "12.8". */
    static String cudaVersion(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }
}
