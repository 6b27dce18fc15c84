package org.esm2j.tokens;

import java.util.List;

/**
 * The ESM-2 vocabulary (fair-esm's "ESM-1b" alphabet): 4 special tokens, 25 residue letters plus '.' and '-',
 * {@code <null_1>} and {@code <mask>}.
 */
public final class Alphabet {
    public static final int CLS = 0;
    public static final int PAD = 1;
    public static final int EOS = 2;
    public static final int UNK = 3;
    public static final int NULL_1 = 31;
    public static final int MASK = 32;
    public static final int SIZE = 33;

    /** Token strings by id. */
    public static final List<String> TOKENS = List.of(
            "<cls>", "<pad>", "<eos>", "<unk>",
            "L", "A", "G", "V", "S", "E", "R", "T", "I", "D", "P", "K", "Q", "N", "F", "Y", "M", "H", "W", "C",
            "X", "B", "U", "Z", "O", ".", "-",
            "<null_1>", "<mask>");

    private static final byte[] LETTER_TO_TOKEN = new byte[128];

    static {
        java.util.Arrays.fill(LETTER_TO_TOKEN, (byte) -1);
        for (int id = 4; id <= 30; id++) {
            char c = TOKENS.get(id).charAt(0);
            LETTER_TO_TOKEN[c] = (byte) id;
            if (Character.isLetter(c)) {
                LETTER_TO_TOKEN[Character.toLowerCase(c)] = (byte) id;
            }
        }
    }

    private Alphabet() {
    }

    /** The token of a residue character (either case), or -1 when it is not in the alphabet. */
    public static int letterToken(char c) {
        return c < 128 ? LETTER_TO_TOKEN[c] : -1;
    }
}
