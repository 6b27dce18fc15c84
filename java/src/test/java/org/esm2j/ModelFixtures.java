package org.esm2j;

import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.device.cpu.CpuEncoder;
import org.esm2j.input.FastaReader;
import org.esm2j.input.FastaRecord;
import org.esm2j.model.EsmModel;
import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Modified and corrupt copies of the tiny checkpoint, made on the fly in a test's temporary directory
 * (so no binary fixture is committed). Reads and writes safetensors independently of the code under test.
 */
public final class ModelFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFixtures() {
    }

    /** One tensor held on the heap: its safetensors dtype name, shape and raw little-endian bytes. */
    public record Tensor(String dtype, long[] shape, byte[] data) {
        public Tensor withShape(long... newShape) {
            return new Tensor(dtype, newShape, data);
        }
    }

    /** A safetensors file split into its header (as JSON) and data section. */
    public record RawFile(ObjectNode header, byte[] data) {
    }

    public static RawFile readRaw(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            ObjectNode header = (ObjectNode) JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
            return new RawFile(header, Arrays.copyOfRange(all, 8 + (int) n, all.length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a header (any JSON text, valid or not) and data exactly as given. */
    public static void writeRaw(Path file, String headerJson, byte[] data) {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        try {
            Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeRaw(Path file, RawFile raw) {
        writeRaw(file, raw.header().toString(), raw.data());
    }

    /** Every tensor of a (small) safetensors file, in header order. */
    public static LinkedHashMap<String, Tensor> readTensors(Path file) {
        RawFile raw = readRaw(file);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : raw.header().properties()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            var t = e.getValue();
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            int begin = t.get("data_offsets").get(0).asInt();
            int end = t.get("data_offsets").get(1).asInt();
            out.put(e.getKey(), new Tensor(t.get("dtype").asString(), shape, Arrays.copyOfRange(raw.data(), begin, end)));
        }
        return out;
    }

    /** Writes tensors back to back, in map order, with a well-formed header. */
    public static void writeTensors(Path file, Map<String, Tensor> tensors) {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (var e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().dtype());
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            var offsets = t.putArray("data_offsets");
            offsets.add(data.size());
            data.writeBytes(e.getValue().data());
            offsets.add(data.size());
        }
        writeRaw(file, header.toString(), data.toByteArray());
    }

    /** config.json of the tiny model as an editable JSON object. */
    public static ObjectNode tinyConfig() {
        try {
            return (ObjectNode) JSON.readTree(Files.readString(TestData.tiny().resolve("config.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeConfig(Path dir, ObjectNode config) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), config.toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the tiny model in {@code dir} whose tensors {@code edit} has changed (renamed, dropped, reshaped…). */
    public static Path tinyCopy(Path dir, Consumer<LinkedHashMap<String, Tensor>> edit) {
        LinkedHashMap<String, Tensor> tensors = readTensors(TestData.tiny().resolve("model.safetensors"));
        edit.accept(tensors);
        writeConfig(dir, tinyConfig());
        writeTensors(dir.resolve("model.safetensors"), tensors);
        return dir;
    }

    /** A copy of the tiny model in {@code dir} whose safetensors header {@code edit} has changed (data untouched). */
    public static Path tinyCopyWithHeader(Path dir, Consumer<ObjectNode> edit) {
        RawFile raw = readRaw(TestData.tiny().resolve("model.safetensors"));
        edit.accept(raw.header());
        writeConfig(dir, tinyConfig());
        writeRaw(dir.resolve("model.safetensors"), raw);
        return dir;
    }

    /**
     * Every output of the exact CPU encoder (all kinds, every layer) for {@code testdata/proteins.fasta},
     * for comparing two ways of storing the same weights.
     */
    public static List<SequenceEmbedding> embedProteins(Path modelDir) {
        return embedProteins(modelDir, EnumSet.allOf(OutputKind.class));
    }

    /** testdata/proteins.fasta, tokenized with the given truncation (0 = none). */
    public static List<TokenizedSequence> proteins(int truncation) {
        Tokenizer tokenizer = new Tokenizer(truncation);
        List<TokenizedSequence> seqs = new ArrayList<>();
        try (FastaReader r = FastaReader.open(TestData.proteins())) {
            FastaRecord rec;
            while ((rec = r.next()) != null) {
                seqs.add(tokenizer.tokenize(rec.index(), rec.id(), rec.sequence()));
            }
        }
        return seqs;
    }

    public static List<SequenceEmbedding> embedProteins(Path modelDir, Set<OutputKind> kinds) {
        List<TokenizedSequence> seqs = proteins(Tokenizer.DEFAULT_TRUNCATION);
        try (EsmModel model = EsmModel.load(modelDir.toString());
             CpuEncoder encoder = new CpuEncoder(model.weights(), 2)) {
            int layers = model.config().numLayers();
            OutputSpec spec = OutputSpec.of(kinds, IntStream.rangeClosed(0, layers).boxed().toList(), layers);
            return encoder.encode(seqs, spec);
        }
    }

    /**
     * Fails unless both arrays hold the same float bits, naming the first difference (AssertJ's array diff is
     * quadratic: far too slow for a million-element contact map).
     */
    public static void assertBitIdentical(String what, float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
        }
        int differing = 0;
        int first = -1;
        double maxAbs = 0;
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                differing++;
                first = first < 0 ? i : first;
                maxAbs = Math.max(maxAbs, Math.abs((double) actual[i] - expected[i]));
            }
        }
        if (differing > 0) {
            throw new AssertionError(what + ": " + differing + " of " + actual.length + " values differ; first at " + first + " ("
                    + actual[first] + " vs " + expected[first] + "), max |difference| " + maxAbs);
        }
    }

    /** Renames every key by {@code rename} (order kept). */
    public static void renameKeys(LinkedHashMap<String, Tensor> tensors, java.util.function.UnaryOperator<String> rename) {
        LinkedHashMap<String, Tensor> renamed = new LinkedHashMap<>();
        tensors.forEach((k, v) -> renamed.put(rename.apply(k), v));
        tensors.clear();
        tensors.putAll(renamed);
    }
}
