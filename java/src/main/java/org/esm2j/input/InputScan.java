package org.esm2j.input;

import org.esm2j.Esm2jException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A quick pass over a FASTA file before any model work: it finds format errors and duplicate ids while
 * nothing has been written yet, and counts records and letters so that progress can show an ETA. The command
 * line runs it on a thread of its own beside the model's loading ({@link #await}, {@link #rethrowFailure}).
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

    /** The scan's result (null when there is none: standard input); its failure is thrown as it was. */
    public static InputScan await(CompletableFuture<InputScan> scan) {
        if (scan == null) {
            return null;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return scan.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the scan ends by itself: the input is finite
                } catch (java.util.concurrent.ExecutionException e) {
                    throw unwrap(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * After {@code failure} elsewhere (the model, a device): when the scan found the input at fault too, throws the
     * scan's error instead, as if the scan had run first; otherwise returns, and the caller throws its own.
     */
    public static void rethrowFailure(CompletableFuture<InputScan> scan, RuntimeException failure) {
        if (scan == null) {
            return;
        }
        try {
            await(scan);
        } catch (RuntimeException inputFailure) {
            if (inputFailure != failure) {
                inputFailure.addSuppressed(failure);
            }
            throw inputFailure;
        }
    }

    private static RuntimeException unwrap(Throwable t) {
        if (t instanceof CompletionException c && c.getCause() != null) {
            t = c.getCause();
        }
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
