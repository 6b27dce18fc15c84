package org.esm2j.pipeline;

import org.esm2j.Esm2jException;
import org.esm2j.Units;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.input.FastaReader;
import org.esm2j.input.FastaRecord;
import org.esm2j.input.IdRegistry;
import org.esm2j.output.EmbeddingWriter;
import org.esm2j.schedule.BatchExecutor;
import org.esm2j.schedule.BatchPlanner;
import org.esm2j.schedule.RunListener;
import org.esm2j.schedule.RunStats;
import org.esm2j.tokens.SequenceWindows;
import org.esm2j.schedule.StartupTimeline;
import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The data path of {@code esm2j embed}: FASTA → tokens → windows → batches → devices → writer.
 *
 * <p>Input is streamed in windows (bounded by sequence count and by the bytes their results will take),
 * each window is sorted by length and cut into batches, the executor runs them, and the window's results
 * are written in input order. Memory stays bounded whatever the input size; output order is the input's.
 *
 * <p>A window's results are written by one writer thread while the devices compute the next window, so the
 * devices do not wait for the disk (per-token outputs of a fast GPU come at hundreds of MB/s). At most two
 * windows' results are held. A failure waits for the window being written, so every finished part stays.
 *
 * <p>Long proteins ({@link org.esm2j.tokens.LongSequences}): truncated by the tokenizer, kept whole, or cut into
 * windows of their own that {@link WindowedProteins} runs and combines within the input window that holds the protein
 * (never split across two), so rows, parts, shards and resume count proteins exactly as without windows.
 *
 * <p>The time the computing thread waits for the writer (a disk slower than the devices) is counted in {@link RunStats}
 * ({@code writer_wait_seconds} in the manifest), and the first result written ends the start-up timeline. The input
 * is read one window ahead on a reader thread, so the devices do not wait for the next window to be read either.
 */
public final class EmbedRun {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedRun.class);
    private static final int LOGGED_SKIPS = 10;

    private final EmbedOptions options;
    private final BatchExecutor executor;
    private final EmbeddingWriter writer;
    private final RunListener listener;
    private final RunStats stats;
    private final Tokenizer tokenizer;
    /** How long proteins are cut; null unless {@code --long-sequences window}. */
    private final SequenceWindows windows;
    private final IdRegistry ids = new IdRegistry();
    /** Writes windows in order, one at a time, beside the computing thread. */
    private ExecutorService writerThread;
    /** The previous window's write, not yet waited for; null when none. */
    private Future<?> pendingWrite;
    private final int hidden;
    private long kept; // sequences kept so far in the whole input, all shards
    private long nextRow; // sequences of this shard so far (the output row)
    private long loggedSkips;
    /** The writer thread has written its first result (only that thread reads or sets it). */
    private boolean firstWritten;

    public EmbedRun(EmbedOptions options, int hidden, BatchExecutor executor, EmbeddingWriter writer, RunStats stats, RunListener listener) {
        this.options = options;
        this.hidden = hidden;
        this.executor = executor;
        this.writer = writer;
        this.stats = stats;
        this.listener = listener;
        this.tokenizer = new Tokenizer(options.longSequences().tokenizerLimit(options.truncation()));
        this.windows = options.windows();
    }

    /**
     * Runs to completion and commits the output; on any failure the output is aborted (a resumable writer keeps
     * its finished parts) and the error rethrown. Sequences the writer already holds from an interrupted run are
     * read and checked but not computed.
     */
    public RunStats run() {
        boolean success = false;
        listener.started(stats);
        writerThread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("esm2j-writer").daemon().unstarted(r));
        try {
            readAheadAndProcess();
            warnIfNothingKept();
            awaitPendingWrite();
            writer.commit(stats.toMap());
            success = true;
            return stats;
        } finally {
            if (!success) {
                finishPendingWriteQuietly();
                writer.abort();
            }
            writerThread.shutdownNow();
            stats.timeline().logStartupDone(); // when no result was written (a failure, a resumed run with nothing left)
            listener.finished(stats, success);
        }
    }

    /**
     * An empty dataset is a valid result (a pipeline's empty chunk) but never a silent one: a wrong file, a FASTA
     * that is really something else, or a filter that left nothing.
     */
    private void warnIfNothingKept() {
        if (stats.recordsRead() == 0) {
            LOG.warn("{}: no FASTA records (the input is empty): the output is an empty dataset", options.input());
        } else if (kept == 0) {
            LOG.warn("{}: none of its {} was kept (see the warnings above and the summary): the output is an empty dataset",
                    options.input(), Units.count(stats.recordsRead(), "record"));
        } else if (nextRow == 0) {
            LOG.warn("shard {}: none of the {} sequences kept falls in this shard: the output is an empty dataset",
                    options.shard(), Units.count(kept));
        }
    }

    /**
     * What {@link #run} would do, without a device or an output: the same reading, filtering, sharding,
     * windows and batches, counted.
     *
     * @param tokenBudget       tokens per batch to plan with
     * @param resumedRows       sequences an interrupted earlier run holds (skipped)
     * @param partRows          sequences per resumable part
     * @param outputElementBytes bytes per written float (4 or 2)
     */
    public static RunPlan plan(EmbedOptions options, int hidden, long tokenBudget, long resumedRows, long partRows, int outputElementBytes) {
        RunStats stats = new RunStats();
        EmbedRun run = new EmbedRun(options, hidden, null, null, stats, RunListener.NONE);
        long[] windows = new long[1];
        long[] batches = new long[1];
        long[] longest = new long[1];
        long[] outputBytes = new long[1];
        run.stream(resumedRows, partRows, window -> {
            windows[0]++;
            List<TokenizedSequence> computed = run.windows == null ? window : WindowedProteins.computed(window, run.windows);
            batches[0] += BatchPlanner.plan(computed, tokenBudget, options.maxBatchSequences()).size();
            for (TokenizedSequence s : computed) {
                longest[0] = Math.max(longest[0], s.length());
            }
            for (TokenizedSequence s : window) {
                outputBytes[0] += run.outputBytes(s, outputElementBytes);
            }
        }, (row, seq) -> outputBytes[0] += run.outputBytes(seq, outputElementBytes));
        long shardRows = run.nextRow;
        long parts = partRows == Long.MAX_VALUE ? 0 : (shardRows + partRows - 1) / partRows;
        return new RunPlan(options.shard(), stats.recordsRead(), run.kept, stats.otherShardSequences(), stats.resumedSequences(),
                shardRows - stats.resumedSequences(), stats.residues(), stats.tokens(), longest[0], windows[0], batches[0],
                tokenBudget, parts, partRows, outputBytes[0], stats.skippedEmpty(), stats.skippedDuplicate(), stats.truncated(),
                options.longSequences(), stats.windowedSequences(), stats.sequenceWindows());
    }

    /** What the reader hands the computing thread: a window, the end of the input, or the reading's failure. */
    private record Ahead(List<TokenizedSequence> window, RuntimeException failure) {
        static final Ahead END = new Ahead(null, null);
    }

    /**
     * Reads and tokenizes the input on a thread of its own, one window ahead of the devices: the next window is ready
     * when the devices finish this one, instead of the devices waiting for it to be read. Windows go through a queue of
     * one, so at most two windows of tokens are held beside the one computing. A reading failure (a bad record, the
     * input changed under a resumed run) reaches this thread after the windows read before it, as when reading inline.
     */
    private void readAheadAndProcess() {
        BlockingQueue<Ahead> ready = new ArrayBlockingQueue<>(1);
        Thread reader = Thread.ofPlatform().name("esm2j-reader").daemon().start(() -> {
            Ahead last = Ahead.END;
            try {
                stream(writer.resumedRows(), writer.partRows(), window -> put(ready, new Ahead(window, null)),
                        (row, seq) -> writer.checkResumed(row, seq.id()));
            } catch (ReaderStopped e) {
                return;
            } catch (RuntimeException e) {
                last = new Ahead(null, e);
            }
            try {
                put(ready, last);
            } catch (ReaderStopped e) {
                // the computing thread stopped taking: it failed or was interrupted
            }
        });
        try {
            while (true) {
                Ahead next;
                try {
                    next = ready.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Esm2jException(org.esm2j.ExitCode.INTERRUPTED, "interrupted");
                }
                if (next.failure() != null) {
                    throw next.failure();
                }
                if (next.window() == null) {
                    return;
                }
                process(next.window());
            }
        } finally {
            // After the end of the input the reader is done; after a failure here it stops at its next record or hand-over
            // (a read blocked on standard input is not interruptible: it is left to end by itself, it writes nothing).
            reader.interrupt();
            joinQuietly(reader, 2_000);
        }
    }

    /** The reader was interrupted while handing over a window: the computing thread is gone. */
    private static final class ReaderStopped extends RuntimeException {
        ReaderStopped() {
            super(null, null, false, false);
        }
    }

    private static void put(BlockingQueue<Ahead> queue, Ahead a) {
        try {
            queue.put(a);
        } catch (InterruptedException e) {
            throw new ReaderStopped();
        }
    }

    private static void joinQuietly(Thread t, long millis) {
        boolean interrupted = Thread.interrupted();
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called for each resumed row, in order. */
    private interface ResumedRow {
        void accept(long row, TokenizedSequence seq);
    }

    private void stream(long resumedRows, long partRows, java.util.function.Consumer<List<TokenizedSequence>> onWindow, ResumedRow onResumed) {
        try (FastaReader reader = FastaReader.open(options.input())) {
            List<TokenizedSequence> window = new ArrayList<>();
            long windowBytes = 0;
            FastaRecord record;
            while ((record = reader.next()) != null) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Esm2jException(org.esm2j.ExitCode.INTERRUPTED, "interrupted");
                }
                stats.recordRead();
                TokenizedSequence seq = admit(reader, record);
                if (seq == null) {
                    continue;
                }
                if (!options.shard().contains(kept - 1)) {
                    stats.inOtherShard();
                    continue;
                }
                long row = nextRow++;
                stats.sequenceKept(seq);
                if (row < resumedRows) {
                    onResumed.accept(row, seq);
                    stats.resumed(seq);
                    continue;
                }
                if (windows != null && windows.cuts(seq.residues())) {
                    stats.toCompute(seq, windows.count(seq.residues()), windows.tokens(seq.residues()));
                } else {
                    stats.toCompute(seq);
                }
                window.add(seq);
                windowBytes += resultBytes(seq.residues());
                if (window.size() >= EmbedOptions.MAX_WINDOW_SEQUENCES || windowBytes >= options.windowBytes() || nextRow % partRows == 0) {
                    onWindow.accept(window);
                    window = new ArrayList<>();
                    windowBytes = 0;
                }
            }
            if (!window.isEmpty()) {
                onWindow.accept(window);
            }
            if (nextRow < resumedRows) {
                throw Esm2jException.badOutput("the earlier run wrote " + resumedRows + " sequences but the input now gives only " + nextRow
                        + " for this shard: the input changed. Rerun with {overwrite} to start over, or restore the earlier input.");
            }
        }
    }

    /**
     * Tokenizes a record and applies the record and id policies; null when the record is skipped. Runs for every
     * record, whatever the shard, so that every shard skips and renames exactly as an unsharded run does (and as
     * {@code InputScan} counted). A skipped record does not claim its id.
     */
    private TokenizedSequence admit(FastaReader reader, FastaRecord record) {
        if (record.empty()) {
            stats.emptySkipped();
            logSkip("{}:{}: record '{}' has no residues (no sequence lines, or only whitespace or stop codons); skipped",
                    reader.name(), record.headerLine(), record.id());
            return null;
        }
        if (record.hasInvalidCharacters()) {
            switch (options.invalidRecords()) {
                case ERROR -> throw Esm2jException.badInput(record.describeInvalid(reader.name())
                        + ". Fix the record, or pass {invalidRecords} skip (leave such records out) or unk (embed those characters as <unk>)");
                case SKIP -> {
                    stats.invalidSkipped(record.id());
                    logSkip("{}; skipped (--invalid-records unk embeds it with <unk> for them)", record.describeInvalid(reader.name()));
                    return null;
                }
                case UNK -> {
                    stats.invalidAsUnknown(record.id());
                    logSkip("{}; embedded with <unk> for them (--invalid-records unk)", record.describeInvalid(reader.name()));
                }
            }
        }
        String key = options.key().of(record);
        String id = key;
        if (!ids.add(id)) {
            switch (options.duplicates()) {
                case ERROR -> throw Esm2jException.badInput(reader.name() + ":" + record.headerLine() + ": duplicate id '" + id
                        + "'. Outputs are keyed by id: make the ids unique, or pass {duplicates} rename or skip");
                case SKIP -> {
                    stats.duplicateSkipped();
                    logSkip("{}:{}: duplicate id '{}' skipped (--duplicate-ids skip)", reader.name(), record.headerLine(), id);
                    return null;
                }
                case RENAME -> {
                    int k = 2;
                    while (!ids.add(key + "#" + k)) {
                        k++;
                    }
                    id = key + "#" + k;
                    stats.duplicateRenamed();
                }
            }
        }
        TokenizedSequence seq = tokenizer.tokenize(nextRow, id, record.sequence());
        if (seq.residues() == 0) {
            throw new IllegalStateException(reader.name() + ":" + record.headerLine() + ": record '" + id
                    + "' was not found empty by the reader but has no residues");
        }
        kept++;
        return seq;
    }

    private void logSkip(String format, Object... args) {
        if (loggedSkips++ < LOGGED_SKIPS) {
            LOG.warn(format, args);
        } else if (loggedSkips == LOGGED_SKIPS + 1) {
            LOG.warn("more records skipped; the summary counts them all");
        }
    }

    /** Bytes of results one sequence of {@code n} residues produces, to bound the window. */
    private long resultBytes(int n) {
        if (windows != null && windows.cuts(n)) {
            int count = windows.count(n);
            return WindowedProteins.resultFloats(options.spec(), windows, n, hidden) * 4 + 4L * (n + 2 + count * (windows.length() + 2L)) + 128L * (count + 1);
        }
        return resultFloats(n) * 4 + 4L * (n + 2) + 128;
    }

    /** Bytes one sequence adds to the output files: its floats, offsets and id line. */
    private long outputBytes(TokenizedSequence seq, int elementBytes) {
        OutputSpec spec = options.spec();
        int offsetArrays = (spec.has(OutputKind.PER_TOK) ? 1 : 0) + (spec.has(OutputKind.LOGITS) ? 1 : 0) + (spec.has(OutputKind.CONTACTS) ? 1 : 0);
        return resultFloats(seq.residues()) * elementBytes + 8L * offsetArrays + seq.id().length() + 1;
    }

    private long resultFloats(int n) {
        return options.spec().floatsPerSequence(n, hidden);
    }

    private void process(List<TokenizedSequence> window) {
        if (window.isEmpty()) {
            return;
        }
        List<SequenceEmbedding> ordered = windows == null ? executor.executeWindow(window, options.spec(), options.maxBatchSequences())
                : WindowedProteins.execute(executor, window, options.spec(), windows, options.maxBatchSequences(), stats);
        awaitPendingWrite(); // windows are written in order, one at a time
        pendingWrite = writerThread.submit(() -> {
            for (SequenceEmbedding e : ordered) {
                writer.write(e);
                stats.written();
                if (!firstWritten) {
                    firstWritten = true;
                    stats.timeline().first(StartupTimeline.FIRST_RESULT_WRITTEN);
                    stats.timeline().logStartupDone();
                }
            }
        });
    }

    /** Waits for the previous window's write; its failure becomes this thread's. */
    private void awaitPendingWrite() {
        if (pendingWrite == null) {
            return;
        }
        Future<?> f = pendingWrite;
        pendingWrite = null;
        long t0 = System.nanoTime();
        try {
            f.get();
            stats.writerWaited(System.nanoTime() - t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Esm2jException(org.esm2j.ExitCode.INTERRUPTED, "interrupted while writing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** After a failure elsewhere: lets the window being written finish (its parts are then kept), ignoring its own error. */
    private void finishPendingWriteQuietly() {
        if (pendingWrite == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            pendingWrite.get();
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (ExecutionException ignored) {
            // the failure being reported is the earlier one
        } finally {
            pendingWrite = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
