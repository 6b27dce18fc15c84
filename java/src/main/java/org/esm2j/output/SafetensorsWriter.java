package org.esm2j.output;

import org.esm2j.Esm2jException;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.Alphabet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One safetensors file with tensors named exactly as the reference data ({@code testdata/}) names them:
 * {@code {id}.mean.{layer}} [E], {@code {id}.per_tok.{layer}} [n, E], {@code {id}.bos.{layer}} [E],
 * {@code {id}.logits} [n + 2, 33], {@code {id}.contacts} [n, n].
 *
 * <p>Tensor data streams to {@code <output>.partial.data}; the header (which must come first in the file)
 * is only known at the end, so {@link #commit} writes header + data to {@code <output>.partial} and renames
 * it into place. The run's description and summary go into {@code __metadata__} as JSON strings.
 *
 * <p>Not resumable: a run that is interrupted starts over when run again (the npy format resumes).
 */
public final class SafetensorsWriter implements EmbeddingWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SafetensorsWriter.class);
    private record Entry(String name, long[] shape, long begin, long end) {
    }

    private final Path output;
    private final Path dataPartial;
    private final Path filePartial;
    private final OutputSpec spec;
    private final int hidden;
    private final OutputDtype dtype;
    private final Map<String, Object> description;
    private final List<Entry> entries = new ArrayList<>();
    private final FileChannel data;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long offset;
    private boolean done;

    public SafetensorsWriter(Path output, OutputSpec spec, int hidden, OutputDtype dtype, Map<String, Object> description) {
        this.output = output;
        this.dataPartial = output.resolveSibling(output.getFileName() + ".partial.data");
        this.filePartial = output.resolveSibling(output.getFileName() + ".partial");
        this.spec = spec;
        this.hidden = hidden;
        this.dtype = dtype;
        this.description = description;
        if (Files.exists(dataPartial) || Files.exists(filePartial)) {
            LOG.warn("{}: an earlier run into this file was interrupted; --format safetensors cannot resume, so this run starts over "
                    + "(the default --format npy resumes: use it for jobs that may be interrupted)", output);
        }
        try {
            this.data = FileChannel.open(dataPartial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (IOException e) {
            throw Esm2jException.badOutput("cannot create " + dataPartial + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(SequenceEmbedding emb) {
        try {
            String id = emb.id();
            int n = emb.residues();
            for (int slot = 0; slot < spec.layerCount(); slot++) {
                int layer = spec.layer(slot);
                if (spec.has(OutputKind.MEAN)) {
                    tensor(id + ".mean." + layer, emb.mean()[slot], hidden);
                }
                if (spec.has(OutputKind.PER_TOK)) {
                    tensor(id + ".per_tok." + layer, emb.perToken()[slot], n, hidden);
                }
                if (spec.has(OutputKind.BOS)) {
                    tensor(id + ".bos." + layer, emb.bos()[slot], hidden);
                }
            }
            if (spec.has(OutputKind.LOGITS)) {
                tensor(id + ".logits", emb.logits(), emb.logits().length / Alphabet.SIZE, Alphabet.SIZE);
            }
            if (spec.has(OutputKind.CONTACTS)) {
                tensor(id + ".contacts", emb.contacts(), n, n);
            }
        } catch (IOException e) {
            throw Esm2jException.badOutput("writing " + dataPartial + " failed: " + e.getMessage(), e);
        }
    }

    private void tensor(String name, float[] values, long... shape) throws IOException {
        long begin = offset;
        for (float v : values) {
            if (buffer.remaining() < 4) {
                flush();
            }
            if (dtype == OutputDtype.FLOAT16) {
                buffer.putShort(Float.floatToFloat16(v));
            } else {
                buffer.putFloat(v);
            }
        }
        offset += (long) values.length * dtype.bytes();
        entries.add(new Entry(name, shape, begin, offset));
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            data.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void commit(Map<String, Object> summary) {
        try {
            flush();
            Map<String, Object> header = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "esm2j-safetensors");
            for (var e : description.entrySet()) {
                meta.put(e.getKey(), e.getValue() instanceof String s ? s : Manifest.toJson(e.getValue()));
            }
            meta.put("summary", Manifest.toJson(summary));
            header.put("__metadata__", meta);
            for (Entry e : entries) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("dtype", dtype.safetensorsName());
                t.put("shape", e.shape);
                t.put("data_offsets", new long[] {e.begin, e.end});
                header.put(e.name, t);
            }
            byte[] json = Manifest.toJson(header).getBytes(StandardCharsets.UTF_8);
            int padded = (json.length + 7) / 8 * 8; // keeps the data 8-byte aligned
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(json);
            while (head.hasRemaining()) {
                head.put((byte) ' ');
            }
            head.flip();
            try (FileChannel out = FileChannel.open(filePartial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                while (head.hasRemaining()) {
                    out.write(head);
                }
                long pos = 0;
                while (pos < offset) {
                    pos += data.transferTo(pos, offset - pos, out);
                }
                out.force(true);
            }
            data.close();
            Files.deleteIfExists(dataPartial);
            Files.move(filePartial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } catch (IOException e) {
            abort();
            throw Esm2jException.badOutput("writing " + output + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void abort() {
        if (done) {
            return;
        }
        done = true;
        try {
            data.close();
        } catch (IOException ignored) {
            // Deleted below.
        }
        try {
            Files.deleteIfExists(dataPartial);
            Files.deleteIfExists(filePartial);
        } catch (IOException ignored) {
            // A leftover .partial never looks complete.
        }
    }
}
