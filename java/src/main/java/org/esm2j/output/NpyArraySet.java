package org.esm2j.output;

import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.Alphabet;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One set of npy arrays and its {@code ids.txt} being written into a directory: a part of a running job, the
 * consolidated dataset, or a merge. Every file is {@code <name>.partial} until {@link #publish()} renames it,
 * so nothing here ever looks complete before it is.
 */
final class NpyArraySet {
    /** Sequences copied per step of {@link #appendFrom}: bounds the offsets held in memory. */
    private static final int COPY_BLOCK = 1 << 16;

    private final Path dir;
    private final ArrayLayout layout;
    private final OutputDtype dtype;
    private final Map<String, NpyArrayWriter> writers = new LinkedHashMap<>();
    private final Map<String, Long> lastOffset = new HashMap<>();
    private final Path idsPartial;
    private final BufferedWriter ids;
    private long rows;

    NpyArraySet(Path dir, ArrayLayout layout, OutputDtype dtype) throws IOException {
        this.dir = dir;
        this.layout = layout;
        this.dtype = dtype;
        Files.createDirectories(dir);
        this.idsPartial = dir.resolve(NpyDatasetWriter.IDS + ".partial");
        this.ids = Files.newBufferedWriter(idsPartial, StandardCharsets.UTF_8);
        try {
            for (ArrayLayout.Array a : layout.arrays()) {
                Path p = dir.resolve(a.file() + ".partial");
                NpyArrayWriter w = a.isOffsets() ? NpyArrayWriter.longs(p) : NpyArrayWriter.floats(p, dtype, a.rowShape());
                writers.put(a.name(), w);
                if (a.isOffsets()) {
                    w.appendLong(0);
                    lastOffset.put(a.name(), 0L);
                }
            }
        } catch (IOException | RuntimeException e) {
            discard();
            throw e;
        }
    }

    long rows() {
        return rows;
    }

    /** Appends one sequence's outputs (the embed path). */
    void append(SequenceEmbedding emb) throws IOException {
        ids.write(emb.id());
        ids.write('\n');
        for (ArrayLayout.Array a : layout.arrays()) {
            NpyArrayWriter w = writers.get(a.name());
            switch (a.kind()) {
                case "mean" -> w.append(emb.mean()[a.slot()]);
                case "bos" -> w.append(emb.bos()[a.slot()]);
                case "per_tok" -> w.append(emb.perToken()[a.slot()]);
                case "logits" -> w.append(emb.logits());
                case "contacts" -> w.append(emb.contacts());
                case "offsets" -> {
                    long add = switch (a.name()) {
                        case "per_tok.offsets" -> emb.residues();
                        case "logits.offsets" -> emb.logits().length / Alphabet.SIZE;
                        case "contacts.offsets" -> emb.contacts().length;
                        default -> throw new IllegalStateException("unknown offsets array " + a.name());
                    };
                    long v = lastOffset.get(a.name()) + add;
                    w.appendLong(v);
                    lastOffset.put(a.name(), v);
                }
                default -> throw new IllegalStateException("unknown array kind " + a.kind());
            }
        }
        rows++;
    }

    /**
     * Appends the next {@code sequences} sequences of {@code source} byte for byte (offsets rebased), handing
     * each id to {@code idSeen} (for duplicate checks) on the way.
     */
    void appendFrom(NpyDatasetReader source, long sequences, Consumer<String> idSeen) throws IOException {
        long left = sequences;
        while (left > 0) {
            int block = (int) Math.min(left, COPY_BLOCK);
            for (int i = 0; i < block; i++) {
                String id = source.nextId();
                idSeen.accept(id);
                ids.write(id);
                ids.write('\n');
            }
            Map<String, Long> dataRows = new HashMap<>();
            for (ArrayLayout.Array a : layout.arrays()) {
                if (a.isOffsets()) {
                    NpyArrayReader in = source.array(a.name());
                    NpyArrayWriter out = writers.get(a.name());
                    long start = source.lastOffset(a.name());
                    long base = lastOffset.get(a.name());
                    long v = start;
                    for (int i = 0; i < block; i++) {
                        v = in.readLong();
                        out.appendLong(base + v - start);
                    }
                    source.lastOffset(a.name(), v);
                    lastOffset.put(a.name(), base + v - start);
                    dataRows.put(a.name(), v - start);
                }
            }
            for (ArrayLayout.Array a : layout.arrays()) {
                if (!a.isOffsets()) {
                    long n = a.offsetsName() == null ? block : dataRows.get(a.offsetsName());
                    writers.get(a.name()).appendRows(source.array(a.name()), n);
                }
            }
            rows += block;
            left -= block;
        }
    }

    /**
     * Writes every header, syncs every file to disk and returns the manifest's description of the arrays
     * (file, kind, layer, dtype, shape, bytes). The files keep their {@code .partial} names.
     */
    Map<String, Object> finish() throws IOException {
        ids.close();
        try (FileChannel c = FileChannel.open(idsPartial, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Map<String, Object> files = new LinkedHashMap<>();
        for (ArrayLayout.Array a : layout.arrays()) {
            NpyArrayWriter w = writers.get(a.name());
            w.finish();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("file", a.file());
            info.put("kind", a.kind());
            if (a.layer() >= 0) {
                info.put("layer", a.layer());
            }
            info.put("dtype", a.isOffsets() ? "int64" : dtype.cliName());
            info.put("shape", w.shape());
            info.put("bytes", Files.size(w.path()));
            files.put(a.name(), info);
        }
        return files;
    }

    long idsBytes() throws IOException {
        return Files.size(idsPartial);
    }

    /** Renames every finished file to its final name (replacing what is there). */
    void publish() throws IOException {
        move(idsPartial, dir.resolve(NpyDatasetWriter.IDS));
        for (ArrayLayout.Array a : layout.arrays()) {
            move(writers.get(a.name()).path(), dir.resolve(a.file()));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Closes and deletes every unpublished file; safe after a failure and when called twice. */
    void discard() {
        try {
            ids.close();
        } catch (IOException ignored) {
            // Deleted below.
        }
        for (NpyArrayWriter w : writers.values()) {
            try {
                w.close();
                Files.deleteIfExists(w.path());
            } catch (IOException ignored) {
                // A leftover .partial never looks complete, and the next run removes it.
            }
        }
        try {
            Files.deleteIfExists(idsPartial);
        } catch (IOException ignored) {
            // As above.
        }
    }
}
