package org.esm2j.tokens;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Residue text to token ids: fair-esm's alphabet, plus the forgiving rules of the foundation issue. */
class TokenizerTest {
    private static final Tokenizer DEFAULT = new Tokenizer(Tokenizer.DEFAULT_TRUNCATION);

    private static int[] residueTokens(TokenizedSequence s) {
        assertThat(s.tokens()[0]).as("first token is <cls>").isEqualTo(Alphabet.CLS);
        assertThat(s.tokens()[s.length() - 1]).as("last token is <eos>").isEqualTo(Alphabet.EOS);
        return Arrays.copyOfRange(s.tokens(), 1, s.length() - 1);
    }

    @Test
    void everyAlphabetLetterHasFairEsmsId() {
        TokenizedSequence s = DEFAULT.tokenize(0, "all", "LAGVSERTIDPKQNFYMHWCXBUZO.-");
        int[] expected = new int[27];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = 4 + i;
        }
        assertThat(residueTokens(s)).containsExactly(expected);
        assertThat(s.unknownLetters()).isZero();
        assertThat(Alphabet.TOKENS).hasSize(Alphabet.SIZE);
        assertThat(Alphabet.TOKENS.subList(0, 4)).containsExactly("<cls>", "<pad>", "<eos>", "<unk>");
        assertThat(Alphabet.TOKENS.get(31)).isEqualTo("<null_1>");
        assertThat(Alphabet.TOKENS.get(32)).isEqualTo("<mask>");
    }

    @Test
    void lowercaseIsReadAsUppercase() {
        assertThat(DEFAULT.tokenize(0, "x", "mktayiakqr").tokens())
                .containsExactly(DEFAULT.tokenize(0, "x", "MKTAYIAKQR").tokens());
        assertThat(DEFAULT.tokenize(0, "x", "xbuzo").unknownLetters()).isZero();
    }

    @Test
    void specialTokensWrittenInlineAreOneTokenEach() {
        TokenizedSequence s = DEFAULT.tokenize(0, "x", "A<mask>C<unk>D<null_1>E");
        assertThat(residueTokens(s)).containsExactly(5, Alphabet.MASK, 23, Alphabet.UNK, 13, Alphabet.NULL_1, 9);
        assertThat(s.residues()).isEqualTo(7);
        assertThat(s.unknownLetters()).as("an inline <unk> is asked for, not an unknown letter").isZero();
    }

    @Test
    void angleBracketThatStartsNoSpecialTokenIsUnknownCharacters() {
        TokenizedSequence s = DEFAULT.tokenize(0, "x", "A<mas");
        assertThat(residueTokens(s)).containsExactly(5, Alphabet.UNK, 20, 5, 8);
        assertThat(s.unknownLetters()).isEqualTo(1);
    }

    @Test
    void lettersOutsideTheAlphabetBecomeUnkAndAreCounted() {
        TokenizedSequence s = DEFAULT.tokenize(0, "x", "AJ1*C#é");
        assertThat(residueTokens(s)).containsExactly(5, Alphabet.UNK, Alphabet.UNK, Alphabet.UNK, 23, Alphabet.UNK, Alphabet.UNK);
        assertThat(s.unknownLetters()).isEqualTo(5);
    }

    @Test
    void trailingStopCodonsAreDroppedButAStopInsideIsUnknown() {
        assertThat(residueTokens(DEFAULT.tokenize(0, "x", "MKT*"))).containsExactly(20, 15, 11);
        assertThat(residueTokens(DEFAULT.tokenize(0, "x", "MKT***"))).containsExactly(20, 15, 11);
        assertThat(residueTokens(DEFAULT.tokenize(0, "x", "MKT* * *\t "))).containsExactly(20, 15, 11);
        TokenizedSequence inside = DEFAULT.tokenize(0, "x", "MK*T*");
        assertThat(residueTokens(inside)).containsExactly(20, 15, Alphabet.UNK, 11);
        assertThat(inside.unknownLetters()).isEqualTo(1);
    }

    @Test
    void whitespaceAnywhereIsIgnored() {
        TokenizedSequence s = DEFAULT.tokenize(0, "x", " M K\tT\r\nA  Y\u000b");
        assertThat(residueTokens(s)).containsExactly(20, 15, 11, 5, 19);
        assertThat(s.unknownLetters()).isZero();
    }

    @Test
    void truncationKeepsTheFirst1022ResiduesByDefault() {
        String longSeq = "A".repeat(1100);
        TokenizedSequence s = DEFAULT.tokenize(3, "long", longSeq);
        assertThat(s.residues()).isEqualTo(1022);
        assertThat(s.length()).isEqualTo(1024);
        assertThat(s.truncated()).isTrue();
        assertThat(s.truncatedFrom()).isEqualTo(1100);
        assertThat(s.index()).isEqualTo(3);
        assertThat(s.id()).isEqualTo("long");
        assertThat(residueTokens(s)).containsOnly(5);

        TokenizedSequence exact = DEFAULT.tokenize(0, "exact", "A".repeat(1022));
        assertThat(exact.residues()).isEqualTo(1022);
        assertThat(exact.truncated()).as("exactly the limit is not a truncation").isFalse();
        assertThat(exact.truncatedFrom()).isEqualTo(-1);
    }

    @Test
    void truncationCountsTokensNotCharacters() {
        // 1030 masks are 6180 characters: a character count would cut after 170 masks.
        TokenizedSequence masks = DEFAULT.tokenize(0, "m", "<mask>".repeat(1030));
        assertThat(masks.residues()).isEqualTo(1022);
        assertThat(masks.truncatedFrom()).isEqualTo(1030);
        assertThat(residueTokens(masks)).containsOnly(Alphabet.MASK);

        TokenizedSequence three = new Tokenizer(3).tokenize(0, "x", "A C\n<mask>D");
        assertThat(residueTokens(three)).containsExactly(5, 23, Alphabet.MASK);
        assertThat(three.truncatedFrom()).isEqualTo(4);
    }

    @Test
    void unknownLettersCutByTruncationAreNotCounted() {
        TokenizedSequence s = new Tokenizer(3).tokenize(0, "x", "AJAJJ");
        assertThat(residueTokens(s)).containsExactly(5, Alphabet.UNK, 5);
        assertThat(s.unknownLetters()).as("only the J that reached the model became <unk>").isEqualTo(1);
    }

    @Test
    void truncationZeroMeansNoLimit() {
        TokenizedSequence s = new Tokenizer(0).tokenize(0, "x", "G".repeat(5000));
        assertThat(s.residues()).isEqualTo(5000);
        assertThat(s.truncated()).isFalse();
        assertThat(residueTokens(s)).containsOnly(6);
    }

    @Test
    void sequenceWithoutResiduesGivesZeroResidues() {
        for (String text : new String[] {"", "   ", "*", "**\n*", " * "}) {
            TokenizedSequence s = DEFAULT.tokenize(0, "e", text);
            assertThat(s.residues()).as("'%s'", text).isZero();
            assertThat(s.tokens()).containsExactly(Alphabet.CLS, Alphabet.EOS);
        }
    }

    @Test
    void negativeTruncationIsRefused() {
        assertThatThrownBy(() -> new Tokenizer(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 = no limit");
    }
}
