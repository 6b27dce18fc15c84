package org.esm2j.run;

import org.esm2j.model.OutputSpec;
import org.esm2j.model.SequenceEmbedding;
import org.esm2j.model.TokenizedSequence;

import java.util.List;

/**
 * Something that runs the ESM-2 forward pass on a batch of packed sequences: the CPU, one CUDA GPU,
 * or a simulated device in tests. One thread drives a device at a time.
 */
public interface EncoderDevice extends AutoCloseable {

    /** Short stable id used in logs, progress lines and summaries: {@code cpu}, {@code cuda:0}, {@code sim:2}. */
    String id();

    /** Human description: model of the processor or card, threads or memory, dtype. */
    String description();

    /** Encodes one batch; results in the batch's order. */
    List<SequenceEmbedding> encode(List<TokenizedSequence> batch, OutputSpec spec);

    /** Tokens per batch to use when the user gave none and no search has been run. */
    long defaultTokenBudget();

    @Override
    void close();
}
