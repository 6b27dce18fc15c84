package org.esm2j.output;

import org.esm2j.Esm2jException;
import org.esm2j.device.SequenceEmbedding;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a finished npy dataset (or one part of a running job) sequence by sequence, in row order: ids and
 * arrays advance together. Shapes are checked against each other when it opens (rows of every per-sequence
 * array, offsets length and last value against the data they index), so a damaged input is named before
 * anything is copied from it.
 */
public final class NpyDatasetReader implements AutoCloseable {
    private final Path dir;
    private final ArrayLayout layout;
    private final long rows;
    private final BufferedReader ids;
    private final Map<String, NpyArrayReader> arrays = new LinkedHashMap<>();
    private final Map<String, Long> lastOffset = new HashMap<>();
    private long idsRead;

    private NpyDatasetReader(Path dir, ArrayLayout layout, long rows, int bufferBytes) throws IOException {
        this.dir = dir;
        this.layout = layout;
        this.rows = rows;
        this.ids = Files.newBufferedReader(dir.resolve(NpyDatasetWriter.IDS), StandardCharsets.UTF_8);
        try {
            for (ArrayLayout.Array a : layout.arrays()) {
                Path p = dir.resolve(a.file());
                if (!Files.isRegularFile(p)) {
                    throw Esm2jException.badOutput(dir + ": " + a.file() + " is missing");
                }
                arrays.put(a.name(), NpyArrayReader.open(p, bufferBytes));
            }
            check();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens the dataset in {@code dir} that has {@code rows} sequences laid out as {@code layout}. */
    public static NpyDatasetReader open(Path dir, ArrayLayout layout, long rows, int bufferBytes) {
        try {
            return new NpyDatasetReader(dir, layout, rows, bufferBytes);
        } catch (IOException e) {
            throw Esm2jException.badOutput("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private void check() throws IOException {
        Map<String, Long> dataRows = new HashMap<>();
        for (ArrayLayout.Array a : layout.arrays()) {
            NpyArrayReader r = arrays.get(a.name());
            long[] want = a.rowShape();
            long[] got = r.shape();
            if (got.length != want.length + 1 || !Arrays.equals(Arrays.copyOfRange(got, 1, got.length), want)) {
                throw Esm2jException.badOutput(r.path() + ": shape " + Arrays.toString(got) + " does not fit rows of " + Arrays.toString(want));
            }
            if (a.isOffsets()) {
                if (r.rows() != rows + 1) {
                    throw Esm2jException.badOutput(r.path() + ": " + r.rows() + " offsets for " + rows + " sequences (expected " + (rows + 1) + ")");
                }
                long first = r.readLong();
                if (first != 0) {
                    throw Esm2jException.badOutput(r.path() + ": offsets start at " + first + ", not 0");
                }
                lastOffset.put(a.name(), 0L);
                dataRows.put(a.name(), r.lastLong());
            } else if (a.offsetsName() == null && r.rows() != rows) {
                throw Esm2jException.badOutput(r.path() + ": " + r.rows() + " rows, but the dataset has " + rows + " sequences");
            }
        }
        for (ArrayLayout.Array a : layout.arrays()) {
            if (a.offsetsName() != null && arrays.get(a.name()).rows() != dataRows.get(a.offsetsName())) {
                throw Esm2jException.badOutput(arrays.get(a.name()).path() + ": " + arrays.get(a.name()).rows() + " rows, but "
                        + a.offsetsName() + ".npy ends at " + dataRows.get(a.offsetsName()));
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public long rows() {
        return rows;
    }

    NpyArrayReader array(String name) {
        return arrays.get(name);
    }

    long lastOffset(String offsetsName) {
        return lastOffset.get(offsetsName);
    }

    void lastOffset(String offsetsName, long value) {
        lastOffset.put(offsetsName, value);
    }

    /** The next id; fails when ids.txt has fewer lines than the dataset has rows. */
    public String nextId() throws IOException {
        String id = ids.readLine();
        if (id == null) {
            throw Esm2jException.badOutput(dir.resolve(NpyDatasetWriter.IDS) + ": " + idsRead + " ids, but the dataset has " + rows + " sequences");
        }
        idsRead++;
        return id;
    }

    /** Fails unless every id has been read and ids.txt has nothing more. */
    public void checkExhausted() throws IOException {
        if (idsRead == rows && ids.readLine() != null) {
            throw Esm2jException.badOutput(dir.resolve(NpyDatasetWriter.IDS) + ": more ids than the " + rows + " sequences of the dataset");
        }
    }

    /** Decodes the next sequence (float16 data comes back as float32); {@code index} is its row in the output. */
    public SequenceEmbedding next(long index, int layers) throws IOException {
        String id = nextId();
        float[][] mean = new float[layers][];
        float[][] bos = new float[layers][];
        float[][] perTok = new float[layers][];
        float[] logits = null;
        float[] contacts = null;
        Map<String, Long> count = new HashMap<>();
        for (ArrayLayout.Array a : layout.arrays()) {
            if (a.isOffsets()) {
                long v = arrays.get(a.name()).readLong();
                count.put(a.name(), v - lastOffset.get(a.name()));
                lastOffset.put(a.name(), v);
            }
        }
        int residues = -1;
        for (ArrayLayout.Array a : layout.arrays()) {
            if (a.isOffsets()) {
                continue;
            }
            long rowsHere = a.offsetsName() == null ? 1 : count.get(a.offsetsName());
            float[] v = arrays.get(a.name()).readFloats(Math.toIntExact(rowsHere * a.rowElements()));
            switch (a.kind()) {
                case "mean" -> mean[a.slot()] = v;
                case "bos" -> bos[a.slot()] = v;
                case "per_tok" -> {
                    perTok[a.slot()] = v;
                    residues = (int) rowsHere;
                }
                case "logits" -> {
                    logits = v;
                    residues = residues >= 0 ? residues : (int) rowsHere - 2;
                }
                case "contacts" -> {
                    contacts = v;
                    residues = residues >= 0 ? residues : (int) Math.round(Math.sqrt(rowsHere));
                }
                default -> throw new IllegalStateException("unknown array kind " + a.kind());
            }
        }
        return new SequenceEmbedding(index, id, Math.max(residues, 0), mean, bos, perTok, logits, contacts);
    }

    @Override
    public void close() {
        try {
            ids.close();
        } catch (IOException ignored) {
            // Read-only.
        }
        arrays.values().forEach(NpyArrayReader::close);
    }

    /** Bytes of read buffer per array when {@code sources} datasets of {@code layout} are open at once. */
    static int bufferBytes(int sources, ArrayLayout layout) {
        long perArray = (32L << 20) / Math.max(1, (long) sources * (layout.arrays().size() + 1));
        return (int) Math.max(4096, Math.min(1 << 20, perArray));
    }
}
