package org.esm2j.progress;

import org.jline.utils.WCWidth;

/**
 * Terminal column arithmetic: a line that is one column too wide wraps and breaks the live region's cursor
 * arithmetic, so every width here is counted in terminal columns (wide CJK letters take two, accents none).
 */
final class Text {
    private Text() {
    }

    static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += Math.max(0, WCWidth.wcwidth(cp));
            i += Character.charCount(cp);
        }
        return w;
    }

    /** {@code s} cut to at most {@code max} columns, ending with {@code ellipsis} when something was cut. */
    static String fit(String s, int max, String ellipsis) {
        if (width(s) <= max) {
            return s;
        }
        int room = max - width(ellipsis);
        if (room < 0) {
            return cut(s, max);
        }
        return cut(s, room) + ellipsis;
    }

    /** The longest prefix of {@code s} no wider than {@code max} columns. */
    static String cut(String s, int max) {
        int w = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int cw = Math.max(0, WCWidth.wcwidth(cp));
            if (w + cw > max) {
                break;
            }
            w += cw;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    /** A message that may span lines (an exception's text) as one line, for tables and progress lines. */
    static String oneLine(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    static String padRight(String s, int columns) {
        int missing = columns - width(s);
        return missing <= 0 ? s : s + " ".repeat(missing);
    }

    static String padLeft(String s, int columns) {
        int missing = columns - width(s);
        return missing <= 0 ? s : " ".repeat(missing) + s;
    }
}
