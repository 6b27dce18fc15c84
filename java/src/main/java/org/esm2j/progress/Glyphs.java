package org.esm2j.progress;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Characters for bars and cut names: block elements where the terminal's encoding has them, ASCII otherwise
 * (a {@code LANG=C} shell on a cluster node would print {@code ?} for every block).
 */
public final class Glyphs {
    public static final Glyphs UNICODE = new Glyphs("…", List.of("░", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"), "", "");
    public static final Glyphs ASCII = new Glyphs("~", List.of("-", "#"), "[", "]");

    private final String ellipsis;
    /** Bar cells from empty to full; the unicode set has eighths for a smooth bar. */
    private final List<String> partials;
    private final String barOpen;
    private final String barClose;

    private Glyphs(String ellipsis, List<String> partials, String barOpen, String barClose) {
        this.ellipsis = ellipsis;
        this.partials = partials;
        this.barOpen = barOpen;
        this.barClose = barClose;
    }

    public static Glyphs forCharset(Charset charset) {
        return charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.UTF_16) ? UNICODE : ASCII;
    }

    public String ellipsis() {
        return ellipsis;
    }

    /** A bar of {@code cells} columns (plus the open/close marks) filled to {@code fraction}. */
    public String bar(double fraction, int cells) {
        double f = Double.isNaN(fraction) ? 0 : Math.clamp(fraction, 0.0, 1.0);
        int steps = partials.size() - 1;
        long filled = Math.round(f * cells * steps);
        StringBuilder b = new StringBuilder(barOpen);
        for (int i = 0; i < cells; i++) {
            long inCell = Math.clamp(filled - (long) i * steps, 0, steps);
            b.append(partials.get((int) inCell));
        }
        return b.append(barClose).toString();
    }

    public int barWidth(int cells) {
        return cells + Text.width(barOpen) + Text.width(barClose);
    }
}
