package org.esm2j.tokens;

import java.util.Locale;

/**
 * What happens to a protein longer than the truncation length L ({@code --long-sequences}).
 *
 * <ul>
 *   <li>{@link #TRUNCATE}: its first L residues are embedded (fair-esm's {@code esm-extract}); it is counted as
 *       truncated.</li>
 *   <li>{@link #WINDOW}: windows of L residues ({@link SequenceWindows}) are embedded as sequences of their own and
 *       combined per residue into one result for the whole protein.</li>
 *   <li>{@link #FULL}: no limit; attention spans the whole protein, on a device whose memory holds it.</li>
 * </ul>
 */
public enum LongSequences {
    TRUNCATE,
    WINDOW,
    FULL;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The residue limit the tokenizer applies for this policy: the truncation length, or none (0). */
    public int tokenizerLimit(int truncation) {
        return this == TRUNCATE ? truncation : 0;
    }
}
