package org.esm2j.device.cuda;

import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.Alphabet;
import org.esm2j.tokens.TokenizedSequence;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a GPU batch's results are laid out in a slot and sliced per sequence, without a GPU: a host buffer is
 * filled the way the C ABI documents (every value encodes where it was written) and unpacked.
 */
class CudaResultLayoutTest {
    private static final int E = 4;
    private static final int V = Alphabet.SIZE;

    /** A value that says which output, layer, row and column it is. */
    private static float code(int kind, int layer, long row, int col) {
        return kind * 1_000_000 + layer * 100_000 + row * 100 + col;
    }

    @Test
    void layoutIsCompactInTheOrderMeanBosPerTokenLogits() {
        OutputSpec spec = OutputSpec.of(EnumSet.allOf(OutputKind.class).stream().filter(k -> k != OutputKind.CONTACTS)
                .collect(java.util.stream.Collectors.toSet()), List.of(0, 2), 2);
        OutputLayout l = OutputLayout.of(10, 3, spec, E);
        assertThat(l.mean()).isZero();
        assertThat(l.bos()).isEqualTo(2 * 3 * E);
        assertThat(l.perToken()).isEqualTo(2 * (2 * 3 * E));
        assertThat(l.logits()).isEqualTo(l.perToken() + 2 * 10 * E);
        assertThat(l.floats()).isEqualTo(l.logits() + 10 * V);
        assertThat(l.bytes()).isEqualTo(l.floats() * 4);
        OutputLayout meanOnly = OutputLayout.of(10, 3, OutputSpec.of(EnumSet.of(OutputKind.MEAN), List.of(-1), 2), E);
        assertThat(meanOnly).isEqualTo(new OutputLayout(0, -1, -1, -1, 3 * E));
    }

    @Test
    void eachSequenceGetsItsRowsWithBosAndEosDroppedFromPerToken() {
        List<TokenizedSequence> batch = List.of(
                new TokenizedSequence(7, "a", new int[] {0, 5, 6, 7, 2}, 0, -1),
                new TokenizedSequence(3, "b", new int[] {0, 9, 2}, 0, -1),
                new TokenizedSequence(9, "c", new int[] {0, 4, 4, 4, 4, 4, 2}, 0, -1));
        int tokens = 5 + 3 + 7;
        int n = batch.size();
        OutputSpec spec = OutputSpec.of(EnumSet.of(OutputKind.MEAN, OutputKind.BOS, OutputKind.PER_TOK, OutputKind.LOGITS),
                List.of(1, 2), 2);
        int layers = spec.layerCount();
        OutputLayout l = OutputLayout.of(tokens, n, spec, E);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(l.bytes() + 64);
            for (int j = 0; j < layers; j++) {
                for (int s = 0; s < n; s++) {
                    for (int c = 0; c < E; c++) {
                        host.setAtIndex(ValueLayout.JAVA_FLOAT, l.mean() + ((long) j * n + s) * E + c, code(1, j, s, c));
                        host.setAtIndex(ValueLayout.JAVA_FLOAT, l.bos() + ((long) j * n + s) * E + c, code(2, j, s, c));
                    }
                }
                for (int t = 0; t < tokens; t++) {
                    for (int c = 0; c < E; c++) {
                        host.setAtIndex(ValueLayout.JAVA_FLOAT, l.perToken() + ((long) j * tokens + t) * E + c, code(3, j, t, c));
                    }
                }
            }
            for (int t = 0; t < tokens; t++) {
                for (int v = 0; v < V; v++) {
                    host.setAtIndex(ValueLayout.JAVA_FLOAT, l.logits() + (long) t * V + v, code(4, 0, t, v));
                }
            }
            List<SequenceEmbedding> out = OutputLayout.unpack(host, batch, spec, l, E);
            assertThat(out).extracting(SequenceEmbedding::index).containsExactly(7L, 3L, 9L);
            assertThat(out).extracting(SequenceEmbedding::residues).containsExactly(3, 1, 5);
            int start = 0;
            for (int s = 0; s < n; s++) {
                SequenceEmbedding r = out.get(s);
                int len = batch.get(s).length();
                for (int j = 0; j < layers; j++) {
                    assertThat(r.mean()[j]).hasSize(E);
                    assertThat(r.mean()[j][E - 1]).isEqualTo(code(1, j, s, E - 1));
                    assertThat(r.bos()[j][0]).isEqualTo(code(2, j, s, 0));
                    assertThat(r.perToken()[j]).hasSize(r.residues() * E);
                    // First residue row is the sequence's position 1; the last is position n (EOS dropped).
                    assertThat(r.perToken()[j][0]).isEqualTo(code(3, j, start + 1, 0));
                    assertThat(r.perToken()[j][r.residues() * E - 1]).isEqualTo(code(3, j, start + r.residues(), E - 1));
                }
                assertThat(r.logits()).hasSize(len * V);
                assertThat(r.logits()[0]).isEqualTo(code(4, 0, start, 0));
                assertThat(r.logits()[len * V - 1]).isEqualTo(code(4, 0, start + len - 1, V - 1));
                assertThat(r.contacts()).isNull();
                start += len;
            }
        }
    }
}
