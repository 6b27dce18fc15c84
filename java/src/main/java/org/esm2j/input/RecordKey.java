package org.esm2j.input;

/**
 * What names a record in the output: the header's first word (esm2j's id) or the whole header line (fair-esm's
 * label, which {@code esm-extract} uses as the {@code .pt} file name and as the {@code label} it stores).
 */
public enum RecordKey {
    /** The header's first word: {@code >sp|P1|X human} is {@code sp|P1|X}. */
    ID,
    /** The whole header after {@code >}, stripped as Python's {@code str.strip()} strips: {@code sp|P1|X human}. */
    HEADER;

    /** The key of {@code record}. */
    public String of(FastaRecord record) {
        return this == ID ? record.id() : pythonStrip(record.header());
    }

    /**
     * {@code s} without leading and trailing whitespace as Python's {@code str.strip()} sees it: Java's
     * {@link Character#isWhitespace} leaves out the no-break spaces and NEL, which Python strips.
     */
    static String pythonStrip(String s) {
        int begin = 0;
        int end = s.length();
        while (begin < end && pythonSpace(s.charAt(begin))) {
            begin++;
        }
        while (end > begin && pythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(begin, end);
    }

    private static boolean pythonSpace(char c) {
        return Character.isWhitespace(c) || c == '\u0085' || c == '\u00A0' || c == '\u2007' || c == '\u202F';
    }
}
