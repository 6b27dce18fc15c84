package org.esm2j.schedule;

import org.esm2j.device.BatchLimits;
import org.esm2j.device.DeviceContractException;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.cuda.CudaDevice;
import org.esm2j.device.cuda.ffi.Esm2jH;
import org.esm2j.tokens.TokenizedSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.esm2j.schedule.SchedulerFixtures.Collector;
import static org.esm2j.schedule.SchedulerFixtures.plan;
import static org.esm2j.schedule.SchedulerFixtures.randomSequences;

/**
 * The scheduler and the budget search against a device that obeys the CUDA library's batch limits — the contract
 * the first GPU run broke on 2026-12-04: every automatically sized run asked {@code esm2j_workspace_bytes} for
 * 2,097,152 tokens while the library accepted 1,048,560. The simulated device reads the limits where
 * {@code CudaDevice} reads them (the bindings' mirror of {@code esm2j.h}) and refuses past them as the library does.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DeviceLimitsTest {
    private static final long GIB = 1L << 30;
    private static final OutputSpec MEAN = OutputSpec.of(EnumSet.of(OutputKind.MEAN), List.of(-1), 4);
    /** What libesm2j accepted on 2026-12-04 (grid limits of its reference kernels), below Java's own cap then. */
    private static final BatchLimits LIMITS_OF_2026_12_04 = new BatchLimits(65535L * 16, 65535);

    /**
     * An H200's 141 GiB running a small model (1.3 GiB of weights, 4 KiB of activations per token): memory alone
     * would allow tens of millions of tokens per batch, so only the limits stop the search.
     */
    private static SimulatedDevice.Spec h200(String id) {
        return SimulatedDevice.Spec.of(id, 141 * GIB).withMemory(1300L << 20, 4096, 256);
    }

    private static DeviceScheduler.Options options(long fixedBudget, int maxSequences, SizingCache cache) {
        return new DeviceScheduler.Options(fixedBudget, maxSequences, cache, "esm2-small", new BatchSizer(), Duration.ofMillis(20), 0.02);
    }

    /** Runs {@code all} through one scheduler over {@code devices} in one window; returns the stats. */
    private static RunStats run(List<SimulatedDevice> devices, DeviceScheduler.Options options, List<TokenizedSequence> all) {
        RunStats stats = new RunStats();
        Collector sink = new Collector();
        try (DeviceScheduler scheduler = new DeviceScheduler(List.copyOf(devices), options, stats, RunListener.NONE)) {
            scheduler.execute(plan(all, scheduler.tokenBudget()), MEAN, sink);
        }
        sink.assertExactlyOnce(all);
        return stats;
    }

    @Test
    void theSimulatedDeviceReadsTheLibrarysLimitsFromTheBindings() {
        assertThat(SimulatedDevice.Spec.of("sim:0", GIB).limits()).isEqualTo(CudaDevice.LIBRARY_LIMITS);
        assertThat(CudaDevice.LIBRARY_LIMITS.maxTokens()).isEqualTo(Esm2jH.ESM2J_MAX_BATCH_TOKENS());
        assertThat(CudaDevice.LIBRARY_LIMITS.maxSequences()).isEqualTo(Esm2jH.ESM2J_MAX_BATCH_SEQUENCES());
    }

    @Test
    void theSimulatedDeviceRefusesABatchPastItsLimitsAsTheLibraryDoes() {
        SimulatedDevice device = SimulatedDevice.memoryOnly(h200("sim:0").withLimits(new BatchLimits(1000, 10)));
        List<TokenizedSequence> eleven = randomSequences(11, 5, 1, 0);
        assertThatThrownBy(() -> device.submit(eleven, MEAN)).isInstanceOf(DeviceContractException.class)
                .hasMessageContaining("max_seqs 11 in 1..10").hasMessageContaining("bug in esm2j");
        device.setTokenBudget(1001);
        assertThatThrownBy(() -> device.submit(eleven.subList(0, 1), MEAN)).isInstanceOf(DeviceContractException.class)
                .hasMessageContaining("max_tokens 1001 must be in 2..1000");
    }

    @Test
    void automaticSizingFromAnEmptyCacheOnAnH200StaysWithinTheLibrarysLimits(@TempDir Path dir) {
        List<TokenizedSequence> all = randomSequences(3000, 1022, 42, 0);
        // The library's limits; those of 2026-12-04; and a device whose limit is below Java's own cap, as the
        // library's was below Java's 4M-token cap of that day (the case that failed every automatic sizing).
        BatchLimits belowTheCap = new BatchLimits(BatchSizer.MAX_TOKENS / 4, 65535);
        for (BatchLimits limits : List.of(CudaDevice.LIBRARY_LIMITS, LIMITS_OF_2026_12_04, belowTheCap)) {
            SimulatedDevice device = SimulatedDevice.memoryOnly(h200("sim:0").withLimits(limits));
            SizingCache cache = new SizingCache(dir.resolve(limits.maxTokens() + ".json"));
            RunStats stats = run(List.of(device), options(0, 4096, cache), all);
            DeviceStats ds = stats.devices().get("sim:0");
            assertThat(ds.failure).as("limits " + limits).isNull();
            assertThat(ds.budgetSource).isEqualTo("searched");
            assertThat(ds.tokenBudget()).isLessThanOrEqualTo(Math.min(limits.maxTokens(), BatchSizer.MAX_TOKENS))
                    .isGreaterThan(Math.min(limits.maxTokens(), BatchSizer.MAX_TOKENS) / 2);
        }
    }

    @Test
    void aFixedTokenBudgetAboveTheLimitIsClamped() {
        List<TokenizedSequence> all = randomSequences(500, 1022, 5, 0);
        SimulatedDevice device = SimulatedDevice.memoryOnly(h200("sim:0").withLimits(LIMITS_OF_2026_12_04));
        RunStats stats = run(List.of(device), options(4L << 20, 4096, null), all);
        assertThat(stats.devices().get("sim:0").failure).isNull();
        assertThat(stats.devices().get("sim:0").tokenBudget()).isEqualTo(LIMITS_OF_2026_12_04.maxTokens());

        // The library's real limit too: a budget above 2^30 tokens is clamped before any workspace is asked for.
        SimulatedDevice real = SimulatedDevice.memoryOnly(h200("sim:1"));
        RunStats big = run(List.of(real), options(Long.MAX_VALUE / 4, 4096, null), all);
        assertThat(big.devices().get("sim:1").failure).isNull();
        assertThat(big.devices().get("sim:1").tokenBudget()).isEqualTo(CudaDevice.LIBRARY_LIMITS.maxTokens());
    }

    @Test
    void aCachedBudgetAboveTheLimitIsClamped(@TempDir Path dir) {
        List<TokenizedSequence> all = randomSequences(400, 1022, 9, 0);
        SimulatedDevice device = SimulatedDevice.memoryOnly(h200("sim:0").withLimits(LIMITS_OF_2026_12_04));
        SizingCache cache = new SizingCache(dir.resolve("batch-sizes.json"));
        int length = 1024; // the scheduler's probe length for sequences of up to 1,022 residues (1,024 tokens)
        cache.put(SizingCache.key(device.sizingKey(), "esm2-small", length, DeviceScheduler.outputsKey(MEAN)),
                new SizingCache.Entry(3L << 20, 4L << 20, length, 5, 1.0));
        RunStats stats = run(List.of(device), options(0, 4096, cache), all);
        assertThat(stats.devices().get("sim:0").budgetSource).isEqualTo("cached");
        assertThat(stats.devices().get("sim:0").failure).isNull();
        assertThat(stats.devices().get("sim:0").tokenBudget()).isEqualTo(LIMITS_OF_2026_12_04.maxTokens());
    }

    @Test
    void maxBatchSequencesAboveTheDevicesLimitIsClamped(@TempDir Path dir) {
        // Short ORFs: a 300,000-token budget would put thousands of sequences in a batch; the device takes 100.
        List<TokenizedSequence> all = randomSequences(3000, 30, 11, 0);
        SimulatedDevice device = SimulatedDevice.memoryOnly(h200("sim:0").withLimits(new BatchLimits(1L << 20, 100)));
        RunStats stats = run(List.of(device), options(300_000, 4096, null), all);
        assertThat(stats.devices().get("sim:0").failure).isNull();
        assertThat(stats.devices().get("sim:0").batches.sum()).isGreaterThanOrEqualTo(30);

        SimulatedDevice searched = SimulatedDevice.memoryOnly(h200("sim:1").withLimits(new BatchLimits(1L << 20, 100)));
        RunStats auto = run(List.of(searched), options(0, 4096, new SizingCache(dir.resolve("c.json"))), all);
        assertThat(auto.devices().get("sim:1").failure).isNull();
    }

    @Test
    void aRefusalIsReportedAsABugWithTheCallAndTheLimitNotAsAJavaException() {
        // A device that refuses everything (limits below any batch) is taken out with the library's words.
        List<TokenizedSequence> all = randomSequences(20, 50, 3, 0);
        SimulatedDevice device = SimulatedDevice.memoryOnly(h200("sim:0").withLimits(new BatchLimits(2, 1)).withSearch(false));
        RunStats stats = new RunStats();
        try (DeviceScheduler scheduler = new DeviceScheduler(List.of(device), options(0, 4096, null), stats, RunListener.NONE)) {
            assertThatThrownBy(() -> scheduler.execute(plan(all, 4096), MEAN, new Collector()))
                    .isInstanceOf(org.esm2j.Esm2jException.class)
                    .hasMessageContaining("sim:0")
                    .hasMessageContaining("the CUDA library refused")
                    .hasMessageContaining("must be in 2..2")
                    .hasMessageContaining("please report it")
                    .hasMessageNotContaining("Exception");
        }
    }
}
