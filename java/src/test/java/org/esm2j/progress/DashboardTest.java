package org.esm2j.progress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardTest {

    private static List<String> render(RunView view, int columns) {
        return Dashboard.render(view, columns, Glyphs.UNICODE);
    }

    @ParameterizedTest
    @ValueSource(ints = {220, 160, 140, 120, 100, 80, 60, 59, 50, 40, 30, 20, 10, 3})
    void noLineReachesTheLastColumn(int columns) {
        List<RunView> views = List.of(
                Views.run(List.of(Views.cpu())),
                Views.run(IntStream.range(0, 4).mapToObj(Views::gpu).toList()),
                Views.streaming(List.of(Views.gpu(0), Views.failed(Views.gpu(1), "CUDA error 700: an illegal memory access was encountered"))),
                Views.run(List.of(Views.withId(Views.gpu(0), "sim:a-simulated-device-with-a-very-long-name-indeed"))));
        for (RunView v : views) {
            List<String> lines = render(v, columns);
            assertThat(lines).hasSize(v.devices().size() + 1);
            for (String line : lines) {
                assertThat(Text.width(line)).as("'%s' at %d columns", line, columns).isLessThanOrEqualTo(Math.max(1, columns - 1));
                assertThat(line).doesNotContain("\n", "\r", "\033");
            }
        }
    }

    @Test
    void cpuLineShowsHeapAndEverythingItHasOnAWideTerminal() {
        List<String> lines = render(Views.run(List.of(Views.cpu())), 200);
        String cpu = lines.get(0);
        assertThat(cpu).startsWith("cpu ")
                .contains("8.23K tok/s", "1.20K seq", "312K tok", "busy 98%", "heap 1.17/8.00G", "peak 2.25G", "budget 4,096", "oom 0",
                        "CPU, 2 threads")
                .doesNotContain("mem ");
        assertThat(lines.get(1)).startsWith("total ").contains("62%", "ETA ", "elapsed 2m03s", "tok/s", "seq");
    }

    @Test
    void gpuLinesShowDeviceMemoryAndLineUpTheirColumns() {
        List<DeviceView> gpus = IntStream.range(0, 4).mapToObj(Views::gpu).toList();
        List<String> lines = render(Views.run(gpus), 160);
        for (int i = 0; i < 4; i++) {
            assertThat(lines.get(i)).startsWith("cuda:" + i).contains("mem 61.0/80.0G", "peak 70.0G", "budget 65,536", "98.2K tok/s");
        }
        int rateEnd = lines.get(0).indexOf("tok/s");
        assertThat(lines.subList(0, 4)).allSatisfy(l -> assertThat(l.indexOf("tok/s")).isEqualTo(rateEnd));
        assertThat(lines.get(4)).startsWith("total").contains("393K tok/s");
    }

    @Test
    void columnsDropInPriorityOrderAsTheTerminalNarrows() {
        RunView v = Views.run(List.of(Views.gpu(0)));
        String wide = render(v, 200).get(0);
        String medium = render(v, 80).get(0);
        String narrow = render(v, 40).get(0);
        assertThat(wide).contains("NVIDIA", "budget", "peak", "mem", "tok/s");
        assertThat(medium).contains("tok/s", "seq", "busy", "mem").doesNotContain("NVIDIA");
        assertThat(narrow).contains("cuda:0", "tok/s", "seq").doesNotContain("budget", "NVIDIA", "peak");
        String narrowTotal = render(v, 40).get(1);
        assertThat(narrowTotal).contains("62%", "ETA");
    }

    @Test
    void longDeviceNamesAreCutWithAnEllipsis() {
        DeviceView longName = Views.withId(Views.gpu(0), "sim:a-simulated-device-with-a-very-long-name");
        String wide = render(Views.run(List.of(longName)), 120).get(0);
        assertThat(wide).startsWith("sim:a-simulated…").doesNotContain("very-long");
        String narrow = render(Views.run(List.of(longName)), 50).get(0);
        assertThat(narrow).startsWith("sim:a-sim…");
        assertThat(Text.width(narrow.substring(0, narrow.indexOf(' ')))).isEqualTo(Dashboard.NARROW_NAME_CAP);
    }

    @Test
    void wideCharactersCountAsTwoColumns() {
        DeviceView cjk = Views.withId(Views.gpu(0), "装置装置装置装置装置");
        for (int columns : new int[] {120, 50}) {
            for (String line : render(Views.run(List.of(cjk)), columns)) {
                assertThat(Text.width(line)).isLessThan(columns);
            }
        }
    }

    @Test
    void retriesMoveUpWhenADeviceHasHadThem() {
        RunView calm = Views.run(List.of(Views.gpu(0), Views.gpu(1)));
        RunView retrying = Views.run(List.of(Views.gpu(0), Views.withRetries(Views.gpu(1), 3)));
        assertThat(render(calm, 85).get(1)).doesNotContain("oom");
        assertThat(render(retrying, 85).get(1)).contains("oom 3");
        assertThat(render(retrying, 85).get(0)).contains("oom 0");
    }

    @Test
    void aFailedDeviceSaysWhy() {
        RunView v = Views.run(List.of(Views.gpu(0), Views.failed(Views.gpu(1), "CUDA error 700:\nan illegal memory access")));
        String line = render(v, 120).get(1);
        assertThat(line).startsWith("cuda:1").contains("FAILED after 41.2K seq: CUDA error 700: an illegal memory access");
    }

    @Test
    void unknownFiguresAreLeftOutNotPrintedAsQuestionMarks() {
        String line = render(Views.run(List.of(Views.bare("sim:0"))), 200).get(0);
        assertThat(line).contains("sim:0", "tok/s", "seq").doesNotContain("?", "mem", "heap", "peak", "budget");
    }

    @Test
    void streamingInputHasNoPercentageOrEta() {
        String total = render(Views.streaming(List.of(Views.cpu())), 120).get(1);
        assertThat(total).contains("streaming", "1.20K seq", "tok/s", "elapsed").doesNotContain("ETA", "%", "1.20K/");
    }

    @Test
    void beforeAnyDeviceIsReadyTheOverallLineSaysSo() {
        RunView empty = new RunView(3_000_000_000L, 0, 0, 0, 100, 10_000, 0, 0, List.of());
        assertThat(render(empty, 80)).containsExactly("total  preparing devices  elapsed 3s");
    }

    @Test
    void etaIsUnknownUntilSomethingFinished() {
        RunView nothingYet = new RunView(3_000_000_000L, 0, 0, 0, 100, 10_000, 0, 0, List.of(Views.bare("cpu")));
        assertThat(render(nothingYet, 120).get(1)).contains("0%", "ETA --");
    }

    @Test
    void manyDevicesFoldIntoOneLine() {
        List<DeviceView> sixteen = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sixteen.add(Views.gpu(i));
        }
        List<String> lines = render(Views.run(sixteen), 140);
        assertThat(lines).hasSize(Dashboard.MAX_DEVICE_LINES + 1);
        assertThat(lines.get(Dashboard.MAX_DEVICE_LINES - 1)).contains("+9 more devices", "tok/s");
    }

    @Test
    void asciiGlyphsForTerminalsWithoutUnicode() {
        for (String line : Dashboard.render(Views.run(List.of(Views.withId(Views.gpu(0), "sim:a-very-long-device-name"))), 120, Glyphs.ASCII)) {
            assertThat(line.chars().allMatch(c -> c < 128)).as(line).isTrue();
            assertThat(line).doesNotContain("?");
        }
    }

    @Test
    void barsFillInEighths() {
        assertThat(Glyphs.UNICODE.bar(0, 4)).isEqualTo("░░░░");
        assertThat(Glyphs.UNICODE.bar(0.5, 4)).isEqualTo("██░░");
        assertThat(Glyphs.UNICODE.bar(0.5 + 1.0 / 8, 4)).isEqualTo("██▌░");
        assertThat(Glyphs.UNICODE.bar(0.5 + 1.0 / 16, 4)).isEqualTo("██▎░");
        assertThat(Glyphs.UNICODE.bar(1, 4)).isEqualTo("████");
        assertThat(Glyphs.ASCII.bar(0.5, 4)).isEqualTo("[##--]");
        assertThat(Glyphs.ASCII.bar(Double.NaN, 2)).isEqualTo("[--]");
    }
}
