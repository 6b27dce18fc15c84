package org.esm2j.schedule;

import org.esm2j.tokens.TokenizedSequence;

import java.util.List;

/**
 * Sequences that go through the model together, packed without padding.
 *
 * @param number    position in the plan (0-based), for logs and deterministic tie-breaking
 * @param sequences longest first
 * @param tokens    total tokens (residues + 2 per sequence)
 */
public record Batch(int number, List<TokenizedSequence> sequences, long tokens) {

    public int size() {
        return sequences.size();
    }

    public int longest() {
        return sequences.isEmpty() ? 0 : sequences.getFirst().length();
    }
}
