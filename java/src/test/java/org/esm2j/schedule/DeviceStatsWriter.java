package org.esm2j.schedule;

/**
 * Writes a run's statistics as the scheduler's worker and memory monitor, and the run, do, for display tests in other
 * packages (outside {@code schedule} the figures are read-only).
 */
public final class DeviceStatsWriter {
    private DeviceStatsWriter() {
    }

    /** The run's input counts, as if it had read that much (what the other counters hold stays 0). */
    public static void inputCounts(RunStats s, long written, long residues, long unknownLetters, long withUnknown, long truncated,
            long skippedEmpty, long skippedDuplicate) {
        s.sequencesWritten.set(written);
        s.residues.set(residues);
        s.unknownLetters.set(unknownLetters);
        s.sequencesWithUnknown.set(withUnknown);
        s.truncated.set(truncated);
        s.skippedEmpty.set(skippedEmpty);
        s.skippedDuplicate.set(skippedDuplicate);
    }

    /** Finished work: sequences, tokens, busy time and batches, added. */
    public static void work(DeviceStats d, long sequences, long tokens, long busyNanos, long batches) {
        d.sequences.add(sequences);
        d.tokens.add(tokens);
        d.busyNanos.add(busyNanos);
        d.batches.add(batches);
    }

    public static void memoryUsed(DeviceStats d, long bytes) {
        d.memoryUsedBytes.set(bytes);
    }

    /** The peak only rises, as the memory monitor keeps it. */
    public static void memoryPeak(DeviceStats d, long bytes) {
        d.peakMemoryBytes.accumulateAndGet(bytes, Math::max);
    }

    public static void memoryTotal(DeviceStats d, long bytes) {
        d.totalMemoryBytes.set(bytes);
    }

    public static void tokenBudget(DeviceStats d, long tokens) {
        d.tokenBudgetFrom(() -> tokens);
    }

    public static void oomRetries(DeviceStats d, long retries) {
        d.oomRetries.add(retries);
    }

    public static void failed(DeviceStats d, String why) {
        d.failure = why;
    }

    public static void runningSince(DeviceStats d, long nanos) {
        d.runningSinceNanos.set(nanos);
    }
}
