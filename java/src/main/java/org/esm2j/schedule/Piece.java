package org.esm2j.schedule;

import org.esm2j.tokens.TokenizedSequence;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Some sequences of a planned batch that one device runs together. */
record Piece(Batch origin, List<TokenizedSequence> sequences, long tokens, int singleRetries, Set<String> refusedBy) {

    static Piece of(Batch origin, List<TokenizedSequence> sequences) {
        long t = 0;
        for (TokenizedSequence s : sequences) {
            t += s.length();
        }
        return new Piece(origin, List.copyOf(sequences), t, 0, Set.of());
    }

    int size() {
        return sequences.size();
    }

    int longest() {
        int m = 0;
        for (TokenizedSequence s : sequences) {
            m = Math.max(m, s.length());
        }
        return m;
    }

    Piece retried() {
        return new Piece(origin, sequences, tokens, singleRetries + 1, refusedBy);
    }

    Piece refusedBy(String deviceId) {
        Set<String> r = new HashSet<>(refusedBy);
        r.add(deviceId);
        return new Piece(origin, sequences, tokens, 0, Set.copyOf(r));
    }
}
