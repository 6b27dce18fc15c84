package org.esm2j.pipeline;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.input.DuplicateIds;
import org.esm2j.input.FastaReader;
import org.esm2j.input.FastaRecord;
import org.esm2j.input.IdRegistry;
import org.esm2j.tokens.TokenizedSequence;
import org.esm2j.tokens.Tokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * The sequences {@code esm2j verify} compares: a seeded random sample of the input that always holds its longest
 * sequences (the longest eighth of the sample, at least one), since error grows with length.
 *
 * <p>The input is read once, as {@code embed} reads it (same tokenizer, truncation, duplicate-id policy, empty
 * records skipped), holding only the sample: a reservoir of {@code size} sequences (algorithm R, seeded) and the
 * longest so far. So standard input works, and the same input and seed give the same sample.
 *
 * <p>{@link #sequences()} is in priority order, the order in which a cap on the CPU's time keeps them: the longest
 * sequence, then the random ones in draw order, then the other longest ones. Their indices are renumbered 0.. in
 * that order (a window's indices must be consecutive); {@code ordinals} keeps each one's position among the
 * input's kept sequences.
 *
 * @param sequences the sample, in priority order, indices 0..n-1
 * @param ordinals  for each, its 0-based position among the input's kept sequences
 * @param longest   how many of them were taken as the input's longest
 * @param records   FASTA records read
 * @param kept      sequences of the input (after empty records and duplicate ids)
 * @param size      the sample size asked for
 * @param seed      the seed of the draw
 */
public record VerificationSample(List<TokenizedSequence> sequences, long[] ordinals, int longest, long records, long kept,
                                 int size, long seed) {

    public VerificationSample {
        sequences = List.copyOf(sequences);
        ordinals = ordinals.clone();
    }

    /** The longest sequences always included: an eighth of the sample, at least one. */
    static int longestCount(int size) {
        return Math.max(1, size / 8);
    }

    /** Reads {@code input} and draws the sample. */
    static VerificationSample draw(String input, int truncation, DuplicateIds duplicates, int size, long seed) {
        Tokenizer tokenizer = new Tokenizer(truncation);
        IdRegistry ids = new IdRegistry();
        Random random = new Random(seed);
        int longestWanted = Math.min(size, longestCount(size));
        List<TokenizedSequence> reservoir = new ArrayList<>(); // grows to size: a large --sample costs only what the input fills
        // Head = the least long of those held: shortest, and of equal lengths the later in the input (the earlier wins ties).
        Comparator<TokenizedSequence> byLength = Comparator.comparingInt(TokenizedSequence::residues)
                .thenComparing(Comparator.comparingLong(TokenizedSequence::index).reversed());
        PriorityQueue<TokenizedSequence> longest = new PriorityQueue<>(byLength);
        long records = 0;
        long kept = 0;
        try (FastaReader reader = FastaReader.open(input)) {
            FastaRecord record;
            while ((record = reader.next()) != null) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Esm2jException(ExitCode.INTERRUPTED, "interrupted while reading " + reader.name());
                }
                records++;
                String id = admittedId(reader, record, ids, duplicates);
                if (id == null) {
                    continue;
                }
                TokenizedSequence seq = tokenizer.tokenize(kept, id, record.sequence());
                if (seq.residues() == 0) {
                    continue;
                }
                if (kept < size) {
                    reservoir.add(seq);
                } else {
                    long j = random.nextLong(kept + 1);
                    if (j < size) {
                        reservoir.set((int) j, seq);
                    }
                }
                if (longest.size() < longestWanted) {
                    longest.add(seq);
                } else if (byLength.compare(seq, longest.peek()) > 0) {
                    longest.poll();
                    longest.add(seq);
                }
                kept++;
            }
        }
        if (kept == 0) {
            throw Esm2jException.badInput(input + ": no sequence to verify (" + records + " record" + (records == 1 ? "" : "s")
                    + ", none with residues)");
        }
        List<TokenizedSequence> longestFirst = new ArrayList<>(longest);
        longestFirst.sort(byLength.reversed());
        Set<Long> taken = new HashSet<>();
        longestFirst.forEach(s -> taken.add(s.index()));
        List<TokenizedSequence> drawn = new ArrayList<>(reservoir);
        Collections.shuffle(drawn, random); // the draw order, independent of where each landed in the reservoir
        List<TokenizedSequence> ordered = new ArrayList<>();
        ordered.add(longestFirst.getFirst());
        for (TokenizedSequence s : drawn) {
            if (ordered.size() + longestFirst.size() - 1 >= size) {
                break;
            }
            if (!taken.contains(s.index())) {
                ordered.add(s);
            }
        }
        ordered.addAll(longestFirst.subList(1, longestFirst.size()));
        List<TokenizedSequence> renumbered = new ArrayList<>();
        long[] ordinals = new long[ordered.size()];
        for (int i = 0; i < ordered.size(); i++) {
            TokenizedSequence s = ordered.get(i);
            ordinals[i] = s.index();
            renumbered.add(new TokenizedSequence(i, s.id(), s.tokens(), s.unknownLetters(), s.truncatedFrom()));
        }
        return new VerificationSample(renumbered, ordinals, longestFirst.size(), records, kept, size, seed);
    }

    /** The id under {@code embed}'s duplicate-id policy, or null when the record is skipped. */
    private static String admittedId(FastaReader reader, FastaRecord record, IdRegistry ids, DuplicateIds duplicates) {
        String id = record.id();
        if (ids.add(id)) {
            return id;
        }
        return switch (duplicates) {
            case ERROR -> throw Esm2jException.badInput(reader.name() + ":" + record.headerLine() + ": duplicate id '" + id
                    + "'. Outputs are keyed by id: make the ids unique, or pass {duplicates} rename or skip");
            case SKIP -> null;
            case RENAME -> {
                int k = 2;
                while (!ids.add(id + "#" + k)) {
                    k++;
                }
                yield id + "#" + k;
            }
        };
    }

    public int count() {
        return sequences.size();
    }

    @Override
    public long[] ordinals() {
        return ordinals.clone();
    }

    /** Whether the sample is the whole input (it holds no more sequences than asked for). */
    public boolean whole() {
        return sequences.size() == kept;
    }

    /** Tokens of the whole sample. */
    public long tokens() {
        return sequences.stream().mapToLong(TokenizedSequence::length).sum();
    }

    public int shortestResidues() {
        return sequences.stream().mapToInt(TokenizedSequence::residues).min().orElse(0);
    }

    public int longestResidues() {
        return sequences.stream().mapToInt(TokenizedSequence::residues).max().orElse(0);
    }

    /** Sequences of the sample cut to the truncation length. */
    public long truncated() {
        return sequences.stream().filter(TokenizedSequence::truncated).count();
    }
}
