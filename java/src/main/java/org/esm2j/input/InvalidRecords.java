package org.esm2j.input;

import java.util.Locale;

/**
 * What to do with a record whose sequence holds characters that are not residue letters (digits, {@code /}, {@code |}…:
 * a GenBank paste, a numbered alignment). Every such record is reported with its id, line and characters, whatever
 * the policy; letters outside the alphabet (J) are not invalid: they become {@code <unk>} as in fair-esm.
 */
public enum InvalidRecords {
    /** Report the record and leave it out (default): a ten-million-sequence job never stops for one bad record. */
    SKIP,
    /** Report the record and embed it with each invalid character as {@code <unk>}, as fair-esm does silently. */
    UNK,
    /** Stop before any work (or at the record, when reading standard input), naming it. */
    ERROR;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
