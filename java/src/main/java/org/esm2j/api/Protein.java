package org.esm2j.api;

/**
 * A sequence to embed.
 *
 * @param id       key of the result (unique within one call)
 * @param sequence residue letters; lowercase, whitespace, a trailing stop codon and inline {@code <mask>} are accepted
 */
public record Protein(String id, String sequence) {
    public Protein {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a protein needs a non-blank id");
        }
        if (sequence == null) {
            throw new IllegalArgumentException("protein " + id + " has no sequence");
        }
    }
}
