package org.esm2j.output;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.Alphabet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * fair-esm's {@code esm-extract} output, file for file: one {@code {label}.pt} per sequence in the output directory,
 * which {@code torch.load} opens (with or without {@code weights_only}) into the dictionary {@code scripts/extract.py}
 * saves:
 * <pre>
 *   "label"                 the whole FASTA header after '>' (stripped), which is also the file name
 *   "representations"       {layer: float tensor [n, E]}   per_tok: the residue rows 1..n
 *   "mean_representations"  {layer: float tensor [E]}      mean: the mean of those rows
 *   "bos_representations"   {layer: float tensor [E]}      bos: row 0
 *   "contacts"              float tensor [n, n]            contacts
 *   "logits"                float tensor [n + 2, 33]       logits (esm2j only: esm-extract has no logits)
 * </pre>
 * each key only when asked for, layers as ints (negative {@code --repr_layers} resolved as fair-esm resolves them),
 * n the residues after truncation. Files are written as PyTorch writes them ({@link TorchPickle}, {@link TorchArchive}).
 *
 * <p>A label that cannot be a file name ({@link #fileNameProblem}) is refused: fair-esm would create subdirectories
 * for a {@code /}. Every file is written under a temporary name ({@code .esm2j-<row>.partial}) and renamed into place,
 * so a {@code .pt} is whole or absent. {@code .esm2j-pt.json} (hidden, so that {@code *.pt} globs see only the
 * results) records the job's {@link DatasetIdentity} while it runs and, once finished, that the directory is complete.
 *
 * <p>Resume: the files appear in input order, so an interrupted run leaves the files of the first k sequences. The
 * same command keeps the whole parts ({@code partRows} sequences each) among them, checks that their files are still
 * there, and computes the rest, replacing the files after the last whole part one by one (each atomically), so that
 * batches, and so results, are those of an uninterrupted run. Work of another job is refused unless {@code overwrite},
 * which removes the earlier {@code .pt} files first.
 */
public final class TorchPtWriter implements EmbeddingWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TorchPtWriter.class);

    public static final String EXTENSION = ".pt";
    /** The job's identity and state: the hidden record of what the directory holds. */
    public static final String STATE = ".esm2j-pt.json";
    private static final String TEMPORARY_PREFIX = ".esm2j-";
    private static final String TEMPORARY_SUFFIX = ".partial";
    /** Names this writer may leave in a directory. */
    private static final Pattern OWN_FILES = Pattern.compile(".*\\.pt|\\.esm2j-pt\\.json(\\.partial)?|\\.esm2j-\\d+\\.partial");
    /** The longest file name the common Linux and macOS file systems take, in bytes. */
    static final int MAX_FILE_NAME_BYTES = 255;

    private final Path dir;
    private final OutputSpec spec;
    private final int hidden;
    private final OutputDtype dtype;
    private final Map<String, Object> description;
    private final DatasetIdentity identity;
    private final long partRows;
    private final boolean complete;
    private final long resumedRows;
    /** .pt files an earlier run of this job left: rows below this may be rewritten, rows after it must find no file. */
    private final long earlierFiles;
    private final ReentrantLock publishing = new ReentrantLock();
    private long nextRow;
    private Path writing;
    private boolean committed;
    private boolean aborted;

    /**
     * Opens {@code dir} for {@code identity}: resumes an interrupted run of the same job, notes a finished one
     * ({@link #complete()}), starts a new one, or refuses (BAD_OUTPUT) work of another job or {@code .pt} files it
     * did not write, unless {@code overwrite}, which removes them.
     */
    public TorchPtWriter(Path dir, OutputSpec spec, int hidden, OutputDtype dtype, Map<String, Object> description,
                         DatasetIdentity identity, long partRows, boolean overwrite) {
        if (partRows < 1) {
            throw new InvalidParameterException(Parameter.PART_ROWS, "{partRows} must be >= 1, got " + partRows);
        }
        this.dir = dir;
        this.spec = spec;
        this.hidden = hidden;
        this.dtype = dtype;
        this.description = description;
        this.identity = identity;
        try {
            Files.createDirectories(dir);
            ResumeState state = overwrite ? null : inspect(dir, identity);
            if (state != null) {
                state.notes().forEach(LOG::warn);
                if (state.status() == ResumeState.Status.MISMATCH) {
                    throw state.refusal(dir);
                }
            }
            this.complete = state != null && state.status() == ResumeState.Status.COMPLETE;
            if (complete) {
                this.partRows = partRows;
                this.resumedRows = state.rows();
                this.earlierFiles = state.rows();
                return;
            }
            if (state != null && state.status() == ResumeState.Status.RESUME) {
                this.partRows = state.partRows();
                if (partRows != state.partRows()) {
                    LOG.info("resuming with the earlier run's part size ({} sequences per part, not {})", state.partRows(), partRows);
                }
                this.resumedRows = state.rows();
                this.earlierFiles = countOwn(dir, name -> name.endsWith(EXTENSION));
            } else {
                this.partRows = partRows;
                this.resumedRows = 0;
                this.earlierFiles = 0;
                if (overwrite) {
                    removeOwn(dir, name -> true);
                }
            }
            removeOwn(dir, name -> name.endsWith(TEMPORARY_SUFFIX));
            this.nextRow = resumedRows;
            writeState(false, null);
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    /** Whether {@code name} is a file this writer may leave in its directory. */
    public static boolean ownFile(String name) {
        return OWN_FILES.matcher(name).matches();
    }

    /**
     * Why {@code label} cannot name a {@code .pt} file in the output directory, or null when it can: empty, a {@code /}
     * (fair-esm would write into a subdirectory), or a name longer than file systems take. ({@code .} and {@code ..}
     * are harmless: the file names are {@code ..pt} and {@code ...pt}.)
     */
    public static String fileNameProblem(String label) {
        if (label.isEmpty()) {
            return "an empty label cannot name a file ({format} pt writes {label}.pt); give the record a header";
        }
        if (label.indexOf('/') >= 0) {
            return "the label '" + label + "' holds a '/', which cannot be in a file name ({format} pt writes {label}.pt as esm-extract "
                    + "does; esm-extract would create subdirectories). Replace the slashes in the headers (for example: "
                    + "sed '/^>/ s|/|_|g'), or choose {format} npy, which keys outputs by the header's first word";
        }
        int bytes = (label + EXTENSION).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_FILE_NAME_BYTES) {
            return "the label '" + abbreviate(label) + "' is too long for a file name (" + bytes + " bytes with " + EXTENSION + "; at most "
                    + MAX_FILE_NAME_BYTES + "). Shorten the headers, or choose {format} npy, which keys outputs by the header's first word";
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    /**
     * What {@code dir} holds for a run of {@code identity} (changes nothing): NEW, RESUME (with the whole parts that
     * may be kept), COMPLETE, or MISMATCH for another job's work or {@code .pt} files without esm2j's record.
     */
    public static ResumeState inspect(Path dir, DatasetIdentity identity) {
        List<String> notes = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new ResumeState(ResumeState.Status.NEW, List.of(), 0, 0, List.of(), notes, null);
        }
        Path stateFile = dir.resolve(STATE);
        long files = countOwn(dir, name -> name.endsWith(EXTENSION));
        if (!Files.isRegularFile(stateFile)) {
            if (files == 0) {
                return new ResumeState(ResumeState.Status.NEW, List.of(), 0, 0, List.of(), notes, null);
            }
            return mismatch(files + " .pt file" + (files == 1 ? "" : "s") + " that esm2j did not write (no " + STATE
                    + "; from esm-extract?)", List.of("their model and options are unknown"), notes,
                    "Pass {overwrite} to replace them, or choose another {output}.");
        }
        Map<String, Object> state = Manifest.read(stateFile);
        DatasetIdentity earlier;
        try {
            earlier = DatasetIdentity.fromMap((Map<?, ?>) state.get("identity"));
        } catch (ClassCastException | NullPointerException e) {
            return mismatch("a " + STATE + " esm2j cannot read", List.of(String.valueOf(e.getMessage())), notes,
                    ResumeState.KEEP_OR_OVERWRITE);
        }
        List<String> diff = identity.differences(earlier);
        boolean finished = Boolean.TRUE.equals(state.get("complete"));
        if (!diff.isEmpty()) {
            return mismatch(finished ? "the finished output of a job with other settings" : "an interrupted run with other settings", diff, notes,
                    finished ? ResumeState.KEEP_OR_OVERWRITE : ResumeState.CONTINUE_OR_OVERWRITE);
        }
        if (finished) {
            return new ResumeState(ResumeState.Status.COMPLETE, List.of(), ((Number) state.get("rows")).longValue(), 0, List.of(), notes, null);
        }
        long partRows = ((Number) state.get("part_rows")).longValue();
        long kept = files / partRows * partRows;
        List<ResumeState.Part> parts = new ArrayList<>();
        for (long first = 0; first < kept; first += partRows) {
            parts.add(new ResumeState.Part((int) (first / partRows), first, partRows, dir));
        }
        if (files > kept) {
            notes.add((files - kept) + " .pt file" + (files - kept == 1 ? "" : "s") + " after the last whole part of " + partRows
                    + " sequences are computed again and replaced");
        }
        return new ResumeState(ResumeState.Status.RESUME, parts, kept, partRows, List.of(), notes, null);
    }

    private static ResumeState mismatch(String what, List<String> diff, List<String> notes, String advice) {
        List<String> d = new ArrayList<>();
        d.add(what);
        d.addAll(diff);
        return new ResumeState(ResumeState.Status.MISMATCH, List.of(), 0, 0, d, notes, advice);
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

    @Override
    public void checkResumed(long row, String id) {
        Path file = dir.resolve(id + EXTENSION);
        if (!Files.isRegularFile(file)) {
            throw Esm2jException.badOutput("the input changed since the earlier run, or its files were moved: sequence " + row + " is '" + id
                    + "' but " + file + " is missing. Rerun with {overwrite} to start over, or restore the earlier input and files.");
        }
        if (!TorchArchive.looksWhole(file)) {
            throw Esm2jException.badOutput(file + " is cut short (the machine stopped before the file reached the disk?). "
                    + "Rerun with {overwrite} to start over, or delete it and the .pt files written after it.");
        }
    }

    @Override
    public void write(SequenceEmbedding emb) {
        if (complete) {
            throw new IllegalStateException("the output is complete");
        }
        String label = emb.id();
        String problem = fileNameProblem(label);
        if (problem != null) {
            throw Esm2jException.badInput("sequence " + nextRow + ": " + problem);
        }
        TorchPickle pickle = pickle(emb);
        byte[] pkl = pickle.finish();
        Path target = dir.resolve(label + EXTENSION);
        if (!TorchArchive.fits(pkl, pickle.storages(), dtype)) {
            throw Esm2jException.badOutput(target + " would take " + org.esm2j.Units.byteSize(TorchArchive.size(pkl, pickle.storages(), dtype))
                    + ", more than a .pt file written by esm2j may (4 GiB, 2 GiB per tensor): lower {truncation}, ask for fewer layers, "
                    + "or choose {format} npy");
        }
        publishing.lock();
        try {
            if (aborted) {
                throw new Esm2jException(ExitCode.INTERRUPTED, "interrupted");
            }
            if (nextRow >= earlierFiles && Files.exists(target)) {
                throw Esm2jException.badInput(target + " exists already: the label '" + label + "' names the same file as an earlier "
                        + "sequence's (does this file system ignore letter case?). Make the labels differ by more than case, or choose {format} npy");
            }
            writing = dir.resolve(TEMPORARY_PREFIX + nextRow + TEMPORARY_SUFFIX);
            TorchArchive.write(writing, pkl, pickle.storages(), dtype);
            Files.move(writing, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            writing = null;
            nextRow++;
        } catch (IOException e) {
            throw writeFailure(e);
        } finally {
            publishing.unlock();
        }
    }

    /** The dictionary extract.py saves, in its key order. */
    private TorchPickle pickle(SequenceEmbedding emb) {
        int n = emb.residues();
        TorchPickle p = new TorchPickle(dtype).beginDict();
        p.string("label").string(emb.id());
        if (spec.has(OutputKind.PER_TOK)) {
            layers(p, "representations", emb.perToken(), n, hidden);
        }
        if (spec.has(OutputKind.MEAN)) {
            layers(p, "mean_representations", emb.mean(), hidden);
        }
        if (spec.has(OutputKind.BOS)) {
            layers(p, "bos_representations", emb.bos(), hidden);
        }
        if (spec.has(OutputKind.CONTACTS)) {
            p.string("contacts").tensor(emb.contacts(), n, n);
        }
        if (spec.has(OutputKind.LOGITS)) {
            p.string("logits").tensor(emb.logits(), n + 2L, Alphabet.SIZE);
        }
        return p.endDict();
    }

    private void layers(TorchPickle p, String key, float[][] perSlot, long... shape) {
        p.string(key).beginDict();
        for (int slot = 0; slot < spec.layerCount(); slot++) {
            p.integer(spec.layer(slot)).tensor(perSlot[slot], shape);
        }
        p.endDict();
    }

    @Override
    public void commit(Map<String, Object> summary) {
        if (complete) {
            return;
        }
        publishing.lock();
        try {
            if (aborted) {
                throw new Esm2jException(ExitCode.INTERRUPTED, "interrupted");
            }
            NpyDatasetWriter.syncDirectory(dir);
            writeState(true, summary);
            committed = true;
        } finally {
            publishing.unlock();
        }
    }

    private void writeState(boolean finished, Map<String, Object> summary) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "esm2j-pt");
        m.put("format_version", 1);
        m.put("note", finished ? "the finished output of an esm2j run: one {label}.pt per sequence, as fair-esm's esm-extract writes"
                : "an unfinished esm2j run: rerun the same command to resume it");
        m.put("complete", finished);
        m.put("identity", identity.toMap());
        m.put("part_rows", partRows);
        m.put("rows", nextRow);
        m.put("row_order", NpyDatasetWriter.rowOrder(identity).replace("--duplicate-ids", "--duplicate-ids, labels being whole headers"));
        m.put("run", description);
        if (summary != null) {
            m.put("summary", summary);
        }
        Manifest.write(dir.resolve(STATE), m);
    }

    /**
     * Removes the file being written; the finished {@code .pt} files stay for the same command to resume after them
     * (with none written, the state file goes too, so that a corrected command starts clean). Safe from a shutdown
     * hook while the writer thread writes (it waits for the file being renamed), and twice.
     */
    @Override
    public void abort() {
        publishing.lock();
        try {
            if (committed || aborted || complete) {
                return;
            }
            aborted = true;
            if (writing != null) {
                Files.deleteIfExists(writing);
            }
            long files = countOwn(dir, name -> name.endsWith(EXTENSION));
            if (files == 0) {
                Files.deleteIfExists(dir.resolve(STATE));
            } else if (nextRow > resumedRows) {
                LOG.info("{} .pt files kept in {}; the same command resumes after the last whole part of {} sequences", files, dir, partRows);
            }
        } catch (IOException e) {
            LOG.warn("could not clean up {}: {}", dir, e.getMessage());
        } finally {
            publishing.unlock();
        }
    }

    private static long countOwn(Path dir, java.util.function.Predicate<String> which) {
        long[] n = new long[1];
        forEachOwn(dir, which, p -> n[0]++);
        return n[0];
    }

    private static void removeOwn(Path dir, java.util.function.Predicate<String> which) throws IOException {
        List<Path> doomed = new ArrayList<>();
        forEachOwn(dir, which, doomed::add);
        for (Path p : doomed) {
            Files.deleteIfExists(p);
        }
    }

    private static void forEachOwn(Path dir, java.util.function.Predicate<String> which, Consumer<Path> action) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (ownFile(name) && which.test(name) && Files.isRegularFile(p)) {
                    action.accept(p);
                }
            }
        } catch (IOException e) {
            throw Esm2jException.badOutput(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    private Esm2jException writeFailure(IOException e) {
        String hint = e.getMessage() != null && e.getMessage().contains("No space") ? " (disk full: free space or choose another {output})" : "";
        return Esm2jException.badOutput("writing " + dir + " failed: " + e.getMessage() + hint, e);
    }
}
