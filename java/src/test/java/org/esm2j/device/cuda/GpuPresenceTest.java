package org.esm2j.device.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a GPU is on the machine, told from the driver's files without loading a library. */
class GpuPresenceTest {
    @Test
    void theDriversGpuEntriesOrDeviceNodeTellThatAGpuIsHere(@TempDir Path dir) throws Exception {
        Path gpus = dir.resolve("proc/driver/nvidia/gpus");
        Path node = dir.resolve("dev/nvidia0");
        assertThat(CudaDevices.gpuHardwarePresent(gpus, node)).isFalse();
        Files.createDirectories(gpus);
        assertThat(CudaDevices.gpuHardwarePresent(gpus, node)).as("driver loaded, no GPU listed").isFalse();
        Files.createDirectories(gpus.resolve("0000:17:00.0"));
        assertThat(CudaDevices.gpuHardwarePresent(gpus, node)).isTrue();
        Files.createDirectories(node.getParent());
        Files.createFile(node);
        assertThat(CudaDevices.gpuHardwarePresent(dir.resolve("none"), node)).isTrue();
    }

    @Test
    void withoutTheLibraryOnAGpuMachineTheMessageNamesTheBuildCommand() {
        NativeLibrary.Status notFound = NativeLibrary.loadFirst(java.util.List.of()); // nothing anywhere to load
        CudaDevices.Inventory inventory = CudaDevices.discover(notFound, null);
        assertThat(inventory.error()).contains("libesm2j.so not found").contains(NativeLibrary.buildCommand());
        if (CudaDevices.gpuHardwarePresent()) {
            assertThat(inventory.error()).contains("has an NVIDIA GPU");
        } else {
            assertThat(inventory.error()).isEqualTo(notFound.error());
        }
        assertThat(NativeLibrary.buildCommand()).endsWith("scripts/build-native.sh");
    }
}
