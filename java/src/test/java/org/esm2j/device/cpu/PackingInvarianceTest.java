package org.esm2j.device.cpu;

import org.esm2j.TestData;
import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.model.EsmModel;
import org.esm2j.tokens.TokenizedSequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sequence's results are bit-identical whether it is encoded alone or packed with others, in any order,
 * and with any number of threads: every output element is computed by the same operation sequence whatever
 * the row's position in the batch, the tile it falls in, or the thread that runs it.
 */
class PackingInvarianceTest {

    @ParameterizedTest
    @ValueSource(strings = {"esm2-tiny-L2-E64-H4", "esm2-small-L4-E128-H2"})
    void aloneOrPackedInAnyOrderGiveTheSameBits(String name) {
        try (EsmModel model = EsmModel.load(TestData.dir().resolve(name).toString());
             CpuEncoder encoder = new CpuEncoder(model.weights(), 2)) {
            int layers = model.config().numLayers();
            OutputSpec spec = OutputSpec.of(EnumSet.allOf(OutputKind.class), IntStream.rangeClosed(0, layers).boxed().toList(), layers);
            List<TokenizedSequence> seqs = CpuParityTest.proteins();
            List<SequenceEmbedding> alone = new ArrayList<>();
            for (TokenizedSequence s : seqs) {
                alone.add(encoder.encode(List.of(s), spec).getFirst());
            }
            List<TokenizedSequence> reversed = new ArrayList<>(seqs);
            Collections.reverse(reversed);
            List<TokenizedSequence> shuffled = new ArrayList<>(seqs);
            Collections.shuffle(shuffled, new Random(7));
            List<TokenizedSequence> sortedByLength = new ArrayList<>(seqs);
            sortedByLength.sort((a, b) -> Integer.compare(b.length(), a.length()));
            for (List<TokenizedSequence> order : List.of(seqs, reversed, shuffled, sortedByLength)) {
                List<SequenceEmbedding> packed = encoder.encode(order, spec);
                for (int i = 0; i < order.size(); i++) {
                    assertSameBits(packed.get(i), alone.get(seqs.indexOf(order.get(i))));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void threadCountDoesNotChangeTheBits(int threads) {
        try (EsmModel model = EsmModel.load(TestData.small().toString());
             CpuEncoder two = new CpuEncoder(model.weights(), 2);
             CpuEncoder other = new CpuEncoder(model.weights(), threads)) {
            int layers = model.config().numLayers();
            OutputSpec spec = OutputSpec.of(EnumSet.allOf(OutputKind.class), List.of(0, layers), layers);
            List<TokenizedSequence> seqs = CpuParityTest.proteins();
            List<SequenceEmbedding> a = two.encode(seqs, spec);
            List<SequenceEmbedding> b = other.encode(seqs, spec);
            for (int i = 0; i < seqs.size(); i++) {
                assertSameBits(b.get(i), a.get(i));
            }
        }
    }

    private static void assertSameBits(SequenceEmbedding actual, SequenceEmbedding expected) {
        String id = expected.id();
        assertThat(actual.id()).isEqualTo(id);
        for (int slot = 0; slot < expected.mean().length; slot++) {
            assertThat(Arrays.equals(actual.mean()[slot], expected.mean()[slot])).as(id + " mean, layer slot " + slot).isTrue();
            assertThat(Arrays.equals(actual.bos()[slot], expected.bos()[slot])).as(id + " bos, layer slot " + slot).isTrue();
            assertThat(Arrays.equals(actual.perToken()[slot], expected.perToken()[slot])).as(id + " per_tok, layer slot " + slot).isTrue();
        }
        assertThat(Arrays.equals(actual.logits(), expected.logits())).as(id + " logits").isTrue();
        assertThat(Arrays.equals(actual.contacts(), expected.contacts())).as(id + " contacts").isTrue();
    }
}
