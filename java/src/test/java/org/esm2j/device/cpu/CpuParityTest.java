package org.esm2j.device.cpu;

import org.esm2j.TestData;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.input.FastaReader;
import org.esm2j.input.FastaRecord;
import org.esm2j.model.EsmModel;
import org.esm2j.model.SafetensorsFile;
import org.esm2j.model.TensorInfo;
import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The CPU encoder against fair-esm's float64 outputs (testdata/README.md): relative L2 <= 1e-4 for every tensor. */
class CpuParityTest {
    static final double TOLERANCE = 1e-4;

    static List<TokenizedSequence> proteins() {
        Tokenizer tok = new Tokenizer(Tokenizer.DEFAULT_TRUNCATION);
        List<TokenizedSequence> out = new ArrayList<>();
        try (FastaReader r = FastaReader.open(TestData.proteins())) {
            FastaRecord rec;
            while ((rec = r.next()) != null) {
                out.add(tok.tokenize(rec.index(), rec.id(), rec.sequence()));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"esm2-tiny-L2-E64-H4", "esm2-small-L4-E128-H2"})
    void everyTensorMatchesFairEsm(String name) {
        Path dir = TestData.dir().resolve(name);
        try (EsmModel model = EsmModel.load(dir.toString());
             SafetensorsFile expected = SafetensorsFile.open(dir.resolve("expected.safetensors"));
             CpuEncoder encoder = new CpuEncoder(model.weights(), 2)) {
            int layers = model.config().numLayers();
            OutputSpec spec = OutputSpec.of(EnumSet.allOf(OutputKind.class),
                    IntStream.rangeClosed(0, layers).boxed().toList(), layers);
            List<TokenizedSequence> seqs = proteins();
            List<SequenceEmbedding> got = encoder.encode(seqs, spec);
            int checked = 0;
            for (int s = 0; s < seqs.size(); s++) {
                TokenizedSequence seq = seqs.get(s);
                SequenceEmbedding emb = got.get(s);
                long[] tokens = expected.get(seq.id() + ".tokens").toLongArray();
                assertThat(seq.tokens()).as(seq.id() + " tokens").containsExactly(java.util.Arrays.stream(tokens).mapToInt(v -> (int) v).toArray());
                for (int l = 0; l <= layers; l++) {
                    checked += check(expected, seq.id() + ".mean." + l, emb.mean()[l]);
                    checked += check(expected, seq.id() + ".bos." + l, emb.bos()[l]);
                    checked += check(expected, seq.id() + ".per_tok." + l, emb.perToken()[l]);
                }
                checked += check(expected, seq.id() + ".logits", emb.logits());
                TensorInfo contacts = expected.get(seq.id() + ".contacts");
                if (contacts != null) {
                    checked += check(expected, seq.id() + ".contacts", emb.contacts());
                }
            }
            assertThat(checked).isGreaterThan(seqs.size() * (3 * (layers + 1) + 1));
        }
    }

    private static int check(SafetensorsFile expected, String name, float[] actual) {
        TensorInfo t = expected.get(name);
        assertThat(t).as("expected tensor " + name).isNotNull();
        double err = TestData.relL2(actual, t.toFloatArray());
        assertThat(err).as(name + " relative L2 error").isLessThanOrEqualTo(TOLERANCE);
        return 1;
    }
}
