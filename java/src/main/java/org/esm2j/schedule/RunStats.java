package org.esm2j.schedule;

import org.esm2j.tokens.TokenizedSequence;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Counters of a run, safe to update from device threads and to read from the progress thread. */
public final class RunStats {
    // What the input held: counted by the run as it reads (the events below), read by the summary and manifest.
    final AtomicLong recordsRead = new AtomicLong();
    final AtomicLong sequencesWritten = new AtomicLong();
    final AtomicLong residues = new AtomicLong();
    final AtomicLong tokens = new AtomicLong();
    final AtomicLong truncated = new AtomicLong();
    /** Proteins this run computes as windows (--long-sequences window), the windows, and contact pairs no window held. */
    final AtomicLong windowedSequences = new AtomicLong();
    final AtomicLong sequenceWindows = new AtomicLong();
    final AtomicLong contactPairsOutsideWindows = new AtomicLong();
    final AtomicLong unknownLetters = new AtomicLong();
    final AtomicLong sequencesWithUnknown = new AtomicLong();
    final AtomicLong skippedEmpty = new AtomicLong();
    final AtomicLong skippedDuplicate = new AtomicLong();
    final AtomicLong renamedDuplicate = new AtomicLong();
    /** Records with characters that are not residue letters: left out ({@code skip}), or embedded with {@code <unk>} ({@code unk}). */
    final AtomicLong skippedInvalid = new AtomicLong();
    final AtomicLong invalidAsUnknown = new AtomicLong();
    /** The first few ids of the sequences with unknown letters and of the records with invalid characters, for the summary. */
    private final FirstIds unknownIds = new FirstIds();
    private final FirstIds invalidIds = new FirstIds();
    /** Sequences an earlier, interrupted run already wrote: skipped without computing. */
    final AtomicLong resumedSequences = new AtomicLong();
    /** Sequences that belong to other shards (--shard): read, not computed. */
    final AtomicLong otherShardSequences = new AtomicLong();
    /** Known in advance when the input is a file (from the pre-scan); -1 when streaming from stdin. */
    private volatile long expectedSequences = -1;
    private volatile long expectedResidues = -1;
    /** Highest JVM heap use seen by the progress sampler (the CPU backend's working memory); -1 before the first sample. */
    private final AtomicLong jvmHeapPeakBytes = new AtomicLong(-1);
    private final Instant started = Instant.now();
    private final Map<String, DeviceStats> devices = new ConcurrentHashMap<>();

    /** What one device did. */
    /**
     * What one device did. The scheduler's worker and memory monitor (this package) write it; the display, summary and
     * manifest read it through the accessors.
     */
    public static final class DeviceStats {
        public final String id;
        public final String description;
        final LongAdder sequences = new LongAdder();
        final LongAdder tokens = new LongAdder();
        final LongAdder batches = new LongAdder();
        final LongAdder busyNanos = new LongAdder();
        final LongAdder oomRetries = new LongAdder();
        /** Latest device memory in use, from the memory monitor; -1 when the device has no such figure (the CPU). */
        final AtomicLong memoryUsedBytes = new AtomicLong(-1);
        final AtomicLong peakMemoryBytes = new AtomicLong(-1);
        final AtomicLong totalMemoryBytes = new AtomicLong(-1);
        /**
         * {@link System#nanoTime()} when the batch now running on this device started, 0 while idle: lets the
         * display count a long batch as busy time before it finishes.
         */
        final AtomicLong runningSinceNanos = new AtomicLong();
        /**
         * Tokens per batch in force now (lowered after an out-of-memory retry or under memory pressure), read from its
         * one owner, the device's worker; -1 before a worker runs the device.
         */
        private volatile LongSupplier tokenBudget = () -> -1;
        volatile String failure;
        /** Latest free device memory, from the memory monitor; -1 before the first poll and for the CPU. */
        final AtomicLong freeMemoryBytes = new AtomicLong(-1);
        /** Free memory is under the monitor's threshold right now. */
        volatile boolean memoryPressure;
        /** Times the token budget was lowered because of memory pressure. */
        final LongAdder pressureReductions = new LongAdder();
        /** How the token budget was chosen: "--toks-per-batch", "default", "cached", "searched". */
        volatile String budgetSource;
        /** The attention backend in use ({@code cudnn}, {@code flash}, {@code reference}); null on a device without a choice. */
        volatile String attention;
        /** How it was chosen: "measured", "cached", "asked" ({@code ESM2J_ATTENTION}), "only one" (nothing to compare). */
        volatile String attentionSource;
        /** The measurement, when there was one: each backend's batch time ("cudnn 41.2 ms vs flash 48.9 ms per batch of ..."). */
        volatile String attentionMeasurement;
        /** Trial batches and time the budget search took (0 when it did not run). */
        final AtomicLong sizingTrials = new AtomicLong();
        final AtomicLong sizingNanos = new AtomicLong();
        /** Matrix products that ran on a slow fallback kernel (see {@link EncoderDevice#slowGemmFallbacks()}). */
        final AtomicLong slowGemmFallbacks = new AtomicLong();
        /** Sequences this device had in hand when it failed, handed back to the other devices. */
        final LongAdder sequencesHandedBack = new LongAdder();

        DeviceStats(String id, String description) {
            this.id = id;
            this.description = description;
        }

        public long sequences() {
            return sequences.sum();
        }

        public long tokens() {
            return tokens.sum();
        }

        public long batches() {
            return batches.sum();
        }

        public long busyNanos() {
            return busyNanos.sum();
        }

        public long oomRetries() {
            return oomRetries.sum();
        }

        public long memoryUsedBytes() {
            return memoryUsedBytes.get();
        }

        public long peakMemoryBytes() {
            return peakMemoryBytes.get();
        }

        public long totalMemoryBytes() {
            return totalMemoryBytes.get();
        }

        public long runningSinceNanos() {
            return runningSinceNanos.get();
        }

        public long tokenBudget() {
            return tokenBudget.getAsLong();
        }

        /** The worker that owns this device's budget: the figure is read from it, never copied. */
        void tokenBudgetFrom(LongSupplier owner) {
            tokenBudget = owner;
        }

        public long freeMemoryBytes() {
            return freeMemoryBytes.get();
        }

        public long pressureReductions() {
            return pressureReductions.sum();
        }

        public long sizingTrials() {
            return sizingTrials.get();
        }

        public long sizingNanos() {
            return sizingNanos.get();
        }

        public long slowGemmFallbacks() {
            return slowGemmFallbacks.get();
        }

        public long sequencesHandedBack() {
            return sequencesHandedBack.sum();
        }

        public String failure() {
            return failure;
        }

        public boolean memoryPressure() {
            return memoryPressure;
        }

        public String budgetSource() {
            return budgetSource;
        }

        public String attention() {
            return attention;
        }

        /** {@code "cudnn (measured: cudnn 41.2 ms vs flash 48.9 ms per batch of 65,536 tokens)"}; null without a choice. */
        public String attentionSummary() {
            if (attention == null) {
                return null;
            }
            return attention + " (" + attentionSource + (attentionMeasurement != null ? ": " + attentionMeasurement : "") + ")";
        }

        public double tokensPerSecond() {
            long busy = busyNanos.sum();
            return busy == 0 ? 0 : tokens.sum() * 1e9 / busy;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("description", description);
            m.put("sequences", sequences.sum());
            m.put("tokens", tokens.sum());
            m.put("batches", batches.sum());
            m.put("busy_seconds", round(busyNanos.sum() / 1e9));
            m.put("tokens_per_second", round(tokensPerSecond()));
            if (peakMemoryBytes.get() >= 0) {
                m.put("peak_memory_bytes", peakMemoryBytes.get());
            }
            if (totalMemoryBytes.get() >= 0) {
                m.put("total_memory_bytes", totalMemoryBytes.get());
            }
            long budget = tokenBudget();
            if (budget >= 0) {
                m.put("token_budget", budget);
            }
            m.put("oom_retries", oomRetries.sum());
            m.put("slow_gemm_fallbacks", slowGemmFallbacks.get());
            if (failure != null) {
                m.put("failure", failure);
            }
            if (budgetSource != null) {
                m.put("token_budget_source", budgetSource);
            }
            if (attention != null) {
                m.put("attention", attention);
                m.put("attention_source", attentionSource);
                if (attentionMeasurement != null) {
                    m.put("attention_measurement", attentionMeasurement);
                }
            }
            if (sizingTrials.get() > 0) {
                m.put("sizing_trials", sizingTrials.get());
                m.put("sizing_seconds", round(sizingNanos.get() / 1e9));
            }
            if (pressureReductions.sum() > 0) {
                m.put("memory_pressure_reductions", pressureReductions.sum());
            }
            if (sequencesHandedBack.sum() > 0) {
                m.put("sequences_handed_back", sequencesHandedBack.sum());
            }
            return m;
        }
    }

    /** The run read one record from the input. */
    public void recordRead() {
        recordsRead.incrementAndGet();
    }

    /** A kept sequence (before sharding and resume): its truncation and unknown letters are counted. */
    public void sequenceKept(TokenizedSequence seq) {
        if (seq.truncated()) {
            truncated.incrementAndGet();
        }
        if (seq.unknownLetters() > 0) {
            unknownLetters.addAndGet(seq.unknownLetters());
            sequencesWithUnknown.incrementAndGet();
            unknownIds.add(seq.id());
        }
    }

    /** A record with characters that are not residue letters, left out; or embedded with {@code <unk>} for them. */
    public void invalidSkipped(String id) {
        skippedInvalid.incrementAndGet();
        invalidIds.add(id);
    }

    public void invalidAsUnknown(String id) {
        invalidAsUnknown.incrementAndGet();
        invalidIds.add(id);
    }

    /** A kept sequence that another shard computes. */
    public void inOtherShard() {
        otherShardSequences.incrementAndGet();
    }

    /**
     * A sequence an earlier run already wrote. It leaves what this run expects to process: progress and ETA count
     * the work of this run, as the devices' figures do.
     */
    public void resumed(TokenizedSequence seq) {
        resumedSequences.incrementAndGet();
        if (expectedSequences > 0) {
            expectedSequences--;
        }
        if (expectedResidues > 0) {
            expectedResidues = Math.max(0, expectedResidues - (seq.truncated() ? seq.truncatedFrom() : seq.residues()));
        }
    }

    /** A sequence this run computes. */
    public void toCompute(TokenizedSequence seq) {
        residues.addAndGet(seq.residues());
        tokens.addAndGet(seq.length());
    }

    /** A sequence this run computes as {@code windows} windows of {@code tokens} tokens in all ({@code --long-sequences window}). */
    public void toCompute(TokenizedSequence seq, int windows, long tokens) {
        residues.addAndGet(seq.residues());
        this.tokens.addAndGet(tokens);
        windowedSequences.incrementAndGet();
        sequenceWindows.addAndGet(windows);
    }

    /** Contact pairs of a windowed protein that no window held together (written as 0). */
    public void contactPairsOutsideWindows(long pairs) {
        contactPairsOutsideWindows.addAndGet(pairs);
    }

    public long windowedSequences() {
        return windowedSequences.get();
    }

    public long sequenceWindows() {
        return sequenceWindows.get();
    }

    public long contactPairsOutsideWindows() {
        return contactPairsOutsideWindows.get();
    }

    /** A record skipped for its duplicate id, renamed for it, or skipped for having no residues. */
    public void duplicateSkipped() {
        skippedDuplicate.incrementAndGet();
    }

    public void duplicateRenamed() {
        renamedDuplicate.incrementAndGet();
    }

    public void emptySkipped() {
        skippedEmpty.incrementAndGet();
    }

    /** One sequence's results are in the writer. */
    public void written() {
        sequencesWritten.incrementAndGet();
    }

    public long recordsRead() {
        return recordsRead.get();
    }

    public long sequencesWritten() {
        return sequencesWritten.get();
    }

    public long residues() {
        return residues.get();
    }

    public long tokens() {
        return tokens.get();
    }

    public long truncated() {
        return truncated.get();
    }

    public long unknownLetters() {
        return unknownLetters.get();
    }

    public long sequencesWithUnknown() {
        return sequencesWithUnknown.get();
    }

    public long skippedEmpty() {
        return skippedEmpty.get();
    }

    public long skippedDuplicate() {
        return skippedDuplicate.get();
    }

    public long renamedDuplicate() {
        return renamedDuplicate.get();
    }

    public long skippedInvalid() {
        return skippedInvalid.get();
    }

    public long invalidAsUnknown() {
        return invalidAsUnknown.get();
    }

    /** The first ids of sequences with unknown letters, and of records with invalid characters, in input order. */
    public List<String> unknownLetterIds() {
        return unknownIds.list();
    }

    public List<String> invalidRecordIds() {
        return invalidIds.list();
    }

    public long resumedSequences() {
        return resumedSequences.get();
    }

    public long otherShardSequences() {
        return otherShardSequences.get();
    }

    /** What the run expects to process, from the input's pre-scan (unknown, -1, when streaming). */
    public void expect(long sequences, long residues) {
        expectedSequences = sequences;
        expectedResidues = residues;
    }

    public long expectedSequences() {
        return expectedSequences;
    }

    public long expectedResidues() {
        return expectedResidues;
    }

    /** One sample of JVM heap in use (the progress sampler takes them): the peak only ever rises. */
    public void sampleJvmHeap(long usedBytes) {
        jvmHeapPeakBytes.accumulateAndGet(usedBytes, Math::max);
    }

    /** Highest JVM heap use sampled; -1 before the first sample. */
    public long jvmHeapPeakBytes() {
        return jvmHeapPeakBytes.get();
    }

    public DeviceStats device(String id, String description) {
        return devices.computeIfAbsent(id, k -> new DeviceStats(id, description));
    }

    public Map<String, DeviceStats> devices() {
        return devices;
    }

    /** The devices sorted by id in natural order (cuda:2 before cuda:10), for tables and manifests. */
    public List<DeviceStats> devicesInOrder() {
        return devices.values().stream().sorted(Comparator.comparing((DeviceStats d) -> d.id, DeviceIds::compare)).toList();
    }

    public Instant started() {
        return started;
    }

    public Duration elapsed() {
        return Duration.between(started, Instant.now());
    }

    /** The summary stored in manifests and printed at the end. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("records_read", recordsRead.get());
        m.put("sequences_written", sequencesWritten.get());
        m.put("residues", residues.get());
        m.put("tokens", tokens.get());
        m.put("truncated_sequences", truncated.get());
        if (windowedSequences.get() > 0) {
            m.put("windowed_sequences", windowedSequences.get());
            m.put("sequence_windows", sequenceWindows.get());
            m.put("contact_pairs_outside_windows", contactPairsOutsideWindows.get());
        }
        m.put("unknown_letters", unknownLetters.get());
        m.put("sequences_with_unknown_letters", sequencesWithUnknown.get());
        m.put("skipped_empty", skippedEmpty.get());
        m.put("skipped_duplicate", skippedDuplicate.get());
        m.put("renamed_duplicate", renamedDuplicate.get());
        m.put("skipped_invalid_characters", skippedInvalid.get());
        m.put("invalid_characters_as_unk", invalidAsUnknown.get());
        if (!unknownIds.list().isEmpty()) {
            m.put("first_ids_with_unknown_letters", unknownIds.list());
        }
        if (!invalidIds.list().isEmpty()) {
            m.put("first_ids_with_invalid_characters", invalidIds.list());
        }
        m.put("resumed_sequences", resumedSequences.get());
        m.put("sequences_in_other_shards", otherShardSequences.get());
        double seconds = elapsed().toNanos() / 1e9;
        m.put("wall_seconds", round(seconds));
        m.put("tokens_per_second", round(seconds == 0 ? 0 : tokens.get() / seconds));
        m.put("started", started.toString());
        if (jvmHeapPeakBytes.get() >= 0) {
            m.put("jvm_heap_peak_bytes", jvmHeapPeakBytes.get());
        }
        m.put("jvm_heap_max_bytes", Runtime.getRuntime().maxMemory());
        m.put("devices", devicesInOrder().stream().map(d -> {
                    Map<String, Object> dm = d.toMap();
                    dm.put("busy_fraction", round(seconds <= 0 ? 0 : Math.min(1, d.busyNanos.sum() / 1e9 / seconds)));
                    return dm;
                }).toList());
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
