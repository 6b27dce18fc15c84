package org.esm2j.device;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;

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

    public static OutputKind parse(String s) {
        for (OutputKind k : values()) {
            if (k.cliName().equals(s.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new InvalidParameterException(Parameter.KINDS, "unknown output '" + s + "'; choose from mean, per_tok, bos, logits, contacts");
    }
}
