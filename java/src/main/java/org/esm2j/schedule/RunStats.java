package org.esm2j.schedule;

import org.esm2j.device.EncoderDevice;
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
    final AtomicLong unknownLetters = new AtomicLong();
    final AtomicLong sequencesWithUnknown = new AtomicLong();
    final AtomicLong skippedEmpty = new AtomicLong();
    final AtomicLong skippedDuplicate = new AtomicLong();
    final AtomicLong renamedDuplicate = new AtomicLong();
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
    /** Where the start-up time went (input scan, weights, self-check, sizing, first batch, first result). */
    private final StartupTimeline timeline;
    /** Time the computing thread waited for the writer to take a window (the writer's backpressure). */
    private final AtomicLong writerWaitNanos = new AtomicLong();

    public RunStats() {
        this(StartupTimeline.startingNow());
    }

    public RunStats(StartupTimeline timeline) {
        this.timeline = timeline;
    }

    public StartupTimeline timeline() {
        return timeline;
    }

    /** The computing thread waited {@code nanos} for the writer (the previous window still being written). */
    public void writerWaited(long nanos) {
        writerWaitNanos.addAndGet(nanos);
    }

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
        /** Device memory of the weights, and in use before they were loaded ({@link EncoderDevice#weightBytes()}); -1 unknown. */
        final AtomicLong weightBytes = new AtomicLong(-1);
        final AtomicLong memoryBeforeWeightsBytes = new AtomicLong(-1);
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
            if (weightBytes.get() >= 0) {
                m.put("weight_bytes", weightBytes.get());
            }
            if (memoryBeforeWeightsBytes.get() >= 0 && peakMemoryBytes.get() >= 0 && weightBytes.get() >= 0) {
                // What the run added on the device beside its weights: workspace, outputs, library handles.
                m.put("memory_before_weights_bytes", memoryBeforeWeightsBytes.get());
                m.put("activation_memory_bytes", Math.max(0, peakMemoryBytes.get() - memoryBeforeWeightsBytes.get() - weightBytes.get()));
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
        }
    }

    /** A kept sequence that another shard computes. */
    public void inOtherShard() {
        otherShardSequences.incrementAndGet();
    }

    /** A sequence an earlier run already wrote. */
    public void resumed() {
        resumedSequences.incrementAndGet();
    }

    /** A sequence this run computes. */
    public void toCompute(TokenizedSequence seq) {
        residues.addAndGet(seq.residues());
        tokens.addAndGet(seq.length());
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
        return devices.values().stream().sorted(Comparator.comparing((DeviceStats d) -> d.id, RunStats::compareDeviceIds)).toList();
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
        m.put("unknown_letters", unknownLetters.get());
        m.put("sequences_with_unknown_letters", sequencesWithUnknown.get());
        m.put("skipped_empty", skippedEmpty.get());
        m.put("skipped_duplicate", skippedDuplicate.get());
        m.put("renamed_duplicate", renamedDuplicate.get());
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
        m.put("writer_wait_seconds", round(writerWaitNanos.get() / 1e9));
        m.put("startup", timeline.toList());
        m.put("devices", devicesInOrder().stream().map(d -> {
                    Map<String, Object> dm = d.toMap();
                    dm.put("busy_fraction", round(seconds <= 0 ? 0 : Math.min(1, d.busyNanos.sum() / 1e9 / seconds)));
                    return dm;
                }).toList());
        return m;
    }

    /** Device ids in natural order: cuda:2 before cuda:10, whatever order the devices registered in. */
    public static int compareDeviceIds(String a, String b) {
        int ia = numberStart(a);
        int ib = numberStart(b);
        int byPrefix = a.substring(0, ia).compareTo(b.substring(0, ib));
        if (byPrefix != 0 || ia == a.length() || ib == b.length()) {
            return byPrefix != 0 ? byPrefix : a.compareTo(b);
        }
        String na = a.substring(ia);
        String nb = b.substring(ib);
        return na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
    }

    private static int numberStart(String id) {
        int i = id.length();
        while (i > 0 && Character.isDigit(id.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
