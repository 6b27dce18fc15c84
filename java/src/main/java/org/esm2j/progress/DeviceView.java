package org.esm2j.progress;

/**
 * One device at one instant, as the dashboard and the progress lines show it.
 *
 * @param recentTokensPerSecond tokens per second over the recent window (not the average since the start)
 * @param recentBusyFraction    share of the recent window the device spent running batches, 0..1
 * @param tokenBudget           tokens per batch in force now; -1 when not known
 * @param failure               why the device was taken out of the run, or null
 */
public record DeviceView(String id, String description, long sequences, long tokens, long batches, long busyNanos,
                         double recentTokensPerSecond, double recentBusyFraction, Memory memory, long tokenBudget,
                         long oomRetries, String failure) {

    public boolean failed() {
        return failure != null;
    }
}
