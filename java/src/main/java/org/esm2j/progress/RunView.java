package org.esm2j.progress;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The whole run at one instant.
 *
 * @param residuesDone      residues of the sequences the devices have finished (tokens less {@code <cls>}/{@code <eos>})
 * @param expectedSequences records in the input, or -1 when streaming (stdin)
 * @param expectedResidues  sequence letters in the input (an upper bound before truncation), or -1 when streaming
 */
public record RunView(long elapsedNanos, long sequencesDone, long tokensDone, long residuesDone,
                      long expectedSequences, long expectedResidues,
                      double recentTokensPerSecond, double recentResiduesPerSecond, List<DeviceView> devices) {

    public boolean streaming() {
        return expectedResidues < 0 && expectedSequences < 0;
    }

    /**
     * Share of the work done, by residues where their total is known (the cost of a batch follows its
     * tokens, and within a window the longest sequences go first, so counting sequences would lag).
     */
    public OptionalDouble fraction() {
        if (expectedResidues > 0) {
            return OptionalDouble.of(Math.min(1, (double) residuesDone / expectedResidues));
        }
        if (expectedSequences > 0) {
            return OptionalDouble.of(Math.min(1, (double) sequencesDone / expectedSequences));
        }
        return expectedResidues == 0 || expectedSequences == 0 ? OptionalDouble.of(1) : OptionalDouble.empty();
    }

    /** Time left at the recent rate; empty when streaming or before anything finished. */
    public OptionalLong etaNanos() {
        if (expectedResidues >= 0 && recentResiduesPerSecond > 0) {
            long left = Math.max(0, expectedResidues - residuesDone);
            return OptionalLong.of((long) (left / recentResiduesPerSecond * 1e9));
        }
        if (expectedResidues < 0 && expectedSequences >= 0 && sequencesDone > 0 && elapsedNanos > 0) {
            long left = Math.max(0, expectedSequences - sequencesDone);
            return OptionalLong.of((long) ((double) left / sequencesDone * elapsedNanos));
        }
        return OptionalLong.empty();
    }
}
