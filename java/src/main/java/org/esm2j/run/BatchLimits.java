package org.esm2j.run;

/**
 * The largest batch a device accepts, whatever its memory: for a GPU the CUDA library's own limits
 * ({@code ESM2J_MAX_BATCH_TOKENS}, {@code ESM2J_MAX_BATCH_SEQUENCES} in {@code esm2j.h}, read through the bindings),
 * so that every ceiling on the Java side — the budget search's upper bound, a workspace's capacity, a fixed or cached
 * token budget, {@code --max-batch-sequences} — is derived from the one source the library itself checks against.
 *
 * @param maxTokens    packed tokens in one batch (and in the workspace that holds it)
 * @param maxSequences sequences in one batch
 */
public record BatchLimits(long maxTokens, int maxSequences) {
    /** A device with no limit of its own (the CPU: memory decides). */
    public static final BatchLimits NONE = new BatchLimits(Long.MAX_VALUE, Integer.MAX_VALUE);

    public BatchLimits {
        if (maxTokens < 2 || maxSequences < 1) {
            throw new IllegalArgumentException("batch limits need maxTokens >= 2 and maxSequences >= 1: " + maxTokens + ", " + maxSequences);
        }
    }

    public long clampTokens(long tokens) {
        return Math.min(tokens, maxTokens);
    }

    public int clampSequences(long sequences) {
        return (int) Math.min(sequences, maxSequences);
    }
}
