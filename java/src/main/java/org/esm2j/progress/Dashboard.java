package org.esm2j.progress;

import org.esm2j.Units;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The lines of the live region: one per device and an overall line, fitted to the terminal's width.
 *
 * <p>Each line is a row of columns with priorities. When the terminal is too narrow for all of them the least
 * important go first (description, then budget, peak memory, tokens, bar…), so a 40-column terminal still
 * shows each device's name, tokens/s and sequences, and the overall line keeps its percentage and ETA. Columns
 * with nothing to show (no device memory on the CPU, no budget yet) are left out rather than printed as "?".
 * Device bars show how busy each device was over the recent window: devices share one queue, so a device has
 * no total of its own to make progress against; the overall bar shows the run's progress.
 */
public final class Dashboard {
    /** Below this many columns the device names are cut harder. */
    static final int NARROW = 60;
    static final int BAR_CELLS = 10;
    static final int MAX_BAR_CELLS = 30;
    static final int NAME_CAP = 16;
    static final int NARROW_NAME_CAP = 10;
    static final int DESCRIPTION_CAP = 28;
    /** More devices than this are folded into one line, so that the region fits a 24-line terminal. */
    static final int MAX_DEVICE_LINES = 8;

    /**
     * Device columns in display order, with their priority (lower stays longer) and the width their figures
     * usually reach ("12.3K tok/s"): columns start that wide, so that they do not shift as numbers grow.
     */
    private enum Col {
        NAME(0, 0), BAR(50, 0), BUSY(30, 9), SEQ(20, 9), TOK(60, 9), RATE(10, 11), MEM(40, 14), PEAK(70, 10),
        BUDGET(80, 12), OOM(90, 5), DESC(100, 0);

        final int priority;
        final int usualWidth;

        Col(int priority, int usualWidth) {
            this.priority = priority;
            this.usualWidth = usualWidth;
        }
    }

    /** Overall-line columns in display order, with priorities and usual widths. */
    private enum TotalCol {
        LABEL(0, 0), BAR(25, 0), PERCENT(10, 4), SEQ(40, 15), RATE(30, 11), ELAPSED(50, 13), ETA(20, 9);

        final int priority;
        final int usualWidth;

        TotalCol(int priority, int usualWidth) {
            this.priority = priority;
            this.usualWidth = usualWidth;
        }
    }

    private Dashboard() {
    }

    /** The region's lines for a terminal of {@code columns} columns; none is wider than {@code columns - 1}. */
    public static List<String> render(RunView view, int columns, Glyphs glyphs) {
        int available = Math.max(1, columns - 1);
        int nameCap = columns < NARROW ? NARROW_NAME_CAP : NAME_CAP;
        List<DeviceView> shown = view.devices();
        String folded = null;
        if (shown.size() > MAX_DEVICE_LINES) {
            List<DeviceView> rest = shown.subList(MAX_DEVICE_LINES - 1, shown.size());
            folded = foldedLine(rest);
            shown = shown.subList(0, MAX_DEVICE_LINES - 1);
        }

        List<String[]> rows = new ArrayList<>();
        for (DeviceView d : shown) {
            rows.add(deviceCells(d, nameCap, glyphs));
        }
        String totalLabel = "total";
        int nameWidth = Text.width(totalLabel);
        for (String[] r : rows) {
            nameWidth = Math.max(nameWidth, Text.width(r[Col.NAME.ordinal()]));
        }

        int cols = Col.values().length;
        int[] widths = Table.widths(rows.stream().filter(r -> r[Col.BUSY.ordinal()] != null).toList(), cols);
        widths[Col.NAME.ordinal()] = nameWidth;
        widths[Col.BAR.ordinal()] = rows.isEmpty() ? 0 : glyphs.barWidth(BAR_CELLS);
        int[] priorities = new int[cols];
        boolean anyRetries = shown.stream().anyMatch(d -> d.oomRetries() > 0);
        for (Col c : Col.values()) {
            priorities[c.ordinal()] = c == Col.OOM && anyRetries ? 35 : c.priority;
            if (widths[c.ordinal()] > 0) {
                widths[c.ordinal()] = Math.max(widths[c.ordinal()], c.usualWidth);
            }
        }
        boolean[] include = choose(widths, priorities, available);
        int barCells = BAR_CELLS;
        if (include[Col.BAR.ordinal()]) {
            int spare = available - usedWidth(widths, include);
            barCells += Math.clamp(spare, 0, MAX_BAR_CELLS - BAR_CELLS);
            widths[Col.BAR.ordinal()] = glyphs.barWidth(barCells);
        }

        boolean[] right = new boolean[cols];
        for (Col c : Col.values()) {
            right[c.ordinal()] = c != Col.NAME && c != Col.DESC && c != Col.BAR;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            DeviceView d = shown.get(i);
            String[] r = rows.get(i);
            if (d.failed()) {
                String name = Text.padRight(r[Col.NAME.ordinal()], nameWidth);
                lines.add(Text.fit(name + Table.GAP + failureText(d), available, glyphs.ellipsis()));
            } else {
                r[Col.BAR.ordinal()] = glyphs.bar(d.recentBusyFraction(), barCells);
                lines.add(Text.fit(Table.line(r, widths, right, include), available, glyphs.ellipsis()));
            }
        }
        if (folded != null) {
            lines.add(Text.fit(Text.padRight(glyphs.ellipsis(), nameWidth) + Table.GAP + folded, available, glyphs.ellipsis()));
        }
        int barWidth = include[Col.BAR.ordinal()] ? barCells : BAR_CELLS;
        lines.add(totalLine(view, totalLabel, nameWidth, barWidth, available, glyphs));
        return lines;
    }

    private static String[] deviceCells(DeviceView d, int nameCap, Glyphs glyphs) {
        String[] r = new String[Col.values().length];
        r[Col.NAME.ordinal()] = Text.fit(d.id(), nameCap, glyphs.ellipsis());
        if (d.failed()) {
            return r;
        }
        r[Col.BUSY.ordinal()] = "busy " + Units.percent(d.recentBusyFraction());
        r[Col.SEQ.ordinal()] = Units.compact(d.sequences()) + " seq";
        r[Col.TOK.ordinal()] = Units.compact(d.tokens()) + " tok";
        r[Col.RATE.ordinal()] = Units.rate(d.recentTokensPerSecond()) + " tok/s";
        Memory m = d.memory();
        if (m.known() && (m.usedBytes() >= 0 || m.totalBytes() >= 0)) {
            r[Col.MEM.ordinal()] = m.kind().label() + " " + Units.bytesOf(m.usedBytes(), m.totalBytes());
        }
        if (m.known() && m.peakBytes() >= 0) {
            r[Col.PEAK.ordinal()] = "peak " + Units.bytes(m.peakBytes());
        }
        if (d.tokenBudget() >= 0) {
            r[Col.BUDGET.ordinal()] = "budget " + Units.count(d.tokenBudget());
        }
        r[Col.OOM.ordinal()] = "oom " + d.oomRetries();
        if (d.description() != null && !d.description().isBlank()) {
            r[Col.DESC.ordinal()] = Text.fit(d.description(), DESCRIPTION_CAP, glyphs.ellipsis());
        }
        return r;
    }

    static String failureText(DeviceView d) {
        return "FAILED after " + Units.compact(d.sequences()) + " seq: " + Text.oneLine(d.failure());
    }

    private static String foldedLine(List<DeviceView> rest) {
        double rate = 0;
        long sequences = 0;
        long failed = 0;
        for (DeviceView d : rest) {
            rate += d.recentTokensPerSecond();
            sequences += d.sequences();
            failed += d.failed() ? 1 : 0;
        }
        return "+" + rest.size() + " more devices: " + Units.compact(sequences) + " seq, " + Units.rate(rate) + " tok/s"
                + (failed > 0 ? ", " + failed + " failed" : "");
    }

    private static String totalLine(RunView view, String label, int nameWidth, int barCells, int available, Glyphs glyphs) {
        int cols = TotalCol.values().length;
        String[] r = new String[cols];
        r[TotalCol.LABEL.ordinal()] = label;
        OptionalDouble fraction = view.fraction();
        if (view.devices().isEmpty()) {
            r[TotalCol.PERCENT.ordinal()] = "preparing devices";
        } else if (view.streaming() || fraction.isEmpty()) {
            r[TotalCol.PERCENT.ordinal()] = "streaming";
        } else {
            r[TotalCol.BAR.ordinal()] = glyphs.bar(fraction.getAsDouble(), barCells);
            r[TotalCol.PERCENT.ordinal()] = Units.percent(fraction.getAsDouble());
        }
        if (!view.devices().isEmpty()) {
            r[TotalCol.SEQ.ordinal()] = Units.compact(view.sequencesDone())
                    + (view.expectedSequences() >= 0 ? "/" + Units.compact(view.expectedSequences()) : "") + " seq";
            r[TotalCol.RATE.ordinal()] = Units.rate(view.recentTokensPerSecond()) + " tok/s";
        }
        r[TotalCol.ELAPSED.ordinal()] = "elapsed " + Units.duration(view.elapsedNanos());
        if (!view.streaming() && !view.devices().isEmpty()) {
            OptionalLong eta = view.etaNanos();
            r[TotalCol.ETA.ordinal()] = "ETA " + (eta.isPresent() ? Units.duration(eta.getAsLong()) : "--");
        }
        int[] widths = Table.widths(List.<String[]>of(r), cols);
        widths[TotalCol.LABEL.ordinal()] = nameWidth;
        int[] priorities = new int[cols];
        boolean[] right = new boolean[cols];
        for (TotalCol c : TotalCol.values()) {
            priorities[c.ordinal()] = c.priority;
            right[c.ordinal()] = c == TotalCol.PERCENT && r[c.ordinal()] != null && r[c.ordinal()].endsWith("%");
            if (widths[c.ordinal()] > 0) {
                widths[c.ordinal()] = Math.max(widths[c.ordinal()], c.usualWidth);
            }
        }
        boolean[] include = choose(widths, priorities, available);
        return Text.fit(Table.line(r, widths, right, include), available, glyphs.ellipsis());
    }

    /**
     * Which columns to show: the first column always, then by priority each column that still fits; a column
     * that does not fit is skipped and a narrower, less important one may take its place.
     */
    static boolean[] choose(int[] widths, int[] priorities, int available) {
        Integer[] order = new Integer[widths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(priorities[a], priorities[b]));
        boolean[] include = new boolean[widths.length];
        include[0] = true;
        int used = widths[0];
        for (int c : order) {
            if (c == 0 || widths[c] == 0) {
                continue;
            }
            int w = Table.GAP.length() + widths[c];
            if (used + w <= available) {
                include[c] = true;
                used += w;
            }
        }
        return include;
    }

    private static int usedWidth(int[] widths, boolean[] include) {
        int used = 0;
        boolean first = true;
        for (int c = 0; c < widths.length; c++) {
            if (include[c]) {
                used += widths[c] + (first ? 0 : Table.GAP.length());
                first = false;
            }
        }
        return used;
    }
}
