package org.esm2j.cuda;

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
        var notFound = new NativeLibrary.Status(false, null, "libesm2j.so not found", null);
        CudaDevices.Inventory inventory = CudaDevices.discover(notFound, null);
        if (CudaDevices.gpuHardwarePresent()) {
            assertThat(inventory.error()).contains("has an NVIDIA GPU").contains(NativeLibrary.buildCommand());
        } else {
            assertThat(inventory.error()).isEqualTo("libesm2j.so not found");
        }
        assertThat(NativeLibrary.buildCommand()).endsWith("scripts/build-native.sh");
    }
}
