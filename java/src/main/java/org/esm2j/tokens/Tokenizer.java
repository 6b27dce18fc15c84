package org.esm2j.tokens;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;

import java.util.Arrays;

/**
 * Residue text to ESM-2 token ids, as fair-esm's {@code Alphabet.encode} and {@code BatchConverter} do,
 * made forgiving for real-world input.
 *
 * <ul>
 *   <li>Letters are upper-cased; letters outside the alphabet (J, digits, …) become {@code <unk>} and are counted
 *       (those cut off by truncation never reach the model and are not).</li>
 *   <li>{@code <mask>}, {@code <unk>} and {@code <null_1>} written inline are one token each; a {@code <} that starts
 *       none of them is an unknown character like any other.</li>
 *   <li>Trailing {@code *} (the stop codon of a translated ORF) is dropped; a {@code *} inside is {@code <unk>}.</li>
 *   <li>Whitespace anywhere is ignored.</li>
 *   <li>More than {@code truncationLength} residues (counted in tokens, not characters) are cut, as fair-esm's
 *       {@code --truncation_seq_length} does; 0 means no limit.</li>
 * </ul>
 */
public final class Tokenizer {
    /** fair-esm's default: 1022 residues + {@code <cls>} + {@code <eos>} = 1024 positions, the training length. */
    public static final int DEFAULT_TRUNCATION = 1022;

    private static final String[] INLINE_SPECIALS = {"<mask>", "<unk>", "<null_1>"};
    private static final int[] INLINE_SPECIAL_IDS = {Alphabet.MASK, Alphabet.UNK, Alphabet.NULL_1};

    private final int truncationLength;

    public Tokenizer(int truncationLength) {
        if (truncationLength < 0) {
            throw new InvalidParameterException(Parameter.TRUNCATION, "{truncation} must be >= 0 (0 = no limit), got " + truncationLength);
        }
        this.truncationLength = truncationLength;
    }

    public int truncationLength() {
        return truncationLength;
    }

    /**
     * Tokenizes one sequence. Returns a sequence with zero residues when the text holds none
     * (the caller reports and skips it).
     */
    public TokenizedSequence tokenize(long index, String id, CharSequence text) {
        int end = text.length();
        // Drop trailing whitespace and stop codons ("*", possibly several, possibly space-separated).
        while (end > 0 && (text.charAt(end - 1) == '*' || Character.isWhitespace(text.charAt(end - 1)))) {
            end--;
        }
        int[] tokens = new int[Math.min(end, truncationLength == 0 ? Integer.MAX_VALUE - 16 : truncationLength) + 2];
        int n = 0;
        int residues = 0;
        int unknown = 0;
        int limit = truncationLength == 0 ? Integer.MAX_VALUE : truncationLength;
        tokens[n++] = Alphabet.CLS;
        for (int i = 0; i < end; ) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int token = Alphabet.letterToken(c);
            int width = 1;
            if (token < 0 && c == '<') {
                for (int s = 0; s < INLINE_SPECIALS.length; s++) {
                    if (startsWith(text, i, end, INLINE_SPECIALS[s])) {
                        token = INLINE_SPECIAL_IDS[s];
                        width = INLINE_SPECIALS[s].length();
                        break;
                    }
                }
            }
            boolean unknownLetter = token < 0;
            if (residues < limit) {
                if (n == tokens.length - 1) {
                    tokens = Arrays.copyOf(tokens, tokens.length * 2);
                }
                tokens[n++] = unknownLetter ? Alphabet.UNK : token;
                if (unknownLetter) {
                    unknown++;
                }
            }
            residues++;
            i += width;
        }
        tokens[n++] = Alphabet.EOS;
        int[] exact = n == tokens.length ? tokens : Arrays.copyOf(tokens, n);
        return new TokenizedSequence(index, id, exact, unknown, residues > limit ? residues : -1);
    }

    private static boolean startsWith(CharSequence text, int at, int end, String token) {
        if (at + token.length() > end) {
            return false;
        }
        for (int k = 0; k < token.length(); k++) {
            if (Character.toLowerCase(text.charAt(at + k)) != token.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
