package org.esm2j;

import java.util.Locale;

/**
 * The one number formatter: short human figures for progress lines, the summary, the command line's reports and log
 * lines: {@code 1,204}, {@code 312.5K}, {@code 79.6G}, {@code 3m05s}, {@code 1.5 GB}. Negative inputs mean "unknown"
 * throughout the run's statistics and print as {@code ?}. It sits in {@code org.esm2j} so that every layer may use it.
 */
public final class Units {
    private Units() {
    }

    /** Exact with thousands separators below 100,000, then K/M/B with three significant digits. */
    public static String count(long n) {
        if (n < 0) {
            return "?";
        }
        if (n < 100_000) {
            return exact(n);
        }
        return scaled(n);
    }

    /** {@link #count(long)} and a noun in the number it needs: {@code 1 record}, {@code 2 records}, {@code 312.5K records}. */
    public static String count(long n, String noun) {
        return count(n) + " " + noun + (n == 1 ? "" : "s");
    }

    /** Exact, with thousands separators: {@code 12,345,678}. */
    public static String exact(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Always compact (K/M/B), for columns that must stay narrow. */
    public static String compact(long n) {
        return n < 0 ? "?" : n < 1000 ? Long.toString(n) : scaled(n);
    }

    /** A per-second rate: {@code 823}, {@code 8.2K}, {@code 98.2K}, {@code 1.23M}. */
    public static String rate(double perSecond) {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            return "?";
        }
        return perSecond < 1000 ? String.format(Locale.ROOT, "%.0f", perSecond) : scaled(Math.round(perSecond));
    }

    private static String scaled(long n) {
        String[] suffixes = {"K", "M", "B", "T"};
        double v = n;
        int i = -1;
        while (v >= 999.95 && i < suffixes.length - 1) {
            v /= 1000;
            i++;
        }
        return threeDigits(v) + suffixes[i];
    }

    /** Binary units, as nvidia-smi and the JVM count memory: {@code 812M}, {@code 1.1G}, {@code 79.6G}. */
    public static String bytes(long b) {
        if (b < 0) {
            return "?";
        }
        if (b < 1024) {
            return b + "B";
        }
        String[] suffixes = {"K", "M", "G", "T", "P"};
        double v = b / 1024.0;
        int i = 0;
        while (v >= 1023.95 && i < suffixes.length - 1) {
            v /= 1024;
            i++;
        }
        return threeDigits(v) + suffixes[i];
    }

    /** Byte counts for reports, one decimal in binary multiples: {@code 1.5 GB}, {@code 12.0 MB}, {@code 3.4 kB}, {@code 512 bytes}. */
    public static String byteSize(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
        }
        return bytes + " bytes";
    }

    /** GPU memory as device listings give it: {@code 79.6 GiB}. */
    public static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    /** Parameter counts, one decimal: {@code 8.4M}, {@code 650.4M}, {@code 15.0B} ({@code K} below a million). */
    public static String parameters(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fK", n / 1e3);
    }

    /** A bare number with {@code decimals} places, for log lines: {@code 4.2}, {@code 8123}. */
    public static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** {@code used/total} sharing the total's unit when both are in the same range: {@code 41.2/79.6G}. */
    public static String bytesOf(long used, long total) {
        if (total < 0) {
            return bytes(used);
        }
        String t = bytes(total);
        String u = bytes(used);
        char unit = t.charAt(t.length() - 1);
        if (u.charAt(u.length() - 1) == unit && used >= 0) {
            return u.substring(0, u.length() - 1) + "/" + t;
        }
        return u + "/" + t;
    }

    private static String threeDigits(double v) {
        if (v >= 99.95) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 9.995) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Elapsed times and ETAs: {@code 42s}, {@code 3m05s}, {@code 1h02m}, {@code 2d03h}. */
    public static String duration(long nanos) {
        if (nanos < 0) {
            return "?";
        }
        long s = Math.round(nanos / 1e9);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, (s % 86_400) / 3600);
    }

    /** Seconds with one decimal for short spans ({@code 4.2s}), {@link #duration} beyond a minute. */
    public static String seconds(long nanos) {
        if (nanos >= 0 && nanos < 59_950_000_000L) {
            return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
        }
        return duration(nanos);
    }

    /** A whole percentage, never showing 100% before the end: 99.7% done prints as 99%. */
    public static String percent(double fraction) {
        if (!(fraction >= 0)) {
            return "?";
        }
        return (int) Math.floor(Math.min(1, fraction) * 100) + "%";
    }
}
