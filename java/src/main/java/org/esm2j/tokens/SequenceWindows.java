package org.esm2j.tokens;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * How a protein longer than {@code length} residues is cut for {@code --long-sequences window}: windows of
 * {@code length} residues starting at residue 0, S, 2S, … (S = {@code stride}) as long as they fit, plus one window
 * ending at the last residue when the last of those does not. Every residue is in at least one window (S ≤ L), and
 * every window is a sequence of its own for the model: {@code <cls>}, its residues, {@code <eos>}.
 *
 * <p>A protein of 3,000 residues with L = 1022 and S = 511 gives windows starting at 0, 511, 1022, 1533 and 1978.
 *
 * @param length residues per window (L, {@code --truncation-seq-length}), at least 1
 * @param stride residues between window starts (S, {@code --window-stride}), 1..length
 */
public record SequenceWindows(int length, int stride) {

    public SequenceWindows {
        if (length < 1) {
            throw new InvalidParameterException(Parameter.LONG_SEQUENCES, "{longSequences} window cuts proteins into windows of {truncation} "
                    + "residues, so {truncation} must be >= 1 (0 means no limit), got " + length);
        }
        if (stride < 1 || stride > length) {
            throw new InvalidParameterException(Parameter.WINDOW_STRIDE, "{windowStride} must be between 1 and {truncation} (" + length
                    + ") so that the windows cover every residue, got " + stride);
        }
    }

    /** fair-esm-sized windows overlapping by half: stride L/2 (at least 1). */
    public static SequenceWindows halfOverlapping(int length) {
        return new SequenceWindows(length, Math.max(1, length / 2));
    }

    /** Whether a protein of {@code residues} residues is cut (longer than one window). */
    public boolean cuts(int residues) {
        return residues > length;
    }

    /** The first residue (0-based) of each window of a protein of {@code residues} residues, ascending. */
    public int[] starts(int residues) {
        if (!cuts(residues)) {
            return new int[] {0};
        }
        int full = (residues - length) / stride + 1; // windows k*S with k*S + L <= n
        int last = (full - 1) * stride;
        boolean tail = last + length < residues;
        int[] starts = new int[full + (tail ? 1 : 0)];
        for (int k = 0; k < full; k++) {
            starts[k] = k * stride;
        }
        if (tail) {
            starts[full] = residues - length;
        }
        return starts;
    }

    /** Windows of a protein of {@code residues} residues. */
    public int count(int residues) {
        return starts(residues).length;
    }

    /** Tokens the model runs for a protein of {@code residues} residues: each window with its {@code <cls>} and {@code <eos>}. */
    public long tokens(int residues) {
        return cuts(residues) ? (long) count(residues) * (length + 2) : residues + 2L;
    }

    /**
     * The windows of {@code protein} (tokenized without truncation) as sequences of their own, numbered
     * {@code firstIndex}, {@code firstIndex + 1}, … and named {@code id[from-to]} (1-based residues, for messages).
     * Unknown letters are counted on the protein, not on its windows.
     */
    public List<TokenizedSequence> cut(TokenizedSequence protein, long firstIndex) {
        int[] starts = starts(protein.residues());
        List<TokenizedSequence> windows = new ArrayList<>(starts.length);
        int[] tokens = protein.tokens();
        for (int k = 0; k < starts.length; k++) {
            int from = starts[k];
            int n = Math.min(length, protein.residues() - from);
            int[] w = new int[n + 2];
            w[0] = Alphabet.CLS;
            System.arraycopy(tokens, 1 + from, w, 1, n);
            w[n + 1] = Alphabet.EOS;
            windows.add(new TokenizedSequence(firstIndex + k, protein.id() + "[" + (from + 1) + "-" + (from + n) + "]", w, 0, -1));
        }
        return windows;
    }
}
