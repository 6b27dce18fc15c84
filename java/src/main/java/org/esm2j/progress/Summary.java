package org.esm2j.progress;

import org.esm2j.Units;
import org.esm2j.schedule.RunStats;
import org.esm2j.schedule.DeviceStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The end-of-run table: what each device did and what happened to the input. The same figures are in the
 * manifest ({@link RunStats#toMap()}); this is their human form, exact counts rather than rounded ones.
 */
public final class Summary {
    private static final String[] HEADERS = {"device", "sequences", "tokens", "busy", "tok/s", "peak memory", "tokens/batch", "OOM retries"};
    private static final boolean[] RIGHT = {false, true, true, true, true, true, true, true};

    private Summary() {
    }

    /** The summary lines; the first is a one-line overview, the rest are indented. */
    public static List<String> lines(RunStats stats, long wallNanos) {
        List<DeviceStats> devices = stats.devicesInOrder();
        long written = stats.sequencesWritten();
        long tokens = 0;
        for (DeviceStats d : devices) {
            tokens += d.tokens();
        }
        List<String> out = new ArrayList<>();
        long resumed = stats.resumedSequences();
        out.add("summary: " + (resumed > 0 ? Units.exact(resumed) + " resumed + " + Units.exact(written) + " new" : Units.exact(written))
                + " sequence" + (resumed + written == 1 ? "" : "s") + " written ("
                + Units.exact(stats.residues()) + " residues, " + Units.exact(tokens) + " tokens) in " + Units.seconds(wallNanos)
                + ", " + Units.rate(perSecond(tokens, wallNanos)) + " tok/s");

        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (DeviceStats d : devices) {
            long busy = d.busyNanos();
            double share = wallNanos > 0 ? Math.min(1, (double) busy / wallNanos) : 0;
            rows.add(new String[] {
                    d.id,
                    Units.exact(d.sequences()),
                    Units.exact(d.tokens()),
                    Units.seconds(busy) + " (" + Units.percent(share) + ")",
                    Units.rate(d.tokensPerSecond()),
                    peakMemory(Sampler.memory(d, stats, null)),
                    d.tokenBudget() >= 0 ? Units.exact(d.tokenBudget()) : "-",
                    Long.toString(d.oomRetries())});
        }
        if (devices.size() > 1) {
            long sequences = devices.stream().mapToLong(d -> d.sequences()).sum();
            long retries = devices.stream().mapToLong(d -> d.oomRetries()).sum();
            rows.add(new String[] {"all", Units.exact(sequences), Units.exact(tokens), Units.seconds(wallNanos) + " wall",
                    Units.rate(perSecond(tokens, wallNanos)), "", "", Long.toString(retries)});
        }
        int[] widths = Table.widths(rows, HEADERS.length);
        boolean[] shown = new boolean[HEADERS.length];
        Arrays.fill(shown, true);
        for (String[] r : rows) {
            out.add("  " + Table.line(r, widths, RIGHT, shown));
        }
        for (DeviceStats d : devices) {
            if (d.failure() != null) {
                out.add("  " + d.id + " failed: " + Text.oneLine(d.failure()));
            }
            if (d.attentionSummary() != null) {
                out.add("  " + d.id + ": attention " + d.attentionSummary());
            }
            if (d.slowGemmFallbacks() > 0) {
                out.add("  " + d.id + ": " + Units.exact(d.slowGemmFallbacks()) + " matrix products on the slow reference kernel"
                        + " (cuBLASLt had no algorithm for their shape: please report it)");
            }
        }

        long unknown = stats.unknownLetters();
        out.add("  unknown letters mapped to <unk>: " + (unknown == 0 ? "none"
                : Units.exact(unknown) + " in " + Units.exact(stats.sequencesWithUnknown()) + " sequence" + plural(stats.sequencesWithUnknown())
                + firstIds(stats.unknownLetterIds(), stats.sequencesWithUnknown())));
        long truncated = stats.truncated();
        out.add("  sequences truncated to --truncation-seq-length: " + (truncated == 0 ? "none" : Units.exact(truncated)));
        if (stats.windowedSequences() > 0) {
            out.add("  proteins embedded as windows (--long-sequences window): " + Units.exact(stats.windowedSequences()) + ", in "
                    + Units.exact(stats.sequenceWindows()) + " windows" + (stats.contactPairsOutsideWindows() == 0 ? ""
                    : "; " + Units.exact(stats.contactPairsOutsideWindows()) + " contact pairs held by no window, written as 0"));
        }
        long empty = stats.skippedEmpty();
        long duplicate = stats.skippedDuplicate();
        long invalid = stats.skippedInvalid();
        List<String> why = new ArrayList<>();
        if (empty > 0) {
            why.add(Units.exact(empty) + " empty");
        }
        if (invalid > 0) {
            why.add(Units.exact(invalid) + " with invalid characters");
        }
        if (duplicate > 0) {
            why.add(Units.exact(duplicate) + " duplicate id" + plural(duplicate));
        }
        out.add("  records skipped: " + (why.isEmpty() ? "none" : Units.exact(empty + duplicate + invalid) + " (" + String.join(", ", why) + ")"));
        long withInvalid = invalid + stats.invalidAsUnknown();
        if (withInvalid > 0) {
            out.add("  records with characters that are not residue letters: " + Units.exact(withInvalid)
                    + firstIds(stats.invalidRecordIds(), withInvalid) + ", "
                    + (invalid > 0 ? "skipped (--invalid-records unk embeds them with <unk>)" : "embedded with <unk> for them"));
        }
        if (stats.renamedDuplicate() > 0) {
            out.add("  duplicate ids renamed: " + Units.exact(stats.renamedDuplicate()));
        }
        return out;
    }

    private static String peakMemory(Memory m) {
        if (!m.known() || m.peakBytes() < 0) {
            return "-";
        }
        String prefix = m.kind() == Memory.Kind.HEAP ? "heap " : "";
        return prefix + Units.bytes(m.peakBytes()) + (m.totalBytes() >= 0 ? " of " + Units.bytes(m.totalBytes()) : "");
    }

    private static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }

    /** {@code  (p1, p7, p9)}, or {@code  (p1, p7, p9, …)} when there are more than listed; empty when none is known. */
    private static String firstIds(List<String> ids, long count) {
        return ids.isEmpty() ? "" : " (" + String.join(", ", ids) + (count > ids.size() ? ", …" : "") + ")";
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }
}
