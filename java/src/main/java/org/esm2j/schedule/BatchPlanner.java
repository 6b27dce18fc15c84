package org.esm2j.schedule;

import org.esm2j.tokens.TokenizedSequence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a window of sequences into batches under a token budget, longest sequences first.
 *
 * <p>Sorting by length groups similar sequences (steady attention cost per batch) and puts the
 * batches most likely to run out of memory at the start of the run, where that is found cheaply.
 * Packed batches count real tokens, not padded ones; a sequence longer than the budget still gets
 * a batch of its own (never dropped).
 */
public final class BatchPlanner {
    private BatchPlanner() {
    }

    public static List<Batch> plan(List<TokenizedSequence> window, long tokenBudget, int maxSequences) {
        if (tokenBudget < 1 || maxSequences < 1) {
            throw new IllegalArgumentException("token budget and max sequences per batch must be positive");
        }
        List<TokenizedSequence> sorted = new ArrayList<>(window);
        sorted.sort(Comparator.comparingInt(TokenizedSequence::length).reversed().thenComparingLong(TokenizedSequence::index));
        List<Batch> batches = new ArrayList<>();
        List<TokenizedSequence> current = new ArrayList<>();
        long tokens = 0;
        for (TokenizedSequence s : sorted) {
            if (!current.isEmpty() && (tokens + s.length() > tokenBudget || current.size() >= maxSequences)) {
                batches.add(new Batch(batches.size(), List.copyOf(current), tokens));
                current.clear();
                tokens = 0;
            }
            current.add(s);
            tokens += s.length();
        }
        if (!current.isEmpty()) {
            batches.add(new Batch(batches.size(), List.copyOf(current), tokens));
        }
        return batches;
    }
}
