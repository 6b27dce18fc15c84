package org.esm2j.input;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The id set behind duplicate detection: exact answers through growth and at a million ids. */
class IdRegistryTest {

    @Test
    void secondAddOfTheSameIdIsReported() {
        IdRegistry ids = new IdRegistry();
        assertThat(ids.add("P12345")).isTrue();
        assertThat(ids.add("P12346")).isTrue();
        assertThat(ids.add("P12345")).isFalse();
        assertThat(ids.size()).isEqualTo(2);
    }

    @Test
    void similarIdsAreDistinct() {
        // Same bytes in another order, a trailing NUL, prefixes, case, the empty id, non-ASCII, long shared prefixes.
        List<String> similar = new ArrayList<>(List.of("ab", "ba", "a", "a\u0000", "A", "", "abcdefgh", "abcdefgh\u0000",
                "abcdefghi", "bacdefgh", "é", "e\u0301", "序列", "x".repeat(1000), "x".repeat(1000) + "y", "y" + "x".repeat(1000)));
        IdRegistry ids = new IdRegistry();
        for (String id : similar) {
            assertThat(ids.add(id)).as("first add of '%s'", id).isTrue();
        }
        for (String id : similar) {
            assertThat(ids.add(id)).as("second add of '%s'", id).isFalse();
        }
        assertThat(ids.size()).isEqualTo(similar.size());
    }

    @Test
    void growthKeepsEveryIdAlreadyAdded() {
        IdRegistry ids = new IdRegistry();
        int n = 50_000; // the table starts with 1024 slots: this grows it seven times
        for (int i = 0; i < n; i++) {
            assertThat(ids.add("seq" + i)).isTrue();
        }
        for (int i = 0; i < n; i++) {
            if (ids.add("seq" + i)) {
                throw new AssertionError("seq" + i + " was lost while the table grew");
            }
        }
        assertThat(ids.size()).isEqualTo(n);
    }

    @Test
    void aMillionDistinctIdsGiveNoFalseDuplicate() {
        IdRegistry ids = new IdRegistry();
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            // UniProt-like accessions that share long prefixes and differ in a few digits.
            if (!ids.add("UniRef50_A0A" + (10_000_000 + i))) {
                throw new AssertionError("false duplicate at id " + i);
            }
        }
        assertThat(ids.size()).isEqualTo(n);
        assertThat(ids.add("UniRef50_A0A" + (10_000_000 + 123_456))).isFalse();
        assertThat(ids.add("UniRef50_A0A" + (10_000_000 + n))).isTrue();
    }
}
