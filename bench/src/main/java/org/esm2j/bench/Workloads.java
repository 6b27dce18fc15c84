package org.esm2j.bench;

import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The sequences the benchmarks encode: fixed-length batches (to compare with figures quoted as
 * "8 × 256 tokens") and a realistic length mix, the same distribution as {@code bench/compare}'s
 * (lognormal, median 300 residues, σ = 0.6, clipped to 30..1022), residues drawn from the 20
 * standard amino acids. Seeded: the same call gives the same sequences.
 */
public final class Workloads {
    public static final double MEDIAN_RESIDUES = 300;
    public static final double SIGMA = 0.6;
    public static final int MIN_RESIDUES = 30;
    public static final int MAX_RESIDUES = 1022;
    private static final String AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY";

    private Workloads() {
    }

    /** {@code count} sequences of exactly {@code tokens} tokens each (residues + BOS + EOS). */
    public static List<TokenizedSequence> fixed(int count, int tokens, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<TokenizedSequence> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(sequence(i, rng, tokens - 2));
        }
        return out;
    }

    /** {@code count} sequences with lognormal lengths (see the class comment). */
    public static List<TokenizedSequence> lengthMix(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<TokenizedSequence> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double gaussian = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
            int residues = (int) Math.round(MEDIAN_RESIDUES * Math.exp(SIGMA * gaussian));
            out.add(sequence(i, rng, Math.clamp(residues, MIN_RESIDUES, MAX_RESIDUES)));
        }
        return out;
    }

    public static long tokens(List<TokenizedSequence> seqs) {
        return seqs.stream().mapToLong(TokenizedSequence::length).sum();
    }

    private static TokenizedSequence sequence(int index, SplittableRandom rng, int residues) {
        StringBuilder sb = new StringBuilder(residues);
        for (int j = 0; j < residues; j++) {
            sb.append(AMINO_ACIDS.charAt(rng.nextInt(AMINO_ACIDS.length())));
        }
        return new Tokenizer(0).tokenize(index, "seq" + index, sb);
    }
}
