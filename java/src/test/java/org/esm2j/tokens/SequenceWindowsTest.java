package org.esm2j.tokens;

import org.esm2j.InvalidParameterException;
import org.esm2j.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the windows of a long protein start, and what they hold. */
class SequenceWindowsTest {
    private static final SequenceWindows FAIR_ESM = SequenceWindows.halfOverlapping(1022);

    @Test
    void windowsStartEveryStrideAndOneMoreEndsAtTheLastResidue() {
        assertThat(FAIR_ESM.stride()).isEqualTo(511);
        assertThat(FAIR_ESM.starts(3000)).containsExactly(0, 511, 1022, 1533, 1978);
        assertThat(FAIR_ESM.tokens(3000)).isEqualTo(5 * 1024);
        assertThat(new SequenceWindows(10, 10).starts(25)).as("stride = length: side by side, then the tail").containsExactly(0, 10, 15);
        assertThat(new SequenceWindows(10, 3).starts(16)).as("6 + 10 = 16: the last full window ends at the last residue, no extra one")
                .containsExactly(0, 3, 6);
    }

    @Test
    void aProteinThatFitsInOneWindowIsNotCut() {
        assertThat(FAIR_ESM.cuts(1022)).isFalse();
        assertThat(FAIR_ESM.starts(1022)).containsExactly(0);
        assertThat(FAIR_ESM.tokens(1022)).isEqualTo(1024);
        assertThat(FAIR_ESM.cuts(1023)).isTrue();
        assertThat(FAIR_ESM.starts(1023)).containsExactly(0, 1);
    }

    @Test
    void everyResidueIsCoveredForAnyLengthAndStride() {
        for (int length = 1; length <= 12; length++) {
            for (int stride = 1; stride <= length; stride++) {
                SequenceWindows w = new SequenceWindows(length, stride);
                for (int n = 1; n <= 40; n++) {
                    int[] starts = w.starts(n);
                    int[] cover = new int[n];
                    for (int s : starts) {
                        assertThat(s + Math.min(length, n)).isLessThanOrEqualTo(n);
                        for (int i = s; i < s + Math.min(length, n); i++) {
                            cover[i]++;
                        }
                    }
                    assertThat(cover).as("L=%d S=%d n=%d", length, stride, n).doesNotContain(0);
                    assertThat(starts).isSorted().doesNotHaveDuplicates();
                }
            }
        }
    }

    @Test
    void eachWindowIsASequenceOfItsOwn() {
        TokenizedSequence protein = new Tokenizer(0).tokenize(7, "p", "ACDEFGHIKL");
        List<TokenizedSequence> windows = new SequenceWindows(4, 2).cut(protein, 100);
        assertThat(windows).extracting(TokenizedSequence::index).containsExactly(100L, 101L, 102L, 103L);
        assertThat(windows).extracting(TokenizedSequence::id).containsExactly("p[1-4]", "p[3-6]", "p[5-8]", "p[7-10]");
        assertThat(new SequenceWindows(4, 3).cut(protein, 0)).as("0, 3, then the tail at 6")
                .extracting(TokenizedSequence::id).containsExactly("p[1-4]", "p[4-7]", "p[7-10]");
        assertThat(windows.get(1).tokens()).containsExactly(Alphabet.CLS, Alphabet.letterToken('D'), Alphabet.letterToken('E'),
                Alphabet.letterToken('F'), Alphabet.letterToken('G'), Alphabet.EOS);
    }

    @Test
    void aStrideOutsideOneToTheWindowLengthIsRefusedByName() {
        assertThatThrownBy(() -> new SequenceWindows(100, 101)).isInstanceOfSatisfying(InvalidParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo(Parameter.WINDOW_STRIDE)).hasMessageContaining("between 1 and truncation (100)");
        assertThatThrownBy(() -> new SequenceWindows(100, 0)).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> new SequenceWindows(0, 1)).isInstanceOfSatisfying(InvalidParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo(Parameter.LONG_SEQUENCES));
    }
}
