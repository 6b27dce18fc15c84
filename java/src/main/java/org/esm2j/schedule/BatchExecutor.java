package org.esm2j.schedule;

import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.TokenizedSequence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/** Runs batches on one or more devices. */
public interface BatchExecutor extends AutoCloseable {

    /**
     * Runs every batch and hands each sequence's result to {@code sink} exactly once (from any thread,
     * in any order); returns when all are done or throws when they cannot all be done.
     */
    void execute(List<Batch> batches, OutputSpec spec, Consumer<SequenceEmbedding> sink);

    /**
     * Runs one window of sequences (consecutive indices) and returns their results in index order: the window is
     * cut into batches for the current {@link #tokenBudget()}, run, and checked to be complete. The one way from a
     * window to its results, for the command line's run and the library API alike.
     */
    default List<SequenceEmbedding> executeWindow(List<TokenizedSequence> window, OutputSpec spec, int maxBatchSequences) {
        if (window.isEmpty()) {
            return List.of();
        }
        List<Batch> batches = BatchPlanner.plan(window, tokenBudget(), maxBatchSequences);
        ConcurrentLinkedQueue<SequenceEmbedding> results = new ConcurrentLinkedQueue<>();
        execute(batches, spec, results::add);
        List<SequenceEmbedding> ordered = new ArrayList<>(results);
        ordered.sort(Comparator.comparingLong(SequenceEmbedding::index));
        long expectedFirst = window.getFirst().index();
        if (ordered.size() != window.size()) {
            throw new IllegalStateException("executor returned " + ordered.size() + " results for " + window.size() + " sequences");
        }
        for (int i = 0; i < ordered.size(); i++) {
            SequenceEmbedding e = ordered.get(i);
            if (e.index() != expectedFirst + i) {
                throw new IllegalStateException("result for row " + (expectedFirst + i) + " is missing or repeated (got row " + e.index() + ")");
            }
        }
        return ordered;
    }

    /**
     * The arithmetic of the devices that run the batches ({@code fp32}; {@code bf16+fp16} when GPUs of two
     * generations share a run): what a dataset's identity records, not the {@code --dtype} asked for.
     */
    default String arithmetic() {
        return "fp32";
    }

    /** The devices' arithmetic as {@link #arithmetic()} states it: distinct, sorted, joined by '+'. */
    static String arithmeticOf(java.util.stream.Stream<String> perDevice) {
        return perDevice.distinct().sorted().collect(java.util.stream.Collectors.joining("+"));
    }

    /** Tokens per batch for the next window, as the executor currently sees fit. */
    long tokenBudget();

    @Override
    void close();
}
