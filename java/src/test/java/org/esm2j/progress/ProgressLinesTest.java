package org.esm2j.progress;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLinesTest {

    @Test
    void oneAsciiLinePerDeviceAndOneForTheRun() {
        List<DeviceView> devices = IntStream.range(0, 3).mapToObj(Views::gpu).toList();
        List<String> lines = ProgressLines.of(Views.run(devices));
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("progress cuda:0: 41,200 seq, 12.1M tok, 98.2K tok/s, busy 99%, "
                + "mem 61.0/80.0G (peak 70.0G), budget 65,536 tok, oom retries 0");
        assertThat(lines.get(3)).startsWith("progress total: 62% (124K/199K seq)").contains("295K tok/s", "elapsed 2m03s", "ETA ");
        assertThat(lines).allSatisfy(l -> assertThat(l.chars().allMatch(c -> c >= 32 && c < 127)).as(l).isTrue());
    }

    @Test
    void theCpuLineReportsHeapAndStreamingSaysTheTotalIsUnknown() {
        List<String> lines = ProgressLines.of(Views.streaming(List.of(Views.cpu())));
        assertThat(lines.get(0)).contains("progress cpu: 1,204 seq", "heap 1.17/8.00G (peak 2.25G)");
        assertThat(lines.get(1)).isEqualTo("progress total: 1,204 seq (streaming, total unknown), 8.23K tok/s, elapsed 2m03s");
    }

    @Test
    void failedDevicesAndTheWaitForDevicesAreReported() {
        List<String> failed = ProgressLines.of(Views.run(List.of(Views.failed(Views.gpu(0), "lost"))));
        assertThat(failed.getFirst()).isEqualTo("progress cuda:0: FAILED after 41.2K seq: lost");
        RunView none = new RunView(5_000_000_000L, 0, 0, 0, -1, -1, 0, 0, List.of());
        assertThat(ProgressLines.of(none)).containsExactly("progress: preparing devices, elapsed 5s");
    }
}
