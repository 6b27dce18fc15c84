package org.esm2j.progress;

import org.esm2j.schedule.DeviceStatsWriter;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.DeviceStats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SamplerTest {
    private static final long S = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(1000 * S);
    private final AtomicLong heapUsed = new AtomicLong(100L << 20);
    private final RunStats stats = new RunStats();
    private final Sampler sampler = new Sampler(stats, 10 * S, clock::get, () -> new Sampler.Heap(heapUsed.get(), 8L << 30));

    private static void batch(DeviceStats d, int sequences, long tokens, long nanos) {
        DeviceStatsWriter.work(d, sequences, tokens, nanos, 1);
    }

    @Test
    void devicesComeInNaturalOrder() {
        stats.device("cuda:10", "");
        stats.device("cuda:2", "");
        stats.device("cpu", "");
        assertThat(sampler.sample().devices()).extracting(DeviceView::id).containsExactly("cpu", "cuda:2", "cuda:10");
    }

    @Test
    void theCpuShowsTheHeapAGpuItsOwnMemoryAndOthersNothing() {
        stats.device("cpu", "CPU");
        DeviceStats gpu = stats.device("cuda:0", "H100");
        DeviceStatsWriter.memoryUsed(gpu, 30L << 30);
        DeviceStatsWriter.memoryTotal(gpu, 80L << 30);
        DeviceStatsWriter.memoryPeak(gpu, 40L << 30);
        stats.device("sim:0", "simulated");
        heapUsed.set(300L << 20);
        sampler.sample();
        heapUsed.set(200L << 20);
        RunView v = sampler.sample();

        assertThat(v.devices().get(0).memory()).isEqualTo(new Memory(Memory.Kind.HEAP, 200L << 20, 8L << 30, 300L << 20));
        assertThat(v.devices().get(1).memory()).isEqualTo(new Memory(Memory.Kind.DEVICE, 30L << 30, 80L << 30, 40L << 30));
        assertThat(v.devices().get(2).memory().known()).isFalse();
        assertThat(stats.jvmHeapPeakBytes()).isEqualTo(300L << 20);
    }

    @Test
    void progressCountsResiduesOfFinishedSequencesAndEtaUsesTheRecentRate() {
        stats.expect(100, 10_000);
        DeviceStats cpu = stats.device("cpu", "CPU");
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(S);
            batch(cpu, 5, 5 * 100 + 5 * 2, S);
            sampler.sample();
        }
        RunView v = sampler.sample();
        assertThat(v.sequencesDone()).isEqualTo(50);
        assertThat(v.residuesDone()).isEqualTo(5000);
        assertThat(v.fraction().orElseThrow()).isCloseTo(0.5, within(1e-9));
        assertThat(v.recentTokensPerSecond()).isCloseTo(510, within(1.0));
        assertThat(v.recentResiduesPerSecond()).isCloseTo(500, within(1.0));
        assertThat(v.etaNanos().orElseThrow()).isCloseTo(10 * S, within(S / 10));
        assertThat(v.devices().getFirst().recentBusyFraction()).isCloseTo(1.0, within(0.01));
    }

    @Test
    void streamingHasNeitherFractionNorEta() {
        DeviceStats cpu = stats.device("cpu", "CPU");
        clock.addAndGet(S);
        batch(cpu, 5, 510, S);
        RunView v = sampler.sample();
        assertThat(v.streaming()).isTrue();
        assertThat(v.fraction()).isEmpty();
        assertThat(v.etaNanos()).isEmpty();
    }

    @Test
    void elapsedCountsFromTheStartOfTheRunNotOfTheSampler() {
        clock.addAndGet(7 * S);
        assertThat(sampler.sample().elapsedNanos()).isBetween(7 * S, 8 * S);
    }

    @Test
    void aBatchInFlightCountsAsBusy() {
        DeviceStats cpu = stats.device("cpu", "CPU");
        sampler.sample();
        DeviceStatsWriter.runningSince(cpu, clock.get());
        clock.addAndGet(4 * S);
        DeviceView v = sampler.sample().devices().getFirst();
        assertThat(v.recentBusyFraction()).isCloseTo(1.0, within(0.01));
        assertThat(v.recentTokensPerSecond()).isZero();
    }

    @Test
    void fourFakeGpusFromTheirDeviceStatsToTheDashboard() {
        stats.expect(200_000, 60_000_000);
        for (int i = 0; i < 4; i++) {
            DeviceStats d = stats.device("cuda:" + i, "NVIDIA H100 80GB HBM3");
            DeviceStatsWriter.memoryTotal(d, 80L << 30);
            DeviceStatsWriter.tokenBudget(d, 65_536 >> (i == 2 ? 1 : 0));
        }
        DeviceStatsWriter.failed(stats.device("cuda:3", ""), "CUDA error 999: unknown error");
        for (int tick = 1; tick <= 40; tick++) {
            clock.addAndGet(S / 4);
            for (int i = 0; i < 3; i++) {
                DeviceStats d = stats.device("cuda:" + i, "");
                batch(d, 200, 60_400, S / 4);
                DeviceStatsWriter.memoryUsed(d, (60L + i) << 30);
                DeviceStatsWriter.memoryPeak(d, (70L + i) << 30);
            }
            sampler.sample();
        }
        DeviceStatsWriter.oomRetries(stats.device("cuda:2", ""), 1);
        List<String> lines = Dashboard.render(sampler.sample(), 140, Glyphs.UNICODE);

        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("cuda:0").contains("busy 100%", "8.00K seq", "2.42M tok", "242K tok/s", "mem 60.0/80.0G",
                "peak 70.0G", "budget 65,536", "oom 0");
        assertThat(lines.get(2)).startsWith("cuda:2").contains("mem 62.0/80.0G", "budget 32,768", "oom 1");
        assertThat(lines.get(3)).startsWith("cuda:3").contains("FAILED after 0 seq: CUDA error 999: unknown error");
        assertThat(lines.get(4)).startsWith("total").contains("12%", "24.0K/200K seq", "725K tok/s", "elapsed 10s", "ETA 1m13s");
    }
}
