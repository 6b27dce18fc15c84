package org.esm2j.progress;

/**
 * Memory figures of one device as far as they are known; -1 marks a figure the device does not report.
 *
 * @param kind what the figures measure: a GPU's memory, the JVM heap (where the CPU backend works), or nothing
 */
public record Memory(Kind kind, long usedBytes, long totalBytes, long peakBytes) {
    public static final Memory UNKNOWN = new Memory(Kind.NONE, -1, -1, -1);

    public enum Kind {
        DEVICE("mem"), HEAP("heap"), NONE("");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public boolean known() {
        return kind != Kind.NONE && (usedBytes >= 0 || totalBytes >= 0 || peakBytes >= 0);
    }
}
