package org.esm2j.device.cuda;

import org.esm2j.device.OutputSpec;
import org.esm2j.device.cuda.ffi.Esm2jH;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * How big a batch fits in a memory budget, from the library's exact workspace size ({@code esm2j_workspace_bytes})
 * and the result buffers of {@code slots} batches in flight: the arithmetic behind {@link CudaDevice#tokenCeiling}
 * and {@link CudaDevice#longestSequence}.
 */
record WorkspaceSizing(MemorySegment model, String id, int hidden, int maxBatchSequences, int slots, long maxPinnedBytesPerSlot) {

    /** Sequences a workspace for {@code tokens} tokens must hold: as many as the shortest sequences (3 tokens) allow. */
    static int sequenceCapacity(long tokens, int maxBatchSequences) {
        return (int) Math.max(1, Math.min(maxBatchSequences, tokens / 3));
    }

    /** The library's workspace size for this many tokens and sequences; 0 when it refuses to say. */
    long bytesOrZero(long tokens, int sequences) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment bytes = tmp.allocate(ValueLayout.JAVA_LONG);
            return Esm2jH.esm2j_workspace_bytes(model, tokens, sequences, bytes) == Esm2jH.ESM2J_OK() ? bytes.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }

    /**
     * The largest n in 0..most (0: none) such that a workspace for {@code n * unit} tokens (in as many sequences as
     * {@link #sequenceCapacity} gives it) and {@code slots} sets of their outputs fit in {@code available} bytes:
     * a bisection over the library's exact workspace size.
     */
    long mostThatFit(long unit, long most, OutputSpec spec, long available) {
        long lo = 0;
        long hi = most + 1;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment bytes = tmp.allocate(ValueLayout.JAVA_LONG);
            while (hi - lo > 1) {
                long n = (lo + hi) >>> 1;
                long tokens = n * unit;
                int sequences = sequenceCapacity(tokens, maxBatchSequences);
                Cuda.esm(Esm2jH.esm2j_workspace_bytes(model, tokens, sequences, bytes), id,
                        "esm2j_workspace_bytes (sizing a workspace for " + tokens + " tokens, " + sequences + " sequences)");
                long outputs = OutputLayout.of(tokens, sequences, spec, hidden).bytes();
                if (bytes.get(ValueLayout.JAVA_LONG, 0) + slots * outputs <= available && outputs <= maxPinnedBytesPerSlot) {
                    lo = n;
                } else {
                    hi = n;
                }
            }
        }
        return lo;
    }
}
