package org.esm2j.tokens;

/**
 * One sequence ready for the model.
 *
 * @param index          position in the input (0-based), which fixes the output order
 * @param id             first word of the FASTA header
 * @param tokens         {@code <cls>} residues {@code <eos>}: length = residues + 2
 * @param unknownLetters letters outside the alphabet that became {@code <unk>}
 * @param truncatedFrom  residue count before truncation, or -1 when not truncated
 */
public record TokenizedSequence(long index, String id, int[] tokens, int unknownLetters, int truncatedFrom) {

    public int length() {
        return tokens.length;
    }

    public int residues() {
        return tokens.length - 2;
    }

    public boolean truncated() {
        return truncatedFrom >= 0;
    }
}
