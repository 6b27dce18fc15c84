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
        m.put("writer_wait_seconds", round(writerWaitNanos.get() / 1e9));
        m.put("startup", timeline.toList());
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
