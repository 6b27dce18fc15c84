package org.esm2j.schedule;

import org.esm2j.device.OutputKind;
import org.esm2j.device.OutputSpec;
import org.esm2j.device.SequenceEmbedding;
import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Inputs and checks shared by the scheduler tests. */
public final class SchedulerFixtures {
    static final String LETTERS = "ACDEFGHIKLMNPQRSTVWYXBUZO";

    private SchedulerFixtures() {
    }

    /** {@code n} random sequences of 1..maxResidues residues, with some <mask> tokens, indices from {@code first}. */
    public static List<TokenizedSequence> randomSequences(int n, int maxResidues, long seed, long first) {
        Random random = new Random(seed);
        Tokenizer tok = new Tokenizer(0);
        List<TokenizedSequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 1 + (int) Math.floor(Math.pow(random.nextDouble(), 2) * maxResidues);
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < len; j++) {
                sb.append(random.nextInt(50) == 0 ? "<mask>" : String.valueOf(LETTERS.charAt(random.nextInt(20))));
            }
            out.add(tok.tokenize(first + i, "seq" + (first + i), sb));
        }
        return out;
    }

    public static OutputSpec everything(int layers) {
        return OutputSpec.of(EnumSet.of(OutputKind.MEAN, OutputKind.PER_TOK, OutputKind.BOS, OutputKind.LOGITS),
                java.util.stream.IntStream.rangeClosed(0, layers).boxed().toList(), layers);
    }

    /** Collects results and counts deliveries per sequence. */
    static final class Collector implements Consumer<SequenceEmbedding> {
        final Map<Long, SequenceEmbedding> results = new ConcurrentHashMap<>();
        final Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();

        @Override
        public void accept(SequenceEmbedding e) {
            deliveries.computeIfAbsent(e.index(), k -> new AtomicInteger()).incrementAndGet();
            results.put(e.index(), e);
        }

        void assertExactlyOnce(List<TokenizedSequence> sequences) {
            assertThat(results).hasSize(sequences.size());
            for (TokenizedSequence s : sequences) {
                assertThat(deliveries.get(s.index())).as("deliveries of " + s.id()).isNotNull();
                assertThat(deliveries.get(s.index()).get()).as("deliveries of " + s.id()).isEqualTo(1);
            }
        }
    }

    static void assertBitIdentical(Map<Long, SequenceEmbedding> actual, Map<Long, SequenceEmbedding> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (var e : expected.entrySet()) {
            SequenceEmbedding a = actual.get(e.getKey());
            SequenceEmbedding x = e.getValue();
            String what = "sequence " + x.id();
            assertThat(a.id()).as(what).isEqualTo(x.id());
            assertThat(a.residues()).as(what).isEqualTo(x.residues());
            assertThat(Arrays.deepEquals(a.mean(), x.mean())).as(what + " mean").isTrue();
            assertThat(Arrays.deepEquals(a.bos(), x.bos())).as(what + " bos").isTrue();
            assertThat(Arrays.deepEquals(a.perToken(), x.perToken())).as(what + " per-token").isTrue();
            assertThat(Arrays.equals(a.logits(), x.logits())).as(what + " logits").isTrue();
        }
    }

    static List<Batch> plan(List<TokenizedSequence> window, long budget) {
        return BatchPlanner.plan(window, budget, 4096);
    }
}
