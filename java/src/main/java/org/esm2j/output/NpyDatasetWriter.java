package org.esm2j.output;

import org.esm2j.Esm2jException;
import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The default output, built for millions of sequences and for jobs that get killed: a directory of {@code .npy}
 * arrays, one row per sequence, plus {@code ids.txt} in the same row order and a {@code manifest.json}.
 *
 * <pre>
 *   ids.txt                  one id per line, row order
 *   mean.{layer}.npy         [rows, E]
 *   bos.{layer}.npy          [rows, E]
 *   per_tok.{layer}.npy      [total residues, E]   rows of sequence i: offsets[i] .. offsets[i+1]
 *   per_tok.offsets.npy      [rows + 1] int64
 *   logits.npy               [total tokens, 33]    BOS and EOS positions included
 *   logits.offsets.npy       [rows + 1] int64
 *   contacts.npy             [sum of n_i^2]         sequence i is an n_i x n_i block, row-major
 *   contacts.offsets.npy     [rows + 1] int64
 *   manifest.json            written last: its presence means the dataset is complete
 * </pre>
 *
 * <p>While the job runs, results go to {@code parts/}: every {@code partRows} sequences form a part directory
 * ({@code part-000000/}: the same files for its rows, plus {@code part.json}) that is written as
 * {@code part-000000.partial/}, synced to disk and renamed, so a part is either whole or absent.
 * {@code parts/progress.json} records the job's {@link DatasetIdentity} and the finished parts. A killed job
 * leaves whole parts; running the same command again keeps them, skips their sequences and continues
 * ({@link ResumeState}). At the end the parts are joined, byte for byte, into the single arrays above
 * (needing room for one more copy meanwhile), the manifest is written and {@code parts/} is removed.
 */
public final class NpyDatasetWriter implements EmbeddingWriter {
    private static final Logger LOG = LoggerFactory.getLogger(NpyDatasetWriter.class);

    public static final String IDS = "ids.txt";
    public static final String PARTS = "parts";
    public static final String PROGRESS = "progress.json";
    static final String PART_FILE = "part.json";
    /** Sequences per part unless --part-size says otherwise: seconds of GPU work, minutes on a CPU. */
    public static final long DEFAULT_PART_ROWS = 10_000;

    /** Names this writer may leave in a directory (used to tell our output from someone else's files). */
    public static final Pattern OWN_FILES = Pattern.compile(
            "(ids\\.txt|manifest\\.json|(mean|bos|per_tok)\\.\\d+\\.npy|(per_tok|logits|contacts)(\\.offsets)?\\.npy)(\\.partial)?|parts");

    private final Path dir;
    private final Path partsDir;
    private final ArrayLayout layout;
    private final OutputDtype dtype;
    private final Map<String, Object> description;
    private final DatasetIdentity identity;
    private final long partRows;
    private final boolean complete;
    private final long resumedRows;
    private final List<ResumeState.Part> parts = new ArrayList<>();
    private final ReentrantLock publishing = new ReentrantLock();
    private ResumedIds resumedIds;
    private NpyArraySet current;
    private long currentFirstRow;
    private NpyArraySet consolidated;
    private boolean committed;
    private boolean aborted;

    /**
     * Opens {@code dir} for {@code identity}: resumes an interrupted run of the same job, notes a finished one
     * ({@link #complete()}), starts a new one, or refuses (BAD_OUTPUT) work of another job unless {@code overwrite},
     * which discards the earlier parts (an earlier finished dataset stays until this one replaces it).
     */
    public NpyDatasetWriter(Path dir, OutputSpec spec, int hidden, OutputDtype dtype, Map<String, Object> description,
                            DatasetIdentity identity, long partRows, boolean overwrite) {
        if (partRows < 1) {
            throw new InvalidParameterException(Parameter.PART_ROWS, "{partRows} must be >= 1, got " + partRows);
        }
        this.dir = dir;
        this.partsDir = dir.resolve(PARTS);
        this.layout = ArrayLayout.of(spec, hidden);
        this.dtype = dtype;
        this.description = description;
        this.identity = identity;
        try {
            Files.createDirectories(dir);
            ResumeState state = overwrite ? null : ResumeState.inspect(dir, identity);
            if (state != null) {
                state.notes().forEach(LOG::warn);
            }
            if (state != null && state.status() == ResumeState.Status.MISMATCH) {
                throw state.refusal(dir);
            }
            this.complete = state != null && state.status() == ResumeState.Status.COMPLETE;
            if (complete) {
                this.partRows = partRows;
                this.resumedRows = state.rows();
                return;
            }
            if (state != null && state.status() == ResumeState.Status.RESUME) {
                this.partRows = state.partRows();
                if (partRows != state.partRows()) {
                    LOG.info("resuming with the earlier run's part size ({} sequences per part, not {})", state.partRows(), partRows);
                }
                parts.addAll(state.parts());
                this.resumedRows = state.rows();
                removeUnfinishedParts(parts.size());
                Files.deleteIfExists(partsDir.resolve(PROGRESS + ".partial"));
                resumedIds = new ResumedIds(parts);
            } else {
                this.partRows = partRows;
                this.resumedRows = 0;
                deleteRecursively(partsDir);
            }
            Files.createDirectories(partsDir);
            writeProgress();
        } catch (IOException e) {
            throw Esm2jException.badOutput("cannot prepare " + partsDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A writer for callers that manage their output themselves (the library API, tests): it starts over whatever
     * is at {@code dir} and records no input, so it is never resumed.
     */
    public NpyDatasetWriter(Path dir, OutputSpec spec, int hidden, OutputDtype dtype, Map<String, Object> description) {
        this(dir, spec, hidden, dtype, description, DatasetIdentity.unchecked(), DEFAULT_PART_ROWS, true);
    }

    static String partName(int number) {
        return String.format("part-%06d", number);
    }

    @Override
    public boolean complete() {
        return complete;
    }

    @Override
    public long resumedRows() {
        return resumedRows;
    }

    @Override
    public long partRows() {
        return partRows;
    }

    public int finishedParts() {
        return parts.size();
    }

    @Override
    public void checkResumed(long row, String id) {
        if (resumedIds == null) {
            throw new IllegalStateException("nothing was resumed");
        }
        String earlier = resumedIds.next();
        if (!earlier.equals(id)) {
            throw Esm2jException.badOutput("the input changed since the earlier run: sequence " + row + " was '" + earlier + "' (" + resumedIds.file()
                    + ") and is '" + id + "' now. Rerun with {overwrite} to start over, or restore the earlier input.");
        }
        if (row == resumedRows - 1) {
            resumedIds.close();
        }
    }

    @Override
    public void write(SequenceEmbedding emb) {
        if (complete) {
            throw new IllegalStateException("the dataset is complete");
        }
        try {
            if (current == null) {
                currentFirstRow = parts.isEmpty() ? 0 : parts.getLast().firstRow() + parts.getLast().rows();
                current = whileNotAborted(() -> new NpyArraySet(partsDir.resolve(partName(parts.size()) + ".partial"), layout, dtype));
            }
            current.append(emb);
            if (current.rows() == partRows) {
                finishPart();
            }
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    private void finishPart() throws IOException {
        int number = parts.size();
        Path partial = partsDir.resolve(partName(number) + ".partial");
        Path done = partsDir.resolve(partName(number));
        Map<String, Object> arrays = current.finish();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("part", number);
        info.put("first_row", currentFirstRow);
        info.put("rows", current.rows());
        info.put("ids_bytes", current.idsBytes());
        info.put("arrays", arrays);
        current.publish();
        Manifest.write(partial.resolve(PART_FILE), info);
        publishing.lock();
        try {
            if (aborted) {
                throw new Esm2jException(org.esm2j.ExitCode.INTERRUPTED, "interrupted");
            }
            Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(partsDir);
            parts.add(new ResumeState.Part(number, currentFirstRow, current.rows(), done));
            current = null;
        } finally {
            publishing.unlock();
        }
        writeProgress();
    }

    /** Something that creates files. */
    private interface Creation<T> {
        T create() throws IOException;
    }

    /** Runs {@code creation} unless the writer was aborted (by a signal), so that nothing new appears after an abort. */
    private <T> T whileNotAborted(Creation<T> creation) throws IOException {
        publishing.lock();
        try {
            if (aborted) {
                throw new Esm2jException(org.esm2j.ExitCode.INTERRUPTED, "interrupted");
            }
            return creation.create();
        } finally {
            publishing.unlock();
        }
    }

    private void writeProgress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "esm2j-npy-progress");
        m.put("format_version", 1);
        m.put("note", "an unfinished esm2j run: rerun the same command to resume it; the finished dataset replaces this directory");
        m.put("identity", identity.toMap());
        m.put("part_rows", partRows);
        m.put("rows_finished", parts.stream().mapToLong(ResumeState.Part::rows).sum());
        m.put("finished_parts", parts.stream().map(p -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("part", p.dir().getFileName().toString());
            e.put("first_row", p.firstRow());
            e.put("rows", p.rows());
            return e;
        }).toList());
        m.put("run", description);
        try {
            whileNotAborted(() -> {
                Manifest.write(partsDir.resolve(PROGRESS), m);
                return null;
            });
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    private Esm2jException writeFailure(IOException e) {
        String hint = e.getMessage() != null && e.getMessage().contains("No space") ? " (disk full: free space or choose another {output})" : "";
        return Esm2jException.badOutput("writing " + dir + " failed: " + e.getMessage() + hint, e);
    }

    @Override
    public void commit(Map<String, Object> summary) {
        if (complete) {
            return;
        }
        try {
            if (current != null) {
                finishPart();
            }
            long rows = parts.stream().mapToLong(ResumeState.Part::rows).sum();
            consolidated = whileNotAborted(() -> new NpyArraySet(dir, layout, dtype));
            int buffer = NpyDatasetReader.bufferBytes(1, layout);
            for (ResumeState.Part p : parts) {
                try (NpyDatasetReader in = NpyDatasetReader.open(p.dir(), layout, p.rows(), buffer)) {
                    consolidated.appendFrom(in, p.rows(), id -> {
                    });
                    in.checkExhausted();
                }
            }
            Map<String, Object> files = consolidated.finish();
            publishing.lock();
            try {
                if (aborted) {
                    throw new Esm2jException(org.esm2j.ExitCode.INTERRUPTED, "interrupted");
                }
                publish(dir, consolidated, layout, files, description, identity, rows, summary);
                committed = true;
            } finally {
                publishing.unlock();
            }
            deleteRecursively(partsDir);
        } catch (IOException e) {
            abort();
            throw writeFailure(e);
        }
    }

    /** How rows relate to the input, for the manifest. */
    static String rowOrder(DatasetIdentity identity) {
        String order = "input order of the FASTA records kept (after --duplicate-ids, --invalid-records and skipping empty sequences)";
        return identity.shardCount() == 1 ? order
                : order + "; shard " + identity.shardIndex() + "/" + identity.shardCount() + " holds kept sequences number "
                        + identity.shardIndex() + ", " + (identity.shardIndex() + identity.shardCount()) + ", "
                        + (identity.shardIndex() + 2 * identity.shardCount()) + ", ... (0-based); esm2j merge interleaves them back";
    }

    /**
     * Makes the finished {@code set} the dataset in {@code dir}: an older manifest goes first (so that no moment
     * shows a complete-looking mix), then the arrays are renamed into place, files of an older dataset that this
     * one lacks are removed, and the manifest comes last.
     */
    static void publish(Path dir, NpyArraySet set, ArrayLayout layout, Map<String, Object> files, Map<String, Object> description,
                        DatasetIdentity identity, long rows, Map<String, Object> summary) throws IOException {
        files.values().forEach(v -> ((Map<?, ?>) v).remove("bytes"));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", "esm2j-npy");
        manifest.put("format_version", 1);
        manifest.putAll(description);
        manifest.put("identity", identity.toMap());
        manifest.put("rows", rows);
        manifest.put("row_order", rowOrder(identity));
        manifest.put("ids", IDS);
        manifest.put("arrays", files);
        manifest.put("summary", summary);
        Files.deleteIfExists(dir.resolve(Manifest.FILE));
        set.publish();
        List<String> keep = new ArrayList<>(List.of(IDS, PARTS));
        layout.arrays().forEach(a -> keep.add(a.file()));
        removeStale(dir, keep);
        Manifest.write(dir.resolve(Manifest.FILE), manifest);
        syncDirectory(dir);
    }

    private static void removeStale(Path dir, List<String> keep) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (OWN_FILES.matcher(name).matches() && !keep.contains(name) && !name.equals(Manifest.FILE)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Removes unfinished work and keeps finished parts, so that the same command resumes; safe to call from a
     * shutdown hook while the run thread is still writing (it waits for a part being renamed), and twice.
     * When no part was finished, the whole {@code parts/} directory goes, so a corrected command starts clean.
     */
    @Override
    public void abort() {
        publishing.lock();
        try {
            if (committed || aborted || complete) {
                return;
            }
            aborted = true;
            if (resumedIds != null) {
                resumedIds.close();
            }
            if (current != null) {
                current.discard();
                deleteRecursively(partsDir.resolve(partName(parts.size()) + ".partial"));
            }
            if (consolidated != null) {
                consolidated.discard();
            }
            if (parts.isEmpty()) {
                deleteRecursively(partsDir);
            } else {
                LOG.info("{} finished part{} ({} sequences) kept in {}; the same command resumes after them", parts.size(),
                        parts.size() == 1 ? "" : "s", parts.getLast().firstRow() + parts.getLast().rows(), partsDir);
            }
        } finally {
            publishing.unlock();
        }
    }

    private void removeUnfinishedParts(int keep) throws IOException {
        if (!Files.isDirectory(partsDir)) {
            return;
        }
        try (Stream<Path> s = Files.list(partsDir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("part-") && !(Files.isDirectory(p) && !name.endsWith(".partial")
                        && Integer.parseInt(name.substring(5)) < keep)) {
                    deleteRecursively(p);
                }
            }
        } catch (NumberFormatException e) {
            throw Esm2jException.badOutput(partsDir + " holds a file esm2j did not write: " + e.getMessage());
        }
    }

    static void deleteRecursively(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not remove {}: {}", p, e.getMessage());
        }
    }

    /** Makes renames in {@code dir} durable (Linux allows syncing a directory; elsewhere this is best effort). */
    static void syncDirectory(Path dir) {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException ignored) {
            // Not supported on every platform or file system; the rename itself is still atomic.
        }
    }
}
