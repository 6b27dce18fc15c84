package org.esm2j.device;

import org.esm2j.tokens.TokenizedSequence;

import java.util.List;

/**
 * Something that runs the ESM-2 forward pass on a batch of packed sequences: the CPU, one CUDA GPU,
 * or a simulated device in tests. One thread drives a device at a time (the scheduler gives each device its
 * own platform thread); only {@link #memory()} is called from another thread (the memory monitor).
 *
 * <p>Errors the scheduler understands: {@link DeviceOutOfMemoryException} (the batch did not fit: release
 * the workspace, halve, retry) and {@link DeviceFailureException} (the device is lost: its work goes to the
 * others). Anything else is a bug and stops the run.
 */
public interface EncoderDevice extends AutoCloseable {

    /** Short stable id used in logs, progress lines and summaries: {@code cpu}, {@code cuda:0}, {@code sim:2}. */
    String id();

    /** Human description: model of the processor or card, threads or memory, dtype. */
    String description();

    /**
     * The arithmetic this device computes in ({@code fp32}, {@code bf16}, {@code fp16}): part of a dataset's identity,
     * so that a resumed job never mixes rows computed in different precisions.
     */
    default String arithmetic() {
        return "fp32";
    }

    /** Encodes one batch; results in the batch's order. */
    List<SequenceEmbedding> encode(List<TokenizedSequence> batch, OutputSpec spec);

    /**
     * Starts a batch and returns before it is done when the device can overlap the next batch's start with
     * this one's end (the GPU: host packing and unpacking overlap device work). The caller has at most two
     * batches started and not awaited, and awaits them in order. The default runs the batch now.
     */
    default PendingBatch submit(List<TokenizedSequence> batch, OutputSpec spec) {
        return new PendingBatch.Done(encode(batch, spec));
    }

    /** Tokens per batch to use when the user gave none and no search has been run. */
    long defaultTokenBudget();

    /**
     * The token budget the scheduler will use from now on; a device with a workspace sizes it for this many
     * tokens (and releases a bigger one). Never called while a batch is pending.
     */
    default void setTokenBudget(long tokens) {
    }

    /** Frees the activation workspace after an out-of-memory error; the next batch creates it again. */
    default void releaseWorkspace() {
    }

    /**
     * What identifies this kind of device for the batch-size cache ({@code "NVIDIA H100 80GB HBM3, 81559 MiB, bf16"}),
     * or null when its token budget is not searched (the CPU has no memory wall worth probing).
     */
    default String sizingKey() {
        return null;
    }

    /**
     * An upper estimate of the largest token budget for batches of {@code sequenceLength}-token sequences
     * with these outputs, from the device's free memory; the budget search starts from it.
     */
    default long tokenCeiling(int sequenceLength, OutputSpec spec) {
        return defaultTokenBudget();
    }

    /**
     * The longest single sequence, in tokens, that the device can run alone with these outputs, from its free memory now
     * and its {@link #batchLimits()}; {@link Long#MAX_VALUE} when only the machine's memory decides (the CPU). A protein
     * longer than every device's ({@code --long-sequences full}) is refused or sent to the CPU before it reaches them.
     */
    default long longestSequence(OutputSpec spec) {
        return Long.MAX_VALUE;
    }

    /**
     * The largest batch the device accepts whatever its memory (a GPU: the CUDA library's limits). The scheduler
     * clamps every budget, workspace and sequence count to it; a device that is asked for more refuses with
     * {@link DeviceContractException}, as the library does.
     */
    default BatchLimits batchLimits() {
        return BatchLimits.NONE;
    }

    /**
     * Matrix products that ran on a slow fallback path instead of the tuned library (a GPU: GEMMs on the reference
     * kernel because cuBLASLt had no algorithm for a shape). Reported in the summary: production work there is tens
     * of times slower. Called from the device's own thread.
     */
    default long slowGemmFallbacks() {
        return 0;
    }

    /**
     * The device's choice of attention backend (a GPU: the CUDA library's flash, cuDNN and reference kernels), or null
     * when it has none (the CPU). Used from the device's own thread.
     */
    default AttentionSwitch attention() {
        return null;
    }

    /**
     * Device memory the model's weights take, and device memory already in use before they were loaded (this process's
     * context, other processes): what the run's peak memory is measured against to tell its activation memory; -1 when
     * the device does not tell (the CPU).
     */
    default long weightBytes() {
        return -1;
    }

    /** See {@link #weightBytes()}. */
    default long memoryBeforeWeightsBytes() {
        return -1;
    }

    /**
     * Current memory, or null when the device cannot tell. Called from the monitor thread: thread-safe and cheap.
     * The default is the JVM heap, where a device that computes in Java (the CPU) keeps its activations.
     */
    default MemoryReading memory() {
        return MemoryReading.ofJvmHeap();
    }

    @Override
    void close();
}
