package org.esm2j.output;

import org.esm2j.ModelFixtures;
import org.esm2j.NumpyCheck;
import org.esm2j.TestData;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two formats hold the same numbers: the same embeddings given to both writers come back bit-identical
 * when numpy opens the npy dataset (memory-mapped) and the safetensors file.
 */
class WriterAgreementTest {
    private static List<SequenceEmbedding> embeddings;
    private static OutputSpec spec;

    @TempDir
    Path tmp;

    @BeforeAll
    static void embedOnce() {
        embeddings = ModelFixtures.embedProteins(TestData.tiny());
        spec = OutputSpec.of(EnumSet.allOf(OutputKind.class), List.of(0, 1, 2), 2);
    }

    private static void writeAll(EmbeddingWriter writer) {
        try (writer) {
            embeddings.forEach(writer::write);
            writer.commit(Map.of("sequences", embeddings.size()));
        }
    }

    @ParameterizedTest
    @EnumSource(OutputDtype.class)
    void npyAndSafetensorsHoldIdenticalValues(OutputDtype dtype) throws IOException, InterruptedException {
        NumpyCheck.assumeAvailable();
        Path npy = tmp.resolve("npy");
        Path st = tmp.resolve("out.safetensors");
        writeAll(new NpyDatasetWriter(npy, spec, 64, dtype, Map.of("test", true)));
        writeAll(new SafetensorsWriter(st, spec, 64, dtype, Map.of("test", true)));
        // 8 sequences x (3 layers x mean, bos, per_tok + logits + contacts)
        assertThat(NumpyCheck.compare(npy, st, dtype.cliName(), 0, true)).isEqualTo(embeddings.size() * (3 * 3 + 2));
    }
}
