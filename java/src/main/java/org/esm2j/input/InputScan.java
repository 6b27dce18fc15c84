package org.esm2j.input;

import org.esm2j.Esm2jException;

import java.util.ArrayList;
import java.util.List;

/**
 * A quick pass over a FASTA file before any model work: it finds format errors and duplicate ids while
 * nothing has been spent yet, and counts records and letters so that progress can show an ETA.
 *
 * @param records        FASTA records
 * @param letters        sequence characters (an upper bound on residues before truncation)
 */
public record InputScan(long records, long letters) {
    private static final int LISTED = 10;

    public static InputScan of(String input, DuplicateIds policy) {
        IdRegistry ids = new IdRegistry();
        List<String> duplicates = new ArrayList<>();
        long duplicateCount = 0;
        long records = 0;
        long letters = 0;
        try (FastaReader reader = FastaReader.open(input)) {
            FastaRecord r;
            while ((r = reader.next()) != null) {
                records++;
                letters += r.sequence().length();
                if (!ids.add(r.id())) {
                    duplicateCount++;
                    if (duplicates.size() < LISTED) {
                        duplicates.add(r.id() + " (line " + r.headerLine() + ")");
                    }
                }
            }
        }
        if (duplicateCount > 0 && policy == DuplicateIds.ERROR) {
            throw Esm2jException.badInput(input + ": " + duplicateCount + " duplicate id" + (duplicateCount == 1 ? "" : "s") + ": "
                    + String.join(", ", duplicates) + (duplicateCount > LISTED ? ", …" : "")
                    + ". Outputs are keyed by id: make the ids unique, or pass {duplicates} rename (id#2, id#3…) or skip (keep the first)");
        }
        return new InputScan(records, letters);
    }
}
