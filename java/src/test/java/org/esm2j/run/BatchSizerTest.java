package org.esm2j.run;

import org.esm2j.model.OutputKind;
import org.esm2j.model.OutputSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token-budget search against simulated devices whose true limit is known exactly. */
class BatchSizerTest {
    private static final OutputSpec MEAN = OutputSpec.of(EnumSet.of(OutputKind.MEAN), List.of(-1), 2);
    private static final long MIB = 1L << 20;

    /** The largest batch of {@code length}-token sequences the device can run, in tokens. */
    private static long trueLimit(SimulatedDevice.Spec spec, int length) {
        return Math.min(spec.maxSequencesOf(length, 0), BatchSizer.MAX_TOKENS / length) * length;
    }

    @Test
    void findsTheTrueLimitWithin5PercentIn12TrialsOrFewerOverManyDevices() {
        Random random = new Random(2024);
        int worstTrials = 0;
        double worstError = 0;
        for (int i = 0; i < 200; i++) {
            int length = 3 + random.nextInt(2046);
            long capacity = (long) (Math.pow(10, 6 + 3 * random.nextDouble()));          // 1 MB .. 1 GB
            long weights = (long) (capacity * 0.5 * random.nextDouble());
            long perToken = 64 + random.nextInt(64 * 1024);
            long perSequence = random.nextInt(1 << 16);
            double ceilingFactor = Math.pow(10, 3 * random.nextDouble());                    // estimate 1x .. 1000x too high
            SimulatedDevice.Spec spec = SimulatedDevice.Spec.of("sim:" + i, capacity).withMemory(weights, perToken, perSequence)
                    .withCeilingFactor(ceilingFactor);
            long truth = trueLimit(spec, length);
            if (truth == 0) {
                continue; // not even one sequence fits: tested below
            }
            SimulatedDevice device = SimulatedDevice.memoryOnly(spec);
            BatchSizer.Result r = new BatchSizer().search(device, length, Integer.MAX_VALUE, MEAN);
            String what = spec + ", length " + length + ", true limit " + truth;
            assertThat(r.limitTokens()).as(what).isLessThanOrEqualTo(truth);
            assertThat(r.limitTokens()).as(what).isGreaterThanOrEqualTo((long) Math.ceil(truth / 1.05) - length + 1);
            assertThat(r.limitTokens() * 1.05).as(what).isGreaterThanOrEqualTo(truth < 20L * length ? r.limitTokens() : truth);
            assertThat(r.trials()).as(what).isLessThanOrEqualTo(12);
            assertThat(device.calls()).isEqualTo(r.trials());
            assertThat(r.budget()).isEqualTo(Math.max(length, (long) Math.floor(r.limitTokens() * 0.9)));
            worstTrials = Math.max(worstTrials, r.trials());
            if (truth >= 20L * length) {
                worstError = Math.max(worstError, 1 - (double) r.limitTokens() / truth);
            }
        }
        assertThat(worstTrials).isLessThanOrEqualTo(12);
        assertThat(worstError).isLessThanOrEqualTo(0.05);
    }

    @ParameterizedTest(name = "limit {0} sequences of {1} tokens, estimate {2}x")
    @CsvSource({"1, 1024, 1", "1, 1024, 1000", "2, 1024, 1", "7, 100, 50", "999, 130, 1", "999, 130, 1.001", "1000, 34, 1000",
            "4321, 258, 2", "20000, 3, 10"})
    void edgeCases(long sequences, int length, double ceilingFactor) {
        // Capacity holding exactly `sequences` sequences at 1 KiB per token.
        SimulatedDevice.Spec spec = SimulatedDevice.Spec.of("sim:0", sequences * length * 1024).withCeilingFactor(ceilingFactor);
        SimulatedDevice device = SimulatedDevice.memoryOnly(spec);
        BatchSizer.Result r = new BatchSizer().search(device, length, Integer.MAX_VALUE, MEAN);
        long found = r.limitTokens() / length;
        sequences = Math.min(sequences, BatchSizer.MAX_TOKENS / length); // the cap binds before memory for some
        assertThat(found).isLessThanOrEqualTo(sequences);
        assertThat(found * 1.05).isGreaterThanOrEqualTo(sequences - 1 <= 20 ? found : sequences);
        if (sequences <= 20) {
            assertThat(found).isEqualTo(sequences);
        }
        assertThat(r.trials()).isLessThanOrEqualTo(12);
    }

    @Test
    void anAccurateEstimateCostsOneTrial() {
        // 128 MiB at 1 KiB per token: memory binds (128 sequences of 1,024 tokens) below BatchSizer.MAX_TOKENS.
        SimulatedDevice device = SimulatedDevice.memoryOnly(SimulatedDevice.Spec.of("sim:0", 128L << 20));
        BatchSizer.Result r = new BatchSizer().search(device, 1024, 4096, MEAN);
        assertThat(r.trials()).isEqualTo(1);
        assertThat(r.limitTokens()).isEqualTo(128 * 1024).isLessThan(BatchSizer.MAX_TOKENS);
    }

    @Test
    void theCeilingIsCappedByTheSequenceLimitAndMaxTokens() {
        SimulatedDevice big = SimulatedDevice.memoryOnly(SimulatedDevice.Spec.of("sim:0", 80L << 30));
        BatchSizer.Result r = new BatchSizer().search(big, 1024, 4096, MEAN);
        assertThat(r.trials()).isEqualTo(1);
        assertThat(r.limitTokens()).isEqualTo(BatchSizer.MAX_TOKENS);
        BatchSizer.Result few = new BatchSizer().search(SimulatedDevice.memoryOnly(SimulatedDevice.Spec.of("sim:1", 80L << 30)), 256, 100, MEAN);
        assertThat(few.limitTokens()).isEqualTo(100 * 256);
    }

    @Test
    void injectedOomsDuringTheSearchOnlyMakeItMoreCautious() {
        SimulatedDevice.Spec spec = SimulatedDevice.Spec.of("sim:0", 512 * MIB).withCeilingFactor(2).withFaults(Set.of(0, 3), 0, -1, 1);
        BatchSizer.Result r = new BatchSizer().search(SimulatedDevice.memoryOnly(spec), 512, 4096, MEAN);
        assertThat(r.limitTokens()).isLessThanOrEqualTo(trueLimit(spec, 512));
        assertThat(r.trials()).isLessThanOrEqualTo(12);
    }

    @Test
    void aDeviceThatCannotHoldOneSequenceIsReportedAsFailed() {
        SimulatedDevice device = SimulatedDevice.memoryOnly(SimulatedDevice.Spec.of("sim:7", 1000 * 1024).withCeilingFactor(5));
        assertThatThrownBy(() -> new BatchSizer().search(device, 1024, 4096, MEAN))
                .isInstanceOf(DeviceFailureException.class)
                .hasMessageContaining("sim:7: not even one sequence of 1024 tokens fits in memory");
        assertThat(device.calls()).isLessThanOrEqualTo(12);
    }
}
