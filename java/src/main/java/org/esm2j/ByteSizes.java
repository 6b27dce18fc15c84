package org.esm2j;

/** Byte counts for people: 1.5 GB, 12.0 MB, 3.4 kB, 512 bytes (binary multiples). */
public final class ByteSizes {
    private ByteSizes() {
    }

    public static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format("%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format("%.1f MB", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format("%.1f kB", bytes / 1024.0);
        }
        return bytes + " bytes";
    }
}
