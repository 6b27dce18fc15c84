package org.esm2j.input;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Record names: the first word (esm2j's id) or the whole header (fair-esm's label), stripped as Python strips. */
class RecordKeyTest {

    private static FastaRecord first(String fasta) {
        try (FastaReader r = FastaReader.ofString("t.fa", fasta)) {
            return r.next();
        }
    }

    @Test
    void theLabelIsTheWholeHeaderStrippedAsPythonStripsIt() {
        FastaRecord r = first(">  sp|P1|X_HUMAN Kinase  OS=Homo sapiens \t\nMKT\n");
        assertThat(RecordKey.ID.of(r)).isEqualTo("sp|P1|X_HUMAN");
        assertThat(RecordKey.HEADER.of(r)).isEqualTo("sp|P1|X_HUMAN Kinase  OS=Homo sapiens");
        // Python's str.strip() also strips no-break spaces and NEL, which Java's strip() keeps.
        assertThat(RecordKey.HEADER.of(first(">\u00a0x y\u202f\u0085\nMKT\n"))).isEqualTo("x y");
    }
}
