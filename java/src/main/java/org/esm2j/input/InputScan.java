package org.esm2j.input;

import org.esm2j.Esm2jException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A quick pass over a FASTA file before any model work: it finds format errors, duplicate ids and (under
 * {@link InvalidRecords#ERROR}) invalid characters while nothing has been spent yet, and counts the sequences
 * the run will embed and their letters so that progress can show an ETA.
 *
 * <p>It leaves out exactly the records the run leaves out (empty ones, those with invalid characters under
 * {@link InvalidRecords#SKIP}, repeated ids under {@link DuplicateIds#SKIP}), so that its count is the run's, shard by shard.
 *
 * @param records        FASTA records read
 * @param sequences      records the run embeds (all shards together)
 * @param letters        sequence characters of those (an upper bound on residues before truncation)
 */
public record InputScan(long records, long sequences, long letters) {
    private static final int LISTED = 10;

    public static InputScan of(String input, DuplicateIds policy) {
        return of(input, policy, InvalidRecords.SKIP);
    }

    /** Records named by their id, those with invalid characters handled by {@code invalidRecords}. */
    public static InputScan of(String input, DuplicateIds policy, InvalidRecords invalidRecords) {
        return of(input, policy, invalidRecords, RecordKey.ID, key -> null);
    }

    /**
     * As {@link #of(String, DuplicateIds)}, with records named by {@code key}; {@code keyProblem} says why a key
     * cannot name an output (null when it can), and the first such record stops the scan.
     */
    public static InputScan of(String input, DuplicateIds policy, InvalidRecords invalidRecords, RecordKey key, Function<String, String> keyProblem) {
        IdRegistry ids = new IdRegistry();
        List<String> duplicates = new ArrayList<>();
        long duplicateCount = 0;
        long records = 0;
        long sequences = 0;
        long letters = 0;
        try (FastaReader reader = FastaReader.open(input)) {
            FastaRecord r;
            while ((r = reader.next()) != null) {
                records++;
                if (r.empty()) {
                    continue;
                }
                if (r.hasInvalidCharacters()) {
                    if (invalidRecords == InvalidRecords.ERROR) {
                        throw Esm2jException.badInput(r.describeInvalid(reader.name()) + ". Fix the record, or pass {invalidRecords} skip"
                                + " (leave such records out) or unk (embed those characters as <unk>)");
                    }
                    if (invalidRecords == InvalidRecords.SKIP) {
                        continue;
                    }
                }
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
                    if (policy == DuplicateIds.SKIP) {
                        continue;
                    }
                }
                sequences++;
                letters += r.sequence().length();
            }
        }
        if (duplicateCount > 0 && policy == DuplicateIds.ERROR) {
            String what = key == RecordKey.ID ? "id" : "label";
            throw Esm2jException.badInput(input + ": " + duplicateCount + " duplicate " + what + (duplicateCount == 1 ? "" : "s") + ": "
                    + String.join(", ", duplicates) + (duplicateCount > LISTED ? ", …" : "")
                    + ". Outputs are keyed by " + what + ": make the " + what + "s unique, or pass {duplicates} rename (" + what + "#2, "
                    + what + "#3…) or skip (keep the first)");
        }
        return new InputScan(records, sequences, letters);
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
