package org.esm2j.schedule;

import org.esm2j.device.AttentionBackend;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.tokens.TokenizedSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.esm2j.device.AttentionBackend.CUDNN;
import static org.esm2j.device.AttentionBackend.FLASH;
import static org.esm2j.device.AttentionBackend.REFERENCE;
import static org.esm2j.schedule.SchedulerFixtures.Collector;
import static org.esm2j.schedule.SchedulerFixtures.plan;
import static org.esm2j.schedule.SchedulerFixtures.randomSequences;

/**
 * The attention backend chosen by measurement at the device's budget, cached with the budget, overridden by an
 * explicit choice; on simulated devices whose backends compute at different speeds (and one that falls back).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AttentionChoiceTest {
    private static final long MIB = 1L << 20;
    private static final OutputSpec MEAN = OutputSpec.of(EnumSet.of(OutputKind.MEAN), List.of(-1), 4);
    /** Tokens per batch of these tests: 4 sequences of 256 tokens. */
    private static final long BUDGET = 1024;
    private static final int LENGTH = 256;

    /** A GPU-like device (budget searched) with the given backends, nanoseconds per token each. */
    private static SimulatedDevice device(String id, Map<AttentionBackend, Long> speeds, Set<AttentionBackend> fallingBack) {
        return SimulatedDevice.memoryOnly(SimulatedDevice.Spec.of(id, 64 * MIB).withTiming(0, true)).offeringAttention(speeds, fallingBack);
    }

    private static DeviceScheduler.Options options(SizingCache cache, long fixedBudget, AttentionBackend attention) {
        return new DeviceScheduler.Options(fixedBudget, 4096, cache, "tiny", new BatchSizer(), Duration.ofMillis(20), 0.02, attention);
    }

    private static DeviceStats choose(SimulatedDevice d, DeviceScheduler.Options options) {
        DeviceStats stats = new RunStats().device(d.id(), d.description());
        d.setTokenBudget(BUDGET);
        AttentionChooser.choose(d, options, stats, LENGTH, BUDGET, 4096, MEAN);
        return stats;
    }

    @Test
    void theFasterBackendIsMeasuredKeptAndCachedWithTheBudget(@TempDir Path dir) {
        SizingCache cache = new SizingCache(dir.resolve("batch-sizes.json"));
        String key = SizingCache.key("simulated device, " + 64 * MIB + " bytes, 1024 bytes/token", "tiny", LENGTH, DeviceScheduler.outputsKey(MEAN));
        cache.put(key, new SizingCache.Entry(BUDGET, 1100, LENGTH, 5, 0.1));
        // cuDNN ten times faster than flash; the reference kernel slower still and never timed.
        SimulatedDevice d = device("sim:0", Map.of(FLASH, 20_000L, CUDNN, 2_000L, REFERENCE, 200_000L), Set.of());
        DeviceStats stats = choose(d, options(cache, 0, AttentionBackend.AUTO));
        assertThat(d.attention().current()).isEqualTo(CUDNN);
        assertThat(stats.attention()).isEqualTo("cudnn");
        assertThat(stats.attentionSummary()).startsWith("cudnn (measured: cudnn ").contains(" vs flash ")
                .contains("per batch of 1,024 tokens");
        // One untimed and TIMED_RUNS timed batches per candidate, the reference kernel never.
        assertThat(d.attentionBatches()).containsOnly(Map.entry(FLASH, 1 + AttentionChooser.TIMED_RUNS),
                Map.entry(CUDNN, 1 + AttentionChooser.TIMED_RUNS));
        assertThat(cache.get(key)).contains(new SizingCache.Entry(BUDGET, 1100, LENGTH, 5, 0.1, "cudnn"));

        // The next run on this kind of device takes it from the cache and runs nothing.
        SimulatedDevice next = device("sim:0", Map.of(FLASH, 20_000L, CUDNN, 2_000L, REFERENCE, 200_000L), Set.of());
        DeviceStats again = choose(next, options(cache, 0, AttentionBackend.AUTO));
        assertThat(next.attention().current()).isEqualTo(CUDNN);
        assertThat(again.attentionSummary()).isEqualTo("cudnn (cached)");
        assertThat(next.calls()).isZero();
    }

    @Test
    void flashWinsWhereItIsFaster() {
        SimulatedDevice d = device("sim:0", Map.of(FLASH, 2_000L, CUDNN, 20_000L, REFERENCE, 200_000L), Set.of());
        DeviceStats stats = choose(d, options(null, 0, AttentionBackend.AUTO));
        assertThat(d.attention().current()).isEqualTo(FLASH);
        assertThat(stats.attentionSummary()).startsWith("flash (measured: flash ");
    }

    @Test
    void anExplicitChoiceOverridesMeasurementAndCache(@TempDir Path dir) {
        SizingCache cache = new SizingCache(dir.resolve("batch-sizes.json"));
        SimulatedDevice d = device("sim:0", Map.of(FLASH, 20_000L, CUDNN, 2_000L, REFERENCE, 200_000L), Set.of());
        DeviceStats stats = choose(d, options(cache, 0, REFERENCE));
        assertThat(d.attention().current()).isEqualTo(REFERENCE);
        assertThat(stats.attentionSummary()).isEqualTo("reference (asked)");
        assertThat(d.calls()).isZero();
        assertThat(AttentionBackend.parse("CuDNN", "ESM2J_ATTENTION=")).isEqualTo(CUDNN);
        assertThatThrownBy(() -> AttentionBackend.parse("fast", "ESM2J_ATTENTION=")).hasMessageContaining("ESM2J_ATTENTION=fast: expected auto, flash, cudnn or reference");
    }

    @Test
    void aBackendThatFallsBackIsDroppedWithItsReason() {
        SimulatedDevice d = device("sim:0", Map.of(FLASH, 20_000L, CUDNN, 2_000L, REFERENCE, 200_000L), Set.of(CUDNN));
        DeviceStats stats = choose(d, options(null, 0, AttentionBackend.AUTO));
        assertThat(d.attention().current()).isEqualTo(FLASH);
        assertThat(stats.attentionSummary()).contains("cudnn did not run: simulated: cudnn refused the shape");
        assertThat(d.attentionBatches()).containsOnly(Map.entry(FLASH, 2));
    }

    @Test
    void withOneCandidateNothingIsMeasured() {
        // FP32 on a GPU: flash and the reference kernel, no cuDNN.
        SimulatedDevice d = device("sim:0", Map.of(FLASH, 2_000L, REFERENCE, 200_000L), Set.of());
        DeviceStats stats = choose(d, options(null, 0, AttentionBackend.AUTO));
        assertThat(stats.attentionSummary()).isEqualTo("flash (only one)");
        assertThat(d.calls()).isZero();
    }

    @Test
    void aFixedBudgetHasItsOwnCacheEntry(@TempDir Path dir) {
        SizingCache cache = new SizingCache(dir.resolve("batch-sizes.json"));
        SimulatedDevice d = device("sim:0", Map.of(FLASH, 20_000L, CUDNN, 2_000L), Set.of());
        choose(d, options(cache, BUDGET, AttentionBackend.AUTO));
        String key = AttentionChooser.cacheKey(d, options(cache, BUDGET, AttentionBackend.AUTO), LENGTH, BUDGET, MEAN);
        assertThat(key).endsWith(" | fixed budget 1024 tokens");
        assertThat(cache.get(key).map(SizingCache.Entry::attention)).contains("cudnn");
    }

    @Test
    void theSimulatedSwitchKeepsTheLibrarysContract() {
        SimulatedDevice d = device("sim:0", Map.of(FLASH, 0L, REFERENCE, 0L), Set.of());
        assertThatThrownBy(() -> d.attention().set(CUDNN)).isInstanceOf(IllegalArgumentException.class);
        List<TokenizedSequence> batch = randomSequences(2, 50, 1, 0);
        var pending = d.submit(batch, MEAN);
        assertThatThrownBy(() -> d.attention().set(REFERENCE)).isInstanceOf(IllegalStateException.class);
        pending.await();
        d.attention().set(REFERENCE);
        assertThat(d.attention().current()).isEqualTo(REFERENCE);
    }

    @Test
    void aRunMeasuresOnceAtTheSearchedBudgetAndEncodesWithTheFaster(@TempDir Path dir) {
        SizingCache cache = new SizingCache(dir.resolve("batch-sizes.json"));
        SimulatedDevice d = device("sim:0", Map.of(FLASH, 2_000L, CUDNN, 200L, REFERENCE, 20_000L), Set.of());
        List<TokenizedSequence> all = randomSequences(200, 120, 3, 0);
        RunStats stats = new RunStats();
        Collector sink = new Collector();
        try (DeviceScheduler scheduler = new DeviceScheduler(List.of(d), options(cache, 0, AttentionBackend.AUTO), stats, RunListener.NONE)) {
            scheduler.execute(plan(all, scheduler.tokenBudget()), MEAN, sink);
        }
        sink.assertExactlyOnce(all);
        DeviceStats ds = stats.devices().get("sim:0");
        assertThat(ds.budgetSource()).isEqualTo("searched");
        assertThat(ds.attention()).isEqualTo("cudnn");
        assertThat(ds.toMap()).containsEntry("attention", "cudnn").containsEntry("attention_source", "measured");
        // The budget search's trials ran on flash (the default); the measurement ran 1 + TIMED_RUNS flash batches; all
        // the rest, the run's batches included, on cuDNN.
        int flashTrials = d.attentionBatches().get(FLASH) - 1 - AttentionChooser.TIMED_RUNS;
        assertThat(ds.sizingTrials.get()).isEqualTo(flashTrials);
        assertThat(d.attentionBatches().get(CUDNN)).isEqualTo(d.calls() - d.attentionBatches().get(FLASH));
        assertThat(d.attentionBatches().get(CUDNN)).isGreaterThan(1 + AttentionChooser.TIMED_RUNS);
    }
}
