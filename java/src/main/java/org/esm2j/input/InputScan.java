package org.esm2j.input;

import org.esm2j.Esm2jException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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
        return of(input, policy, RecordKey.ID, key -> null);
    }

    /**
     * As {@link #of(String, DuplicateIds)}, with records named by {@code key}; {@code keyProblem} says why a key
     * cannot name an output (null when it can), and the first such record stops the scan.
     */
    public static InputScan of(String input, DuplicateIds policy, RecordKey key, Function<String, String> keyProblem) {
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
                String name = key.of(r);
                String problem = keyProblem.apply(name);
                if (problem != null) {
                    throw Esm2jException.badInput(reader.name() + ":" + r.headerLine() + ": " + problem);
                }
                if (!ids.add(name)) {
                    duplicateCount++;
                    if (duplicates.size() < LISTED) {
                        duplicates.add(name + " (line " + r.headerLine() + ")");
                    }
                }
            }
        }
        if (duplicateCount > 0 && policy == DuplicateIds.ERROR) {
            String what = key == RecordKey.ID ? "id" : "label";
            throw Esm2jException.badInput(input + ": " + duplicateCount + " duplicate " + what + (duplicateCount == 1 ? "" : "s") + ": "
                    + String.join(", ", duplicates) + (duplicateCount > LISTED ? ", …" : "")
                    + ". Outputs are keyed by " + what + ": make the " + what + "s unique, or pass {duplicates} rename (" + what + "#2, "
                    + what + "#3…) or skip (keep the first)");
        }
        return new InputScan(records, letters);
    }
}
