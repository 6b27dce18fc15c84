package org.esm2j.schedule;

import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;

import java.util.List;
import java.util.function.Consumer;

/** Runs batches on one or more devices. */
public interface BatchExecutor extends AutoCloseable {

    /**
     * Runs every batch and hands each sequence's result to {@code sink} exactly once (from any thread,
     * in any order); returns when all are done or throws when they cannot all be done.
     */
    void execute(List<Batch> batches, OutputSpec spec, Consumer<SequenceEmbedding> sink);

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
