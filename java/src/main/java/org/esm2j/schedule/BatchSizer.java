package org.esm2j.schedule;

import org.esm2j.device.BatchLimits;
import org.esm2j.device.DeviceFailureException;
import org.esm2j.device.DeviceOutOfMemoryException;
import org.esm2j.device.EncoderDevice;
import org.esm2j.device.OutputSpec;
import org.esm2j.tokens.Alphabet;
import org.esm2j.tokens.TokenizedSequence;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Finds a device's token budget by trial: the largest batch of the longest sequences that runs without
 * running out of memory, then keeps a safety margin below it.
 *
 * <p>The unknown is n, the number of {@code length}-token sequences in one batch. It lies between 1 (the
 * floor: one longest sequence) and the device's estimate from its free memory (the ceiling). The search
 * tries the ceiling first (the estimate is usually right when the library reports exact workspace sizes),
 * then 3/4 of it (usually right when the estimate is a little high), then bisects in log space — each trial
 * halves log(hi/lo) — until hi/lo ≤ 1 + tolerance. The ceiling is also capped by the batch's sequence limit,
 * by {@link #MAX_TOKENS} and by the device's own {@link BatchLimits} (a GPU: the CUDA library's), so that no
 * trial asks the device for a batch it refuses. Log-space bisection bounds the trials by
 * {@code 2 + ceil(log2(ln(ceiling) / ln(1 + tolerance)))}: 11 for a ceiling of 1,000 sequences and 5%.
 * A trial is a real batch of synthetic sequences on the device; its results are thrown away.
 */
public final class BatchSizer {
    public static final double DEFAULT_TOLERANCE = 0.05;
    public static final double DEFAULT_MARGIN = 0.10;
    public static final int DEFAULT_MAX_TRIALS = 12;
    /**
     * No searched budget beyond this (the device's own {@link BatchLimits} may be lower still). Bigger batches are
     * no faster and cost a lot: on an NVIDIA H200 (2026-12-04) the 650M model encoded 277k tokens/s in batches of
     * 16,384 tokens, and 254k tokens/s when a cap of 4M tokens let the search size one batch of 3.0M tokens — which
     * took the whole card (142 GB), a 15 s trial batch, and left a 1.4M-token run as one batch with nothing to
     * overlap (first result after 27 s). 2^18 tokens keep small models' batches long enough to hide launch
     * overheads and large models' trials to a fraction of a second.
     */
    public static final long MAX_TOKENS = BatchLimits.MOST_TOKENS;

    /**
     * What the search found.
     *
     * @param sequenceLength tokens per probe sequence (the longest sequence, rounded up)
     * @param limitTokens    the largest batch that ran: sequences × length
     * @param budget         the budget to use: the limit less the margin, never below one sequence
     * @param trials         trial batches run
     * @param nanos          time the search took
     */
    public record Result(int sequenceLength, long limitTokens, long budget, int trials, long nanos) {
    }

    private final double tolerance;
    private final double margin;
    private final int maxTrials;

    public BatchSizer(double tolerance, double margin, int maxTrials) {
        if (tolerance <= 0 || margin < 0 || margin >= 1 || maxTrials < 2) {
            throw new IllegalArgumentException("tolerance > 0, 0 <= margin < 1, maxTrials >= 2");
        }
        this.tolerance = tolerance;
        this.margin = margin;
        this.maxTrials = maxTrials;
    }

    public BatchSizer() {
        this(DEFAULT_TOLERANCE, DEFAULT_MARGIN, DEFAULT_MAX_TRIALS);
    }

    /**
     * Searches the budget of {@code device} for batches of {@code length}-token sequences.
     *
     * @param maxSequences a batch never holds more sequences than this ({@code --max-batch-sequences})
     * @throws DeviceFailureException when not even one sequence of that length fits
     */
    public Result search(EncoderDevice device, int length, int maxSequences, OutputSpec spec) {
        long t0 = System.nanoTime();
        Trials trials = new Trials(device, length, spec);
        BatchLimits limits = device.batchLimits();
        if (length > limits.maxTokens()) {
            throw new DeviceFailureException(device.id() + ": a sequence of " + length + " tokens is longer than the "
                    + limits.maxTokens() + " tokens one batch may hold on this device; lower --truncation-seq-length");
        }
        long mostTokens = limits.clampTokens(Math.min(device.tokenCeiling(length, spec), MAX_TOKENS));
        long ceiling = Math.max(1, Math.min(mostTokens / length, limits.clampSequences(maxSequences)));
        long lo = 0; // largest count known to fit (0: none verified yet)
        long hi;     // smallest count known not to fit
        if (trials.fits(ceiling)) {
            lo = ceiling;
            hi = ceiling + 1;
        } else {
            hi = ceiling;
            long guess = ceiling * 3 / 4;
            if (guess >= 1) {
                if (trials.fits(guess)) {
                    lo = guess;
                } else {
                    hi = guess;
                }
            }
        }
        // lo = 0 stands for "1, not verified": the floor is only run when every bigger trial failed.
        while (hi - Math.max(lo, 1) > 1 && hi > (1 + tolerance) * Math.max(lo, 1) && trials.count < maxTrials - (lo == 0 ? 1 : 0)) {
            long base = Math.max(lo, 1);
            long mid = Math.round(Math.sqrt((double) base * hi));
            mid = Math.min(hi - 1, Math.max(base + 1, mid));
            if (trials.fits(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        if (lo == 0) {
            if (!trials.fits(1)) {
                throw new DeviceFailureException(device.id() + ": not even one sequence of " + length
                        + " tokens fits in memory; lower --truncation-seq-length or use another device");
            }
            lo = 1;
        }
        long limit = lo * length;
        long budget = Math.max(length, (long) Math.floor(limit * (1 - margin)));
        return new Result(length, limit, budget, trials.count, System.nanoTime() - t0);
    }

    /** Runs trial batches and counts them. */
    private static final class Trials {
        private final EncoderDevice device;
        private final int length;
        private final OutputSpec spec;
        private final List<TokenizedSequence> probes = new ArrayList<>();
        private final Random random;
        int count;

        Trials(EncoderDevice device, int length, OutputSpec spec) {
            this.device = device;
            this.length = length;
            this.spec = spec;
            this.random = new Random(length);
        }

        boolean fits(long sequences) {
            count++;
            List<TokenizedSequence> batch = probe(sequences);
            device.setTokenBudget(sequences * length);
            try {
                device.submit(batch, spec).await();
                return true;
            } catch (DeviceOutOfMemoryException e) {
                device.releaseWorkspace();
                return false;
            }
        }

        /** {@code n} sequences of {@code length} tokens; the same content for every trial. */
        private List<TokenizedSequence> probe(long n) {
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("probe batch of " + n + " sequences");
            }
            while (probes.size() < n) {
                probes.add(probeSequence(probes.size(), length, random));
            }
            return probes.subList(0, (int) n);
        }
    }

    /** A batch of {@code n} synthetic {@code length}-token sequences, the same as a trial batch of that size. */
    static List<TokenizedSequence> probeBatch(int length, int n) {
        Random random = new Random(length);
        List<TokenizedSequence> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(probeSequence(i, length, random));
        }
        return batch;
    }

    private static TokenizedSequence probeSequence(int index, int length, Random random) {
        int[] tokens = new int[length];
        tokens[0] = Alphabet.CLS;
        tokens[length - 1] = Alphabet.EOS;
        for (int i = 1; i < length - 1; i++) {
            tokens[i] = 4 + random.nextInt(20); // the 20 standard amino acids
        }
        return new TokenizedSequence(-1 - index, "probe-" + index, tokens, 0, -1);
    }
}
