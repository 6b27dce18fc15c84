package org.esm2j.input;

import java.util.Locale;

/** What to do when a FASTA id appears twice (outputs are keyed by id, so silently keeping both is not an option). */
public enum DuplicateIds {
    /** Stop before any work, listing the duplicates (default). */
    ERROR,
    /** Keep every record; the 2nd, 3rd… occurrence of {@code id} become {@code id#2}, {@code id#3}… */
    RENAME,
    /** Keep the first occurrence only and count the others as skipped. */
    SKIP;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
