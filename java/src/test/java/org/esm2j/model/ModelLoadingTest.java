package org.esm2j.model;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.ModelFixtures;
import org.esm2j.ModelFixtures.Tensor;
import org.esm2j.TestData;
import org.esm2j.device.OutputKind;
import org.esm2j.device.SequenceEmbedding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Loading checkpoints: every malformed or inconsistent model gives an error naming the file (and tensor) and
 * what to do, and every accepted variation of a well-formed one gives the same weights.
 */
class ModelLoadingTest {
    private static final String Q0 = "esm.encoder.layer.0.attention.self.query.weight";

    @TempDir
    Path tmp;

    private static void assertBadModel(Path modelDir, String... fragments) {
        assertThatThrownBy(() -> EsmModel.load(modelDir.toString()).close())
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_MODEL))
                .hasMessageContainingAll(fragments);
    }

    /**
     * The checkpoint binds weights bit-identical to the tiny model's (every tensor, inv_freq included), and its
     * outputs match fair-esm's.
     */
    private static void assertSameModel(Path actualDir, Path expectedDir) {
        try (EsmModel actual = EsmModel.load(actualDir.toString()); EsmModel expected = EsmModel.load(expectedDir.toString())) {
            assertSameComponents("weights", actual.weights(), expected.weights());
        }
        List<SequenceEmbedding> outputs = ModelFixtures.embedProteins(actualDir, EnumSet.of(OutputKind.MEAN, OutputKind.LOGITS));
        try (SafetensorsFile reference = SafetensorsFile.open(expectedDir.resolve("expected.safetensors"))) {
            for (SequenceEmbedding e : outputs) {
                float[] mean = reference.get(e.id() + ".mean.2").toFloatArray();
                float[] logits = reference.get(e.id() + ".logits").toFloatArray();
                assertThat(TestData.relL2(e.mean()[2], mean)).as(e.id() + " mean.2").isLessThanOrEqualTo(1e-4);
                assertThat(TestData.relL2(e.logits(), logits)).as(e.id() + " logits").isLessThanOrEqualTo(1e-4);
            }
        }
    }

    /** Walks the weight records (tensors, inv_freq arrays, layer lists, heads) and compares every leaf exactly. */
    private static void assertSameComponents(String path, Object actual, Object expected) {
        if (expected == null || actual == null) {
            assertThat(actual).as(path).isEqualTo(expected);
        } else if (expected instanceof TensorInfo e) {
            TensorInfo a = (TensorInfo) actual;
            assertThat(a.shape()).as(path + " shape").isEqualTo(e.shape());
            ModelFixtures.assertBitIdentical(path + " (" + a.name() + " vs " + e.name() + ")", a.toFloatArray(), e.toFloatArray());
        } else if (expected instanceof float[] e) {
            ModelFixtures.assertBitIdentical(path, (float[]) actual, e);
        } else if (expected instanceof List<?> e) {
            assertThat((List<?>) actual).as(path).hasSameSizeAs(e);
            for (int i = 0; i < e.size(); i++) {
                assertSameComponents(path + "[" + i + "]", ((List<?>) actual).get(i), e.get(i));
            }
        } else if (expected instanceof EsmConfig) {
            assertThat(actual).as(path).isEqualTo(expected);
        } else if (expected instanceof Record) {
            for (var c : expected.getClass().getRecordComponents()) {
                try {
                    assertSameComponents(path + "." + c.getName(), c.getAccessor().invoke(actual), c.getAccessor().invoke(expected));
                } catch (ReflectiveOperationException ex) {
                    throw new AssertionError(ex);
                }
            }
        } else {
            throw new AssertionError(path + ": unexpected component type " + expected.getClass());
        }
    }

    private static Path copyConfig(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(TestData.tiny().resolve("config.json"), dir.resolve("config.json"));
        return dir;
    }

    private static byte[] littleEndianLong(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    // ---- missing and unreadable files ----

    @Test
    void missingDirectory() {
        Path missing = tmp.resolve("no-such-model");
        assertBadModel(missing, missing.toString(), "no such directory");
    }

    @Test
    void missingConfigJson() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Files.copy(TestData.tiny().resolve("model.safetensors"), dir.resolve("model.safetensors"));
        assertBadModel(dir, dir.toString(), "no config.json", "config.json and model.safetensors");
    }

    @Test
    void missingModelSafetensors() throws IOException {
        Path dir = copyConfig(tmp.resolve("m"));
        assertBadModel(dir, dir.toString(), "no model.safetensors");
    }

    @Test
    void onlyPytorchBinIsExplained() throws IOException {
        Path dir = copyConfig(tmp.resolve("m"));
        Files.writeString(dir.resolve("pytorch_model.bin"), "pickle");
        assertBadModel(dir, "pytorch_model.bin", "safetensors");
    }

    @Test
    void configThatIsNotJson() throws IOException {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> { });
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"esm\", oops");
        assertBadModel(dir, dir.resolve("config.json").toString(), "not valid JSON");
    }

    @Test
    void configOfAnotherArchitecture() {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> { });
        ObjectNode config = ModelFixtures.tinyConfig();
        config.put("model_type", "bert");
        ModelFixtures.writeConfig(dir, config);
        assertBadModel(dir, dir.resolve("config.json").toString(), "\"bert\"", "ESM-2");
    }

    @Test
    void configWithAnotherVocabulary() {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> { });
        ObjectNode config = ModelFixtures.tinyConfig();
        config.put("vocab_size", 64);
        ModelFixtures.writeConfig(dir, config);
        assertBadModel(dir, dir.resolve("config.json").toString(), "vocab_size is 64", "33 tokens");
    }

    @Test
    void configWithoutARequiredSize() {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> { });
        ObjectNode config = ModelFixtures.tinyConfig();
        config.remove("num_attention_heads");
        ModelFixtures.writeConfig(dir, config);
        assertBadModel(dir, dir.resolve("config.json").toString(), "num_attention_heads", "missing");
    }

    @Test
    void esmFoldCheckpointIsRefused() {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> { });
        ObjectNode config = ModelFixtures.tinyConfig();
        config.put("is_folding_model", true);
        ModelFixtures.writeConfig(dir, config);
        assertBadModel(dir, dir.resolve("config.json").toString(), "ESMFold");
    }

    // ---- corrupt safetensors ----

    @Test
    void headerLengthPastTheEndOfTheFile() throws IOException {
        Path dir = copyConfig(tmp.resolve("m"));
        byte[] file = Arrays.copyOf(littleEndianLong(1_000_000), 100);
        Files.write(dir.resolve("model.safetensors"), file);
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), "header length 1000000", "100-byte file", "download it again");
    }

    @Test
    void fileShorterThanTheHeaderLength() throws IOException {
        Path dir = copyConfig(tmp.resolve("m"));
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3});
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), "not a safetensors file", "3 bytes");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        Path dir = copyConfig(tmp.resolve("m"));
        ModelFixtures.writeRaw(dir.resolve("model.safetensors"), "{\"a\": [", new byte[16]);
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), "not valid JSON");
    }

    @Test
    void truncatedDataPutsOffsetsOutOfRange() throws IOException {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> { });
        Path weights = dir.resolve("model.safetensors");
        byte[] whole = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(whole, whole.length - 1000));
        // The last 1000 bytes hold lm_head.layer_norm.* and the end of lm_head.dense.weight.
        assertBadModel(dir, weights.toString(), "lm_head.", "outside", "truncated", "download it again");
    }

    @Test
    void overlappingTensors() {
        Path dir = ModelFixtures.tinyCopyWithHeader(tmp.resolve("m"), h -> {
            var k = (ObjectNode) h.get("esm.encoder.layer.0.attention.self.key.weight");
            var offsets = (ArrayNode) k.get("data_offsets");
            long begin = offsets.get(0).asLong() + 4;
            offsets.removeAll();
            offsets.add(begin).add(begin + 64 * 64 * 4);
        });
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), "overlap", "esm.encoder.layer.0.attention.self.key.weight", "corrupt");
    }

    @Test
    void overlapIsFoundEvenNextToAnEmptyTensor() {
        // An empty tensor starting where a big one starts must not hide the big one's overlap with the next.
        Path dir = ModelFixtures.tinyCopyWithHeader(tmp.resolve("m"), h -> {
            var q = (ObjectNode) h.get(Q0);
            long qBegin = q.get("data_offsets").get(0).asLong();
            ObjectNode empty = h.putObject("esm.position_ids");
            empty.put("dtype", "F32");
            empty.putArray("shape").add(0);
            empty.putArray("data_offsets").add(qBegin).add(qBegin);
            var inv = (ObjectNode) h.get("esm.encoder.layer.0.attention.self.rotary_embeddings.inv_freq");
            ((ArrayNode) inv.get("data_offsets")).removeAll().add(qBegin + 64).add(qBegin + 96);
        });
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), "overlap", Q0, "rotary_embeddings.inv_freq");
    }

    @Test
    void shapeWhoseElementCountOverflows() {
        Path dir = ModelFixtures.tinyCopyWithHeader(tmp.resolve("m"), h ->
                ((ObjectNode) h.get(Q0)).putArray("shape").add(1L << 32).add(1L << 32));
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), Q0, "overflows");
    }

    @Test
    void shapeWhoseByteCountOverflows() {
        Path dir = ModelFixtures.tinyCopyWithHeader(tmp.resolve("m"), h ->
                ((ObjectNode) h.get(Q0)).putArray("shape").add(1L << 62).add(1));
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), Q0, "overflows");
    }

    @Test
    void negativeDimension() {
        Path dir = ModelFixtures.tinyCopyWithHeader(tmp.resolve("m"), h ->
                ((ObjectNode) h.get(Q0)).putArray("shape").add(-64).add(-64));
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), Q0, "negative");
    }

    @Test
    void shapeThatDoesNotMatchTheByteLength() {
        Path dir = ModelFixtures.tinyCopyWithHeader(tmp.resolve("m"), h ->
                ((ObjectNode) h.get(Q0)).putArray("shape").add(64).add(65));
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), Q0, "needs 16640 bytes", "16384");
    }

    @Test
    void shapeThatDisagreesWithConfigJson() {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> { });
        ObjectNode config = ModelFixtures.tinyConfig();
        config.put("intermediate_size", 128);
        ModelFixtures.writeConfig(dir, config);
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), "esm.encoder.layer.0.intermediate.dense.weight",
                "[256, 64]", "[128, 64]", "config.json and the weights disagree");
    }

    @Test
    void unknownDtype() {
        Path dir = ModelFixtures.tinyCopyWithHeader(tmp.resolve("m"), h -> ((ObjectNode) h.get(Q0)).put("dtype", "F8_E4M3"));
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), Q0, "unknown dtype 'F8_E4M3'", "F32, F16, BF16");
    }

    @Test
    void integerWeights() {
        Path dir = ModelFixtures.tinyCopyWithHeader(tmp.resolve("m"), h -> ((ObjectNode) h.get(Q0)).put("dtype", "I32"));
        assertBadModel(dir, dir.resolve("model.safetensors").toString(), Q0, "I32", "F32, F16 or BF16");
    }

    @Test
    void missingTensor() {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> t.remove("esm.encoder.layer.1.output.dense.bias"));
        assertBadModel(dir, dir.toString(), "esm.encoder.layer.1.output.dense.bias", "missing", "config.json");
    }

    // ---- accepted variations ----

    @Test
    void keysWithoutTheEsmPrefixGiveTheSameModel() {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t ->
                ModelFixtures.renameKeys(t, k -> k.startsWith("esm.") ? k.substring(4) : k));
        assertThat(ModelFixtures.readTensors(dir.resolve("model.safetensors")).keySet()).noneMatch(k -> k.startsWith("esm."));
        assertSameModel(dir, TestData.tiny());
    }

    @Test
    void transformers5NamesGiveTheSameModel() {
        // transformers 5.x save_pretrained: LayerNorm.gamma/beta and one literal 'layer.*' inv_freq.
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> {
            Tensor inv = t.get("esm.encoder.layer.0.attention.self.rotary_embeddings.inv_freq");
            t.remove("esm.encoder.layer.0.attention.self.rotary_embeddings.inv_freq");
            t.remove("esm.encoder.layer.1.attention.self.rotary_embeddings.inv_freq");
            t.remove("esm.rotary_embeddings.inv_freq");
            ModelFixtures.renameKeys(t, k -> k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta"));
            t.put("esm.encoder.layer.*.attention.self.rotary_embeddings.inv_freq", inv);
        });
        ObjectNode config = ModelFixtures.tinyConfig();
        config.remove("torch_dtype");
        config.put("dtype", "float32");
        config.put("transformers_version", "5.18.0");
        ModelFixtures.writeConfig(dir, config);
        assertThat(ModelFixtures.readTensors(dir.resolve("model.safetensors")).keySet()).anyMatch(k -> k.endsWith("LayerNorm.gamma"));
        try (EsmModel model = EsmModel.load(dir.toString())) {
            assertThat(model.config().storedDtype()).isEqualTo("float32");
        }
        assertSameModel(dir, TestData.tiny());
    }

    @Test
    void positionIdsAreIgnored() {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> {
            byte[] ids = new byte[1026 * 8];
            ByteBuffer b = ByteBuffer.wrap(ids).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 1026; i++) {
                b.putLong(i);
            }
            t.put("esm.embeddings.position_ids", new Tensor("I64", new long[] {1, 1026}, ids));
        });
        assertSameModel(dir, TestData.tiny());
    }

    @Test
    void missingInvFreqIsComputedAndShiftsResultsMeasurably() throws IOException {
        Path dir = ModelFixtures.tinyCopy(tmp.resolve("m"), t -> t.keySet().removeIf(k -> k.endsWith("inv_freq")));
        try (EsmModel model = EsmModel.load(dir.toString())) {
            for (LayerWeights layer : model.weights().layers()) {
                assertThat(layer.rotaryInvFreq()).containsExactly(EsmWeights.computeInvFreq(model.config().headDim()));
            }
        }
        try (EsmModel original = EsmModel.load(TestData.tiny().toString())) {
            float[] stored = original.weights().layers().getFirst().rotaryInvFreq();
            float[] computed = EsmWeights.computeInvFreq(16);
            assertThat(stored).as("the checkpoint stores fp16-rounded inv_freq, not the exact values").isNotEqualTo(computed);
        }
        // The 1100-residue sequence (1024 positions after truncation) is where rounded frequencies matter most.
        List<SequenceEmbedding> withComputed = ModelFixtures.embedProteins(dir, EnumSet.of(OutputKind.PER_TOK));
        try (SafetensorsFile expected = SafetensorsFile.open(TestData.tiny().resolve("expected.safetensors"))) {
            SequenceEmbedding longSeq = withComputed.stream().filter(e -> e.id().equals("len1100_truncated")).findFirst().orElseThrow();
            float[] reference = expected.get("len1100_truncated.per_tok.2").toFloatArray();
            double error = TestData.relL2(longSeq.perToken()[2], reference);
            // Measured 4.6e-3: 46 times the parity tolerance, yet the right order (a wrong rotary would give ~1).
            assertThat(error).as("relative L2 error of per_tok.2 with recomputed inv_freq")
                    .isGreaterThan(1e-3)
                    .isLessThan(0.05);
        }
    }

    @Test
    void halfPrecisionWeightsLoadAndStayClose() {
        List<SequenceEmbedding> full = ModelFixtures.embedProteins(TestData.tiny(), EnumSet.of(OutputKind.MEAN));
        for (String dtype : new String[] {"F16", "BF16"}) {
            Path dir = ModelFixtures.tinyCopy(tmp.resolve(dtype), t -> t.replaceAll((k, v) -> toHalf(v, dtype)));
            List<SequenceEmbedding> half = ModelFixtures.embedProteins(dir, EnumSet.of(OutputKind.MEAN));
            for (int i = 0; i < full.size(); i++) {
                double error = TestData.relL2(half.get(i).mean()[2], full.get(i).mean()[2]);
                // Measured up to 7.8e-4 (F16) and 8.1e-3 (BF16): the rounding of the weights, nothing more.
                assertThat(error).as(dtype + " " + full.get(i).id()).isLessThan(dtype.equals("F16") ? 2e-3 : 2e-2).isGreaterThan(0);
            }
        }
    }

    private static Tensor toHalf(Tensor t, String dtype) {
        ByteBuffer in = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(t.data().length / 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            float f = in.getFloat();
            out.putShort(dtype.equals("F16") ? Float.floatToFloat16(f) : (short) ((Float.floatToRawIntBits(f) + 0x8000) >>> 16));
        }
        return new Tensor(dtype, t.shape(), out.array());
    }

    @Test
    void shardedCheckpointGivesTheSameModel() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("sharded"));
        copyConfig(dir);
        LinkedHashMap<String, Tensor> all = ModelFixtures.readTensors(TestData.tiny().resolve("model.safetensors"));
        LinkedHashMap<String, Tensor> first = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> second = new LinkedHashMap<>();
        StringBuilder weightMap = new StringBuilder();
        for (var e : all.entrySet()) {
            boolean inFirst = e.getKey().contains("layer.0.") || e.getKey().contains("embeddings");
            (inFirst ? first : second).put(e.getKey(), e.getValue());
            String shard = inFirst ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
            weightMap.append(weightMap.isEmpty() ? "" : ",\n").append("    \"").append(e.getKey()).append("\": \"").append(shard).append('"');
        }
        ModelFixtures.writeTensors(dir.resolve("model-00001-of-00002.safetensors"), first);
        ModelFixtures.writeTensors(dir.resolve("model-00002-of-00002.safetensors"), second);
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\n  \"metadata\": {\"total_size\": 426248},\n  \"weight_map\": {\n" + weightMap + "\n  }\n}\n");
        assertThat(first).isNotEmpty();
        assertThat(second).isNotEmpty();
        try (EsmModel model = EsmModel.load(dir.toString())) {
            assertThat(model.checkpoint().files()).hasSize(2);
        }
        assertSameModel(dir, TestData.tiny());

        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertBadModel(dir, dir.resolve("model.safetensors.index.json").toString(), "model-00002-of-00002.safetensors", "missing", "download");
    }

    @Test
    void shardOutsideTheModelDirectoryIsRefused() throws IOException {
        Path dir = copyConfig(tmp.resolve("m"));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"esm.embeddings.word_embeddings.weight\": \"../elsewhere.safetensors\"}}");
        assertBadModel(dir, "model.safetensors.index.json", "../elsewhere.safetensors", "outside the model directory");
    }

    @Test
    void tensorInTwoShardsIsRefused() throws IOException {
        Path dir = copyConfig(tmp.resolve("m"));
        Files.copy(TestData.tiny().resolve("model.safetensors"), dir.resolve("a.safetensors"));
        Files.copy(TestData.tiny().resolve("model.safetensors"), dir.resolve("b.safetensors"));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"esm.embeddings.word_embeddings.weight\": \"a.safetensors\", \"lm_head.bias\": \"b.safetensors\"}}");
        assertBadModel(dir, "b.safetensors", "appears in two shards");
    }
}
