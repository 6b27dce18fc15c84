package org.esm2j.run;

import org.esm2j.Esm2jException;
import org.esm2j.io.FastaReader;
import org.esm2j.io.FastaRecord;
import org.esm2j.io.IdRegistry;
import org.esm2j.io.out.EmbeddingWriter;
import org.esm2j.model.Alphabet;
import org.esm2j.model.OutputKind;
import org.esm2j.model.OutputSpec;
import org.esm2j.model.SequenceEmbedding;
import org.esm2j.model.TokenizedSequence;
import org.esm2j.model.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The data path of {@code esm2j embed}: FASTA → tokens → windows → batches → devices → writer.
 *
 * <p>Input is streamed in windows (bounded by sequence count and by the bytes their results will take),
 * each window is sorted by length and cut into batches, the executor runs them, and the window's results
 * are written in input order. Memory stays bounded whatever the input size; output order is the input's.
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
    private final IdRegistry ids = new IdRegistry();
    private final int hidden;
    private long nextRow;
    private long loggedSkips;

    public EmbedRun(EmbedOptions options, int hidden, BatchExecutor executor, EmbeddingWriter writer, RunStats stats, RunListener listener) {
        this.options = options;
        this.hidden = hidden;
        this.executor = executor;
        this.writer = writer;
        this.stats = stats;
        this.listener = listener;
        this.tokenizer = new Tokenizer(options.truncation());
    }

    /** Runs to completion and commits the output; on any failure the output is aborted and the error rethrown. */
    public RunStats run() {
        boolean success = false;
        listener.started(stats);
        try (FastaReader reader = FastaReader.open(options.input())) {
            List<TokenizedSequence> window = new ArrayList<>();
            long windowBytes = 0;
            FastaRecord record;
            while ((record = reader.next()) != null) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Esm2jException(org.esm2j.ExitCode.INTERRUPTED, "interrupted");
                }
                stats.recordsRead.incrementAndGet();
                TokenizedSequence seq = admit(reader, record);
                if (seq == null) {
                    continue;
                }
                window.add(seq);
                windowBytes += resultBytes(seq.residues());
                if (window.size() >= EmbedOptions.MAX_WINDOW_SEQUENCES || windowBytes >= options.windowBytes()) {
                    process(window);
                    window = new ArrayList<>();
                    windowBytes = 0;
                }
            }
            process(window);
            writer.commit(stats.toMap());
            success = true;
            return stats;
        } finally {
            if (!success) {
                writer.abort();
            }
            listener.finished(stats, success);
        }
    }

    /** Tokenizes a record and applies the id policy; null when the record is skipped. */
    private TokenizedSequence admit(FastaReader reader, FastaRecord record) {
        String id = record.id();
        if (!ids.add(id)) {
            switch (options.duplicates()) {
                case ERROR -> throw Esm2jException.badInput(reader.name() + ":" + record.headerLine() + ": duplicate id '" + id
                        + "'. Outputs are keyed by id: make the ids unique, or pass --duplicate-ids rename or skip");
                case SKIP -> {
                    stats.skippedDuplicate.incrementAndGet();
                    logSkip("{}:{}: duplicate id '{}' skipped (--duplicate-ids skip)", reader.name(), record.headerLine(), id);
                    return null;
                }
                case RENAME -> {
                    int k = 2;
                    while (!ids.add(record.id() + "#" + k)) {
                        k++;
                    }
                    id = record.id() + "#" + k;
                    stats.renamedDuplicate.incrementAndGet();
                }
            }
        }
        TokenizedSequence seq = tokenizer.tokenize(nextRow, id, record.sequence());
        if (seq.residues() == 0) {
            stats.skippedEmpty.incrementAndGet();
            logSkip("{}:{}: record '{}' has no residues (only stop codons or whitespace); skipped", reader.name(), record.headerLine(), id);
            return null;
        }
        nextRow++;
        if (seq.truncated()) {
            stats.truncated.incrementAndGet();
        }
        if (seq.unknownLetters() > 0) {
            stats.unknownLetters.addAndGet(seq.unknownLetters());
            stats.sequencesWithUnknown.incrementAndGet();
        }
        stats.residues.addAndGet(seq.residues());
        stats.tokens.addAndGet(seq.length());
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
        OutputSpec spec = options.spec();
        long floats = 0;
        int layers = spec.layerCount();
        if (spec.has(OutputKind.MEAN)) {
            floats += (long) layers * hidden;
        }
        if (spec.has(OutputKind.BOS)) {
            floats += (long) layers * hidden;
        }
        if (spec.has(OutputKind.PER_TOK)) {
            floats += (long) layers * n * hidden;
        }
        if (spec.has(OutputKind.LOGITS)) {
            floats += (long) (n + 2) * Alphabet.SIZE;
        }
        if (spec.has(OutputKind.CONTACTS)) {
            floats += (long) n * n;
        }
        return floats * 4 + 4L * (n + 2) + 128;
    }

    private void process(List<TokenizedSequence> window) {
        if (window.isEmpty()) {
            return;
        }
        List<Batch> batches = BatchPlanner.plan(window, executor.tokenBudget(), options.maxBatchSequences());
        ConcurrentLinkedQueue<SequenceEmbedding> results = new ConcurrentLinkedQueue<>();
        executor.execute(batches, options.spec(), results::add);
        List<SequenceEmbedding> ordered = new ArrayList<>(results);
        ordered.sort(Comparator.comparingLong(SequenceEmbedding::index));
        long expectedFirst = window.getFirst().index();
        if (ordered.size() != window.size()) {
            throw new IllegalStateException("executor returned " + ordered.size() + " results for " + window.size() + " sequences");
        }
        for (int i = 0; i < ordered.size(); i++) {
            SequenceEmbedding e = ordered.get(i);
            if (e.index() != expectedFirst + i) {
                throw new IllegalStateException("result for row " + (expectedFirst + i) + " is missing or repeated (got row " + e.index() + ")");
            }
            writer.write(e);
            stats.sequencesWritten.incrementAndGet();
        }
    }
}
