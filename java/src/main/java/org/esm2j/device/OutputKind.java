package org.esm2j.device;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.tokens.Alphabet;

import java.util.Locale;

/** What can be asked of a forward pass; the names are fair-esm's {@code --include} words. */
public enum OutputKind {
    /** Per layer: mean over residue positions 1..n (BOS and EOS excluded), [E]. */
    MEAN,
    /** Per layer: every residue position 1..n, [n, E]. */
    PER_TOK,
    /** Per layer: the BOS ({@code <cls>}) position, [E]. */
    BOS,
    /** LM head output for every token position (BOS and EOS included), [T, 33]. */
    LOGITS,
    /** Contact map over residues from all attention maps (symmetrized, APC, logistic regression), [n, n]. */
    CONTACTS;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean perLayer() {
        return this == MEAN || this == PER_TOK || this == BOS;
    }

    /**
     * The shape of one row of this kind's output ({@code [E]} for mean, bos and per_tok, {@code [33]} for logits,
     * none for contacts, which is a flat array of {@code n*n} values): the single rule that the run's window bound,
     * the CUDA result buffer and the npy arrays all size from.
     */
    public long[] rowShape(int hidden) {
        return switch (this) {
            case MEAN, BOS, PER_TOK -> new long[] {hidden};
            case LOGITS -> new long[] {Alphabet.SIZE};
            case CONTACTS -> new long[0];
        };
    }

    /** Floats in one row: the product of {@link #rowShape}. */
    public long rowFloats(int hidden) {
        long n = 1;
        for (long d : rowShape(hidden)) {
            n *= d;
        }
        return n;
    }

    /**
     * Rows one sequence of {@code residues} residues produces (per layer, for the per-layer kinds): one for mean and
     * bos, one per residue for per_tok, one per token (BOS and EOS included) for logits, {@code n*n} for contacts.
     */
    public long rows(int residues) {
        return switch (this) {
            case MEAN, BOS -> 1;
            case PER_TOK -> residues;
            case LOGITS -> residues + 2L;
            case CONTACTS -> (long) residues * residues;
        };
    }

    public static OutputKind parse(String s) {
        for (OutputKind k : values()) {
            if (k.cliName().equals(s.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new InvalidParameterException(Parameter.KINDS, "unknown output '" + s + "'; choose from mean, per_tok, bos, logits, contacts");
    }
}
