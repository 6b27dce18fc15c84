package org.esm2j.io.out;

import org.esm2j.Esm2jException;
import org.esm2j.model.Alphabet;
import org.esm2j.model.OutputKind;
import org.esm2j.model.OutputSpec;
import org.esm2j.model.SequenceEmbedding;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The default output, built for millions of sequences: a directory of {@code .npy} arrays written as
 * streams, one row per sequence, plus {@code ids.txt} in the same row order and a {@code manifest.json}.
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
 * While running, files carry a {@code .partial} suffix; nothing without it is ever half-written.
 */
public final class NpyDatasetWriter implements EmbeddingWriter {
    /** Names this writer may leave in a directory (used to tell our output from someone else's files). */
    public static final Pattern OWN_FILES = Pattern.compile(
            "(ids\\.txt|manifest\\.json|(mean|bos|per_tok)\\.\\d+\\.npy|(per_tok|logits|contacts)(\\.offsets)?\\.npy)(\\.partial)?");

    private final Path dir;
    private final OutputSpec spec;
    private final int hidden;
    private final OutputDtype dtype;
    private final Map<String, Object> description;
    private final Map<String, NpyArrayWriter> arrays = new LinkedHashMap<>();
    private final Map<String, String> arrayKinds = new LinkedHashMap<>();
    private final BufferedWriter ids;
    private final Path idsPartial;
    private long rows;
    private long perTokRows;
    private long logitRows;
    private long contactElements;
    private boolean done;

    public NpyDatasetWriter(Path dir, OutputSpec spec, int hidden, OutputDtype dtype, Map<String, Object> description) {
        this.dir = dir;
        this.spec = spec;
        this.hidden = hidden;
        this.dtype = dtype;
        this.description = description;
        try {
            Files.createDirectories(dir);
            idsPartial = dir.resolve("ids.txt.partial");
            ids = Files.newBufferedWriter(idsPartial, StandardCharsets.UTF_8);
            for (int slot = 0; slot < spec.layerCount(); slot++) {
                int layer = spec.layer(slot);
                if (spec.has(OutputKind.MEAN)) {
                    open("mean." + layer, NpyArrayWriter.floats(partial("mean." + layer), dtype, hidden), "mean");
                }
                if (spec.has(OutputKind.BOS)) {
                    open("bos." + layer, NpyArrayWriter.floats(partial("bos." + layer), dtype, hidden), "bos");
                }
                if (spec.has(OutputKind.PER_TOK)) {
                    open("per_tok." + layer, NpyArrayWriter.floats(partial("per_tok." + layer), dtype, hidden), "per_tok");
                }
            }
            if (spec.has(OutputKind.PER_TOK)) {
                open("per_tok.offsets", NpyArrayWriter.longs(partial("per_tok.offsets")), "offsets").appendLong(0);
            }
            if (spec.has(OutputKind.LOGITS)) {
                open("logits", NpyArrayWriter.floats(partial("logits"), dtype, Alphabet.SIZE), "logits");
                open("logits.offsets", NpyArrayWriter.longs(partial("logits.offsets")), "offsets").appendLong(0);
            }
            if (spec.has(OutputKind.CONTACTS)) {
                open("contacts", NpyArrayWriter.floats(partial("contacts"), dtype), "contacts");
                open("contacts.offsets", NpyArrayWriter.longs(partial("contacts.offsets")), "offsets").appendLong(0);
            }
        } catch (IOException e) {
            abort();
            throw Esm2jException.badOutput("cannot create output files in " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path partial(String name) {
        return dir.resolve(name + ".npy.partial");
    }

    private NpyArrayWriter open(String name, NpyArrayWriter w, String kind) {
        arrays.put(name, w);
        arrayKinds.put(name, kind);
        return w;
    }

    @Override
    public void write(SequenceEmbedding emb) {
        try {
            ids.write(emb.id());
            ids.write('\n');
            for (int slot = 0; slot < spec.layerCount(); slot++) {
                int layer = spec.layer(slot);
                if (spec.has(OutputKind.MEAN)) {
                    arrays.get("mean." + layer).append(emb.mean()[slot]);
                }
                if (spec.has(OutputKind.BOS)) {
                    arrays.get("bos." + layer).append(emb.bos()[slot]);
                }
                if (spec.has(OutputKind.PER_TOK)) {
                    arrays.get("per_tok." + layer).append(emb.perToken()[slot]);
                }
            }
            if (spec.has(OutputKind.PER_TOK)) {
                perTokRows += emb.residues();
                arrays.get("per_tok.offsets").appendLong(perTokRows);
            }
            if (spec.has(OutputKind.LOGITS)) {
                arrays.get("logits").append(emb.logits());
                logitRows += emb.logits().length / Alphabet.SIZE;
                arrays.get("logits.offsets").appendLong(logitRows);
            }
            if (spec.has(OutputKind.CONTACTS)) {
                arrays.get("contacts").append(emb.contacts());
                contactElements += emb.contacts().length;
                arrays.get("contacts.offsets").appendLong(contactElements);
            }
            rows++;
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    private Esm2jException writeFailure(IOException e) {
        String hint = e.getMessage() != null && e.getMessage().contains("No space") ? " (disk full: free space or choose another --output)" : "";
        return Esm2jException.badOutput("writing " + dir + " failed: " + e.getMessage() + hint, e);
    }

    @Override
    public void commit(Map<String, Object> summary) {
        try {
            ids.close();
            for (NpyArrayWriter w : arrays.values()) {
                w.finish();
            }
            // The manifest of an older dataset goes first, so that no moment shows a complete-looking mix.
            Files.deleteIfExists(dir.resolve(Manifest.FILE));
            List<String> keep = new ArrayList<>();
            Files.move(idsPartial, dir.resolve("ids.txt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            keep.add("ids.txt");
            Map<String, Object> files = new LinkedHashMap<>();
            for (var e : arrays.entrySet()) {
                String file = e.getKey() + ".npy";
                Files.move(e.getValue().path(), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                keep.add(file);
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("file", file);
                info.put("kind", arrayKinds.get(e.getKey()));
                String[] parts = e.getKey().split("\\.");
                if (parts.length == 2 && parts[1].matches("\\d+")) {
                    info.put("layer", Integer.parseInt(parts[1]));
                }
                info.put("dtype", arrayKinds.get(e.getKey()).equals("offsets") ? "int64" : dtype.cliName());
                info.put("shape", e.getValue().shape());
                files.put(e.getKey(), info);
            }
            removeStale(keep);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("format", "esm2j-npy");
            manifest.put("format_version", 1);
            manifest.putAll(description);
            manifest.put("rows", rows);
            manifest.put("ids", "ids.txt");
            manifest.put("arrays", files);
            manifest.put("summary", summary);
            Manifest.write(dir.resolve(Manifest.FILE), manifest);
            done = true;
        } catch (IOException e) {
            abort();
            throw writeFailure(e);
        }
    }

    private void removeStale(List<String> keep) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (OWN_FILES.matcher(name).matches() && !keep.contains(name) && !name.equals(Manifest.FILE)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Override
    public void abort() {
        if (done) {
            return;
        }
        done = true;
        try {
            if (ids != null) {
                ids.close();
            }
        } catch (IOException ignored) {
            // Being deleted anyway.
        }
        for (NpyArrayWriter w : arrays.values()) {
            try {
                w.close();
                Files.deleteIfExists(w.path());
            } catch (IOException | UncheckedIOException ignored) {
                // Best effort: a leftover .partial never looks complete.
            }
        }
        try {
            if (idsPartial != null) {
                Files.deleteIfExists(idsPartial);
            }
        } catch (IOException ignored) {
            // As above.
        }
    }
}
