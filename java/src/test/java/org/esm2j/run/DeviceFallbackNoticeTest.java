package org.esm2j.run;

import org.esm2j.cuda.CudaDevices;
import org.esm2j.cuda.NativeLibrary;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code --device auto} says when it falls back to the CPU: nothing about the library on a machine without a GPU. */
class DeviceFallbackNoticeTest {
    private static CudaDevices.Inventory inventory(NativeLibrary.Status library, String error) {
        return new CudaDevices.Inventory(library, List.of(), error, null, null, null);
    }

    @Test
    void noGpuAndNoLibraryIsQuiet() {
        var notFound = new NativeLibrary.Status(false, null, "libesm2j.so not found", null);
        assertThat(DeviceSelection.fallbackNotice(inventory(notFound, "libesm2j.so not found"), false))
                .isEqualTo(DeviceSelection.FallbackNotice.QUIET);
    }

    @Test
    void aGpuWithoutTheLibraryAsksForTheBuild() {
        var notFound = new NativeLibrary.Status(false, null, "libesm2j.so not found", null);
        assertThat(DeviceSelection.fallbackNotice(inventory(notFound, "libesm2j.so not found"), true))
                .isEqualTo(DeviceSelection.FallbackNotice.BUILD_THE_LIBRARY);
    }

    @Test
    void aLibraryThatLoadedOrWasAskedForGivesItsReason() {
        var loaded = new NativeLibrary.Status(true, Path.of("/x/libesm2j.so"), null, "esm2j 3");
        var asked = new NativeLibrary.Status(false, Path.of("/x/libesm2j.so"), "-Desm2j.library=/x/libesm2j.so: no such file", null);
        assertThat(DeviceSelection.fallbackNotice(inventory(loaded, "no usable GPU: no driver"), false))
                .isEqualTo(DeviceSelection.FallbackNotice.REASON);
        assertThat(DeviceSelection.fallbackNotice(inventory(asked, asked.error()), false))
                .isEqualTo(DeviceSelection.FallbackNotice.REASON);
    }
}
