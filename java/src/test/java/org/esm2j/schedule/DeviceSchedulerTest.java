package org.esm2j.schedule;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.TestData;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cpu.CpuDevice;
import org.esm2j.device.cpu.CpuEncoder;
import org.esm2j.model.EsmModel;
import org.esm2j.tokens.TokenizedSequence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.esm2j.schedule.SchedulerFixtures.Collector;
import static org.esm2j.schedule.SchedulerFixtures.assertBitIdentical;
import static org.esm2j.schedule.SchedulerFixtures.plan;
import static org.esm2j.schedule.SchedulerFixtures.randomSequences;

/** The multi-device scheduler on simulated devices that compute real embeddings with the CPU encoder. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeviceSchedulerTest {
    private static final long MIB = 1L << 20;
    private static EsmModel tiny;
    private static OutputSpec spec;

    @BeforeAll
    static void load() {
        tiny = EsmModel.load(TestData.tiny().toString());
        spec = SchedulerFixtures.everything(tiny.config().numLayers());
    }

    @AfterAll
    static void unload() {
        tiny.close();
    }

    /** What one device computes, batch by batch: the reference every multi-device run must equal bit for bit. */
    private static Map<Long, SequenceEmbedding> oneDevice(List<TokenizedSequence> sequences) {
        Map<Long, SequenceEmbedding> out = new HashMap<>();
        try (CpuEncoder cpu = new CpuEncoder(tiny.weights(), 1)) {
            for (Batch b : plan(sequences, 4096)) {
                for (SequenceEmbedding e : cpu.encode(b.sequences(), spec)) {
                    out.put(e.index(), e);
                }
            }
        }
        return out;
    }

    private static DeviceScheduler.Options options(long fixedBudget, SizingCache cache) {
        return new DeviceScheduler.Options(fixedBudget, 4096, cache, "tiny", new BatchSizer(), Duration.ofMillis(20), 0.02);
    }

    @Test
    void fourDevicesWithRandomOomsAndOneFailureEmbedEverySequenceOnceBitIdenticalToOneDevice() {
        List<TokenizedSequence> all = randomSequences(600, 400, 7, 0);
        Map<Long, SequenceEmbedding> expected = oneDevice(all);
        RunStats stats = new RunStats();
        List<SimulatedDevice> devices = List.of(
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 64 * MIB).withFaults(Set.of(), 0.15, -1, 11)
                        .withTiming(0, true), tiny.weights()),
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:1", 64 * MIB).withFaults(Set.of(1, 4), 0.10, 5, 12)
                        .withTiming(2_000, true), tiny.weights()),
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:2", 64 * MIB).withFaults(Set.of(0, 2, 3), 0.0, -1, 13), tiny.weights()),
                // A small card: batches of 4096 tokens do not fit (real OOMs), so it splits and halves.
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:3", 3 * MIB).withFaults(Set.of(), 0.05, -1, 14)
                        .withTiming(0, true), tiny.weights()));
        Collector sink = new Collector();
        try (DeviceScheduler scheduler = new DeviceScheduler(devices, options(4096, null), stats, RunListener.NONE)) {
            // Three windows, as EmbedRun sends them; the failed device stays out after its window.
            for (int w = 0; w < 3; w++) {
                List<TokenizedSequence> window = all.subList(w * 200, (w + 1) * 200);
                scheduler.execute(plan(window, scheduler.tokenBudget()), spec, sink);
            }
        }
        sink.assertExactlyOnce(all);
        assertBitIdentical(sink.results, expected);

        assertThat(stats.devices().get("sim:1").failure).contains("simulated device failure after 5 batches");
        assertThat(stats.devices().get("sim:0").failure).isNull();
        long oomRetries = stats.devices().values().stream().mapToLong(d -> d.oomRetries.sum()).sum();
        assertThat(oomRetries).isGreaterThanOrEqualTo(devices.stream().mapToLong(d -> d.injectedOoms() + d.realOoms()).sum());
        assertThat(devices.get(3).realOoms()).as("the small device ran out of memory for real").isPositive();
        assertThat(stats.devices().get("sim:3").tokenBudget()).isLessThan(4096);
        long delivered = stats.devices().values().stream().mapToLong(d -> d.sequences.sum()).sum();
        assertThat(delivered).isEqualTo(all.size());
        Map<String, Object> summary = stats.toMap();
        assertThat(summary.toString()).contains("failure=sim:1: simulated device failure", "oom_retries");
    }

    @Test
    void whenEveryDeviceFailsTheRunStopsWithExitCode6AndEachReason() {
        List<TokenizedSequence> all = randomSequences(80, 100, 3, 0);
        List<SimulatedDevice> devices = List.of(
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 64 * MIB).withFaults(Set.of(), 0, 1, 1), tiny.weights()),
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:1", 64 * MIB).withFaults(Set.of(), 0, 2, 1), tiny.weights()));
        Collector sink = new Collector();
        try (DeviceScheduler scheduler = new DeviceScheduler(devices, options(300, null), new RunStats(), RunListener.NONE)) {
            assertThatThrownBy(() -> scheduler.execute(plan(all, 300), spec, sink))
                    .isInstanceOf(Esm2jException.class)
                    .satisfies(e -> assertThat(((Esm2jException) e).exitCode()).isEqualTo(ExitCode.DEVICE_FAILURE))
                    .hasMessageContaining("every device failed")
                    .hasMessageContaining("sim:0: simulated device failure after 1 batches")
                    .hasMessageContaining("sim:1: simulated device failure after 2 batches");
        }
        assertThat(sink.deliveries.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    }

    @Test
    void aSequenceThatFitsNowhereEvenAloneStopsTheRunNamingIt() {
        List<TokenizedSequence> all = new ArrayList<>(randomSequences(10, 20, 5, 0));
        all.addAll(randomSequences(1, 1, 5, 10));
        TokenizedSequence huge = new org.esm2j.tokens.Tokenizer(0).tokenize(11, "giant", "A".repeat(5000));
        all.add(huge);
        // 1 MiB at 1 KiB per token: 1024 tokens at most, the giant has 5002.
        List<SimulatedDevice> devices = List.of(
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", MIB), tiny.weights()),
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:1", MIB), tiny.weights()));
        try (DeviceScheduler scheduler = new DeviceScheduler(devices, options(512, null), new RunStats(), RunListener.NONE)) {
            assertThatThrownBy(() -> scheduler.execute(plan(all, 512), spec, new Collector()))
                    .isInstanceOf(Esm2jException.class)
                    .hasMessageContaining("sequence 'giant' (5000 residues) does not fit in the memory of any device");
        }
    }

    @Test
    void budgetsAreSearchedOnceThenTakenFromTheCache(@TempDir Path dir) throws Exception {
        SizingCache cache = new SizingCache(dir.resolve("batch-sizes.json"));
        List<TokenizedSequence> all = randomSequences(60, 120, 9, 0);
        Map<Long, SequenceEmbedding> expected = oneDevice(all);
        SimulatedDevice.Spec small = SimulatedDevice.Spec.of("sim:0", 2 * MIB).withCeilingFactor(3);

        RunStats first = new RunStats();
        SimulatedDevice device = new SimulatedDevice(small, tiny.weights());
        Collector sink = new Collector();
        try (DeviceScheduler scheduler = new DeviceScheduler(List.of(device), options(0, cache), first, RunListener.NONE)) {
            scheduler.execute(plan(all, scheduler.tokenBudget()), spec, sink);
            // 2 MiB at 1 KiB per token: 2048 tokens; probes are 128 tokens long, so 16 of them: 2048 tokens, less 10%.
            assertThat(scheduler.tokenBudget("sim:0")).isEqualTo(1843);
            assertThat(scheduler.tokenBudget()).isEqualTo(1843);
        }
        assertBitIdentical(sink.results, expected);
        assertThat(first.devices().get("sim:0").budgetSource).isEqualTo("searched");
        assertThat(first.devices().get("sim:0").sizingTrials.get()).isBetween(1L, 12L);
        assertThat(Files.readString(cache.file())).contains("\"budget\" : 1843", "simulated device", "128 tokens");

        RunStats second = new RunStats();
        SimulatedDevice again = new SimulatedDevice(small, tiny.weights());
        try (DeviceScheduler scheduler = new DeviceScheduler(List.of(again), options(0, cache), second, RunListener.NONE)) {
            scheduler.execute(plan(all, scheduler.tokenBudget()), spec, new Collector());
            assertThat(scheduler.tokenBudget("sim:0")).isEqualTo(1843);
        }
        assertThat(second.devices().get("sim:0").budgetSource).isEqualTo("cached");
        assertThat(second.devices().get("sim:0").sizingTrials.get()).isZero();
        assertThat(again.realOoms()).isZero();
    }

    @Test
    void aFixedBudgetSkipsTheSearch() {
        SimulatedDevice device = new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 64 * MIB), tiny.weights());
        RunStats stats = new RunStats();
        List<TokenizedSequence> all = randomSequences(30, 50, 2, 0);
        try (DeviceScheduler scheduler = new DeviceScheduler(List.of(device), options(700, null), stats, RunListener.NONE)) {
            scheduler.execute(plan(all, 700), spec, new Collector());
            assertThat(scheduler.tokenBudget()).isEqualTo(700);
        }
        assertThat(stats.devices().get("sim:0").budgetSource).isEqualTo("--toks-per-batch");
        assertThat(stats.devices().get("sim:0").sizingTrials.get()).isZero();
    }

    @Test
    void memoryPressureLowersTheBudgetOfASizedDevice() {
        SimulatedDevice device = new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 64 * MIB), tiny.weights());
        RunStats stats = new RunStats();
        List<TokenizedSequence> all = randomSequences(200, 60, 4, 0);
        Map<Long, SequenceEmbedding> expected = oneDevice(all);
        Collector sink = new Collector();
        try (DeviceScheduler scheduler = new DeviceScheduler(List.of(device), options(4000, null), stats, RunListener.NONE)) {
            // Another process takes all but 1 MiB: free memory is under 2% of 64 MiB (1.28 MiB).
            device.occupyExternal(63 * MIB);
            scheduler.memoryMonitor().pollOnce();
            assertThat(scheduler.memoryMonitor().underPressure("sim:0")).isTrue();
            scheduler.execute(plan(all, 4000), spec, sink);
            assertThat(scheduler.tokenBudget("sim:0")).isLessThan(4000);
        }
        assertThat(stats.devices().get("sim:0").pressureReductions.sum()).isPositive();
        assertThat(stats.devices().get("sim:0").memoryPressure).isTrue();
        sink.assertExactlyOnce(all);
        assertBitIdentical(sink.results, expected);
    }

    @Test
    void theCpuGoesThroughTheSameScheduler() {
        List<TokenizedSequence> all = randomSequences(40, 80, 8, 0);
        Map<Long, SequenceEmbedding> expected = oneDevice(all);
        RunStats stats = new RunStats();
        Collector sink = new Collector();
        try (DeviceScheduler scheduler = new DeviceScheduler(List.of(new CpuDevice(tiny.weights(), 2)), options(0, null), stats,
                RunListener.NONE)) {
            scheduler.execute(plan(all, scheduler.tokenBudget()), spec, sink);
            assertThat(scheduler.tokenBudget()).isEqualTo(CpuDevice.DEFAULT_TOKEN_BUDGET);
        }
        assertBitIdentical(sink.results, expected);
        assertThat(stats.devices().get("cpu").budgetSource).isEqualTo("default");
        // The CPU works in the JVM heap, which the progress display samples itself: no device memory figures.
        assertThat(stats.devices().get("cpu").memoryUsedBytes.get()).isEqualTo(-1);
        assertThat(stats.devices().get("cpu").runningSinceNanos.get()).isZero();
        assertThat(stats.devices().get("cpu").busyNanos.sum()).isPositive();
    }

    @Test
    void theSchedulerUsesOnePlatformThreadPerDevice() throws Exception {
        List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        RunListener listener = new RunListener() {
            @Override
            public void batchFinished(String deviceId, Batch batch, long nanos) {
                Thread t = Thread.currentThread();
                assertThat(t.isVirtual()).isFalse();
                threads.add(deviceId + "@" + t.getName());
            }
        };
        List<SimulatedDevice> devices = List.of(
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:0", 64 * MIB).withTiming(20_000, false), tiny.weights()),
                new SimulatedDevice(SimulatedDevice.Spec.of("sim:1", 64 * MIB).withTiming(20_000, false), tiny.weights()));
        RunStats stats = new RunStats();
        boolean[] sawRunning = {false};
        try (DeviceScheduler scheduler = new DeviceScheduler(devices, options(200, null), stats, listener)) {
            // What the progress display reads while batches run: a device in a batch has runningSinceNanos set.
            Thread sampler = Thread.ofPlatform().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (DeviceStats d : stats.devices().values()) {
                        sawRunning[0] |= d.runningSinceNanos.get() != 0;
                    }
                    Thread.onSpinWait();
                }
            });
            scheduler.execute(plan(randomSequences(100, 40, 1, 0), 200), spec, new Collector());
            sampler.interrupt();
            sampler.join();
        }
        assertThat(sawRunning[0]).isTrue();
        assertThat(stats.devices().values()).allSatisfy(d -> assertThat(d.runningSinceNanos.get()).isZero());
        assertThat(threads).allSatisfy(s -> assertThat(s).matches("(sim:\\d)@esm2j-device-\\1"));
        assertThat(threads.stream().map(s -> s.split("@")[0]).distinct()).containsExactlyInAnyOrder("sim:0", "sim:1");
    }
}
