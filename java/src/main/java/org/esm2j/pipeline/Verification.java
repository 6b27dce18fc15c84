package org.esm2j.pipeline;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.Units;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cpu.CpuEncoder;
import org.esm2j.input.DuplicateIds;
import org.esm2j.model.EsmConfig;
import org.esm2j.model.EsmWeights;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.tokens.TokenizedSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code esm2j verify}: how far a device's results are from the exact CPU encoder's, on a sample of the user's own
 * input. The sample ({@link VerificationSample}) runs on the device under test as {@code embed} would run it
 * (packed batches, the scheduler, the chosen dtype), then on the CPU encoder one sequence at a time; each
 * sequence's outputs are compared per kind and layer ({@link VerificationReport}).
 *
 * <p>The CPU side is the slow one (a 15B model takes seconds per sequence even on many cores). Before it starts in
 * earnest it times one sequence of the sample's median length, estimates the rest from each sequence's
 * multiply-adds ({@link #cost}) and logs the estimate; with a cap ({@code maxCpuSeconds}) it keeps, in the sample's
 * priority order, the sequences whose estimate still fits, says which part of the sample that is, and skips any
 * whose estimate from the time measured so far would then pass the cap.
 */
public final class Verification {
    private static final Logger LOG = LoggerFactory.getLogger(Verification.class);
    public static final int DEFAULT_SAMPLE_SIZE = 64;
    /** A progress line on the CPU side at most this often. */
    private static final long PROGRESS_NANOS = 30_000_000_000L;

    /**
     * What to verify and how.
     *
     * @param input             FASTA path, or {@code -} for standard input
     * @param spec              the outputs and layers compared
     * @param truncation        max residues per sequence, 0 = no limit (as {@code embed})
     * @param duplicates        policy for repeated ids (as {@code embed})
     * @param sampleSize        sequences to draw (the longest eighth of them the input's longest)
     * @param seed              seed of the draw
     * @param maxCpuSeconds     cap on the CPU reference's time, packing the weights aside; 0 = none
     * @param maxRelativeError  the gate: fail when a worst relative L2 error is above it; NaN = no gate
     * @param minCosine         the gate: fail when a worst cosine similarity is below it; NaN = no gate
     * @param cpuThreads        threads of the CPU reference
     * @param maxBatchSequences cap on sequences per batch on the device under test
     */
    public record Options(String input, OutputSpec spec, int truncation, DuplicateIds duplicates, int sampleSize, long seed,
                          double maxCpuSeconds, double maxRelativeError, double minCosine, int cpuThreads, int maxBatchSequences) {
        public Options {
            if (truncation < 0) {
                throw new InvalidParameterException(Parameter.TRUNCATION, "{truncation} must be >= 0 (0 = no limit), got " + truncation);
            }
            if (sampleSize < 1) {
                throw new InvalidParameterException(Parameter.SAMPLE_SIZE, "{sampleSize} must be >= 1, got " + sampleSize);
            }
            if (!(maxCpuSeconds >= 0) || Double.isInfinite(maxCpuSeconds)) {
                throw new InvalidParameterException(Parameter.MAX_CPU_SECONDS, "{maxCpuSeconds} must be a number of seconds >= 0 "
                        + "(0 = no limit), got " + maxCpuSeconds);
            }
            if (!Double.isNaN(maxRelativeError) && !(maxRelativeError >= 0)) {
                throw new InvalidParameterException(Parameter.MAX_RELATIVE_ERROR, "{maxRelativeError} must be >= 0, got " + maxRelativeError);
            }
            if (!Double.isNaN(minCosine) && !(minCosine >= -1 && minCosine <= 1)) {
                throw new InvalidParameterException(Parameter.MIN_COSINE, "{minCosine} must be between -1 and 1, got " + minCosine);
            }
            if (cpuThreads < 1) {
                throw new InvalidParameterException(Parameter.THREADS, "{threads} must be >= 1, got " + cpuThreads);
            }
            if (maxBatchSequences < 1) {
                throw new InvalidParameterException(Parameter.MAX_BATCH_SEQUENCES, "{maxBatchSequences} must be >= 1, got " + maxBatchSequences);
            }
        }
    }

    /**
     * The device whose results are checked.
     *
     * @param description its id and description ({@code cuda:0 (NVIDIA H200, bf16)})
     * @param arithmetic  what it computes in ({@code bf16}, {@code fp32})
     * @param cpu         whether it is the CPU encoder itself (then every error is 0: the run says so)
     */
    public record DeviceUnderTest(String description, String arithmetic, boolean cpu) {
    }

    /** What the CPU side did: its results (null where skipped) and times. */
    record Reference(SequenceEmbedding[] results, long packingNanos, long estimatedNanos, long nanos) {
    }

    private final Options options;
    private final EsmWeights weights;
    private final String modelName;

    public Verification(Options options, EsmWeights weights, String modelName) {
        this.options = options;
        this.weights = weights;
        this.modelName = modelName;
        for (int layer : options.spec().layers()) {
            if (layer > weights.config().numLayers()) {
                throw new InvalidParameterException(Parameter.LAYERS, "{layers} " + layer + " is out of range: this model has layers 0.."
                        + weights.config().numLayers());
            }
        }
        if (options.spec().has(OutputKind.LOGITS) && !weights.hasLmHead()) {
            throw Esm2jException.badModel(modelName + ": this checkpoint has no LM head (lm_head.*), so logits cannot be verified");
        }
        if (options.spec().has(OutputKind.CONTACTS) && !weights.hasContactHead()) {
            throw Esm2jException.badModel(modelName + ": this checkpoint has no contact head, so contacts cannot be verified");
        }
    }

    public Options options() {
        return options;
    }

    /** Reads the input and draws the sample (logged). */
    public VerificationSample drawSample() {
        VerificationSample sample = VerificationSample.draw(options.input(), options.truncation(), options.duplicates(),
                options.sampleSize(), options.seed());
        LOG.info("sample: {}: {} to {} residues, {} tokens{}", sample.whole()
                        ? "the whole input, " + sample.count() + " sequence" + (sample.count() == 1 ? "" : "s")
                        : sample.count() + " of " + Units.exact(sample.kept()) + " sequences (seed " + options.seed() + "; the " + sample.longest()
                                + " longest included)", Units.exact(sample.shortestResidues()),
                Units.exact(sample.longestResidues()), Units.exact(sample.tokens()),
                sample.truncated() > 0 ? ", " + sample.truncated() + " truncated to " + options.truncation() + " residues" : "");
        return sample;
    }

    /**
     * Runs the sample on the device under test (through {@code device}, which this closes once its results are in,
     * so that its memory is free before the CPU encoder packs the weights), then on the CPU encoder, and compares.
     */
    public VerificationReport run(VerificationSample sample, BatchExecutor device, DeviceUnderTest deviceUnderTest) {
        return run(sample, device, deviceUnderTest, null);
    }

    /**
     * As {@link #run(VerificationSample, BatchExecutor, DeviceUnderTest)}; when the device under test is the CPU encoder
     * {@code shared} (not closed here), that encoder is also the reference: the weights are packed once, the reference
     * (one sequence at a time, within the time cap) runs first, and the device side then runs only the sequences the
     * reference kept, so that the cap bounds the whole run.
     */
    public VerificationReport run(VerificationSample sample, BatchExecutor device, DeviceUnderTest deviceUnderTest, CpuEncoder shared) {
        SequenceEmbedding[] onDevice;
        Reference reference;
        if (shared == null) {
            onDevice = onDevice(sample.sequences(), device, deviceUnderTest);
            reference = reference(sample, null);
        } else {
            try {
                reference = reference(sample, shared);
            } catch (RuntimeException e) {
                device.close();
                throw e;
            }
            List<TokenizedSequence> kept = new ArrayList<>();
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < sample.count(); i++) {
                if (reference.results()[i] != null) {
                    TokenizedSequence s = sample.sequences().get(i);
                    kept.add(new TokenizedSequence(kept.size(), s.id(), s.tokens(), s.unknownLetters(), s.truncatedFrom()));
                    at.add(i);
                }
            }
            SequenceEmbedding[] results = onDevice(kept, device, deviceUnderTest);
            onDevice = new SequenceEmbedding[sample.count()];
            for (int k = 0; k < at.size(); k++) {
                onDevice[at.get(k)] = results[k];
            }
        }
        List<VerificationReport.Row> rows = compare(sample, onDevice, reference.results());
        int verified = (int) java.util.Arrays.stream(reference.results()).filter(r -> r != null).count();
        VerificationReport report = new VerificationReport(modelName, deviceUnderTest, options, sample, verified,
                new VerificationReport.CpuTimes(options.cpuThreads(), reference.packingNanos(), reference.estimatedNanos(), reference.nanos()), rows);
        if (deviceUnderTest.cpu() && !report.allExact()) {
            LOG.warn("the CPU encoder disagrees with itself on this sample (it should give the same bits alone or in a batch): "
                    + "a bug of esm2j, please report it with this table");
        }
        return report;
    }

    /** {@code sequences} (indices 0..n-1) on the device under test, in packed batches as embed runs them; closes the executor. */
    private SequenceEmbedding[] onDevice(List<TokenizedSequence> sequences, BatchExecutor device, DeviceUnderTest deviceUnderTest) {
        long t0 = System.nanoTime();
        List<SequenceEmbedding> results;
        try (device) {
            results = device.executeWindow(sequences, options.spec(), options.maxBatchSequences());
        }
        LOG.info("{}: {} sequences in {}", deviceUnderTest.description(), sequences.size(), Units.seconds(System.nanoTime() - t0));
        return results.toArray(SequenceEmbedding[]::new);
    }

    /** The sample on the CPU encoder, one sequence at a time, within the time cap. */
    private Reference reference(VerificationSample sample, CpuEncoder shared) {
        List<TokenizedSequence> seqs = sample.sequences();
        SequenceEmbedding[] results = new SequenceEmbedding[seqs.size()];
        long cap = options.maxCpuSeconds() == 0 ? Long.MAX_VALUE : (long) (options.maxCpuSeconds() * 1e9);
        long packStart = System.nanoTime();
        CpuEncoder encoder = shared != null ? shared : new CpuEncoder(weights, options.cpuThreads());
        try {
            long packing = shared != null ? 0 : System.nanoTime() - packStart;
            int first = medianLength(seqs);
            long firstNanos = encode(encoder, seqs, first, results);
            double nanosPerCost = firstNanos / cost(seqs.get(first));
            List<Integer> plan = new ArrayList<>();
            double allRest = 0;
            double planned = 0;
            for (int i = 0; i < seqs.size(); i++) {
                if (i == first) {
                    continue;
                }
                double estimate = cost(seqs.get(i)) * nanosPerCost;
                allRest += estimate;
                if (firstNanos + planned + estimate <= cap) {
                    plan.add(i);
                    planned += estimate;
                }
            }
            announce(seqs, first, shared != null ? -1 : packing, firstNanos, allRest, plan);
            long spent = firstNanos;
            double costDone = cost(seqs.get(first));
            long lastProgress = System.nanoTime();
            int done = 1;
            int skipped = 0;
            for (int i : plan) {
                double estimate = cost(seqs.get(i)) * (spent / costDone);
                if (spent + estimate > cap) {
                    skipped++;
                    continue;
                }
                spent += encode(encoder, seqs, i, results);
                costDone += cost(seqs.get(i));
                done++;
                if (System.nanoTime() - lastProgress > PROGRESS_NANOS) {
                    lastProgress = System.nanoTime();
                    LOG.info("CPU reference: {} of {} sequences, {} so far", done, plan.size() + 1, Units.duration(spent));
                }
            }
            if (skipped > 0) {
                LOG.info("CPU reference: {} more sequence{} left out: slower than estimated, they would pass --max-cpu-seconds {}",
                        skipped, skipped == 1 ? "" : "s", Verification.plain(options.maxCpuSeconds()));
            }
            LOG.info("CPU reference: {} sequence{} in {}", done, done == 1 ? "" : "s", Units.seconds(spent));
            return new Reference(results, packing, firstNanos + (long) planned, spent);
        } finally {
            if (shared == null) {
                encoder.close();
            }
        }
    }

    /** Logs the CPU side's estimate (and what the cap keeps); {@code packing} < 0: the encoder is the device under test's. */
    private void announce(List<TokenizedSequence> seqs, int first, long packing, long firstNanos, double allRest, List<Integer> plan) {
        int others = seqs.size() - 1;
        String head = "CPU reference (exact fp32, " + options.cpuThreads() + " thread" + (options.cpuThreads() == 1 ? "" : "s")
                + "): " + (packing < 0 ? "the device under test's own encoder, run again after this in batches" : "weights packed in " + Units.seconds(packing))
                + "; a first sequence of " + Units.exact(seqs.get(first).residues())
                + " residues took " + Units.seconds(firstNanos);
        if (others == 0) {
            LOG.info(head);
            return;
        }
        long tokens = IntStream.range(0, seqs.size()).filter(i -> i != first).mapToLong(i -> seqs.get(i).length()).sum();
        String rest = "; the other " + others + " (" + Units.exact(tokens) + " tokens) should take about " + Units.seconds((long) allRest);
        if (plan.size() == others) {
            LOG.info(head + rest);
            return;
        }
        int longestKept = plan.stream().mapToInt(i -> seqs.get(i).residues()).max().orElse(seqs.get(first).residues());
        LOG.info(head + rest + ", over --max-cpu-seconds " + Verification.plain(options.maxCpuSeconds()) + ": verifying " + (plan.size() + 1)
                + " of the " + seqs.size() + " sequences instead (up to " + Units.exact(longestKept) + " residues; the sample's longest has "
                + Units.exact(seqs.stream().mapToInt(TokenizedSequence::residues).max().orElse(0)) + ")");
    }

    private long encode(CpuEncoder encoder, List<TokenizedSequence> seqs, int i, SequenceEmbedding[] results) {
        if (Thread.currentThread().isInterrupted()) {
            throw new Esm2jException(ExitCode.INTERRUPTED, "interrupted during the CPU reference");
        }
        long t = System.nanoTime();
        results[i] = encoder.encode(List.of(seqs.get(i)), options.spec()).getFirst();
        return System.nanoTime() - t;
    }

    /** A number as a user writes it: {@code 600}, {@code 0.5}, {@code 0.0001}. */
    static String plain(double s) {
        return java.math.BigDecimal.valueOf(s).stripTrailingZeros().toPlainString();
    }

    /** The sequence of median length (the first such in priority order): the CPU side's timing probe. */
    static int medianLength(List<TokenizedSequence> seqs) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, seqs.size()).boxed().toList());
        order.sort(Comparator.comparingInt((Integer i) -> seqs.get(i).length()).thenComparingInt(i -> i));
        return order.get((order.size() - 1) / 2);
    }

    /**
     * Multiply-adds of one sequence of T tokens through the model, up to a constant: per layer T·(4E² + 2E·I) in the
     * linear maps and 2·T²·E in attention (scores and the weighted sum), E the width and I the FFN's.
     */
    private double cost(TokenizedSequence s) {
        EsmConfig c = weights.config();
        double t = s.length();
        double e = c.hiddenSize();
        return t * (4 * e * e + 2 * e * c.intermediateSize()) + 2 * t * t * e;
    }

    /** Each verified sequence compared, per kind and layer. */
    private List<VerificationReport.Row> compare(VerificationSample sample, SequenceEmbedding[] onDevice, SequenceEmbedding[] reference) {
        OutputSpec spec = options.spec();
        List<VerificationReport.Row> rows = new ArrayList<>();
        for (OutputKind kind : OutputKind.values()) {
            if (!spec.has(kind)) {
                continue;
            }
            int slots = kind.perLayer() ? spec.layerCount() : 1;
            for (int slot = 0; slot < slots; slot++) {
                List<VerificationReport.Measure> measures = new ArrayList<>();
                for (int i = 0; i < reference.length; i++) {
                    if (reference[i] == null) {
                        continue;
                    }
                    measures.add(VerificationReport.Measure.of(sample.sequences().get(i), kind, slot, onDevice[i], reference[i]));
                }
                rows.add(new VerificationReport.Row(kind, kind.perLayer() ? spec.layer(slot) : -1, measures));
            }
        }
        return rows;
    }
}
