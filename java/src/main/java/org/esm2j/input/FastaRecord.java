package org.esm2j.input;

/**
 * One FASTA record.
 *
 * @param index             0-based position in the file
 * @param id                the header's first word (what outputs are keyed by)
 * @param header            the whole header line without '>'
 * @param sequence          sequence lines joined, line breaks removed (other whitespace kept for the tokenizer to drop)
 * @param headerLine        1-based line number of the header, for error messages
 * @param invalidCharacters the distinct characters of the sequence that are not residue letters (digits, symbols), in
 *                          order of appearance (at most {@value FastaReader#LISTED_INVALID}); empty when there is none
 * @param invalidLine       1-based line of the first invalid character, -1 when there is none
 */
public record FastaRecord(long index, String id, String header, String sequence, long headerLine, String invalidCharacters,
                          long invalidLine) {

    /** A record whose characters are all valid. */
    public FastaRecord(long index, String id, String header, String sequence, long headerLine) {
        this(index, id, header, sequence, headerLine, "", -1);
    }

    /** No residue at all: nothing, whitespace or stop codons ({@code *}) only. Such a record is reported and skipped. */
    public boolean empty() {
        for (int i = 0; i < sequence.length(); i++) {
            char c = sequence.charAt(i);
            if (c != '*' && !Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    public boolean hasInvalidCharacters() {
        return invalidLine >= 0;
    }

    /**
     * What is wrong with a record that has invalid characters, for warnings and errors:
     * {@code in.fa:12: record 'p1' has characters that are not residue letters: '1' '/'}.
     */
    public String describeInvalid(String source) {
        StringBuilder shown = new StringBuilder();
        invalidCharacters.codePoints().forEach(c -> {
            if (!shown.isEmpty()) {
                shown.append(' ');
            }
            shown.append(c == 0xFFFD ? "(undecodable byte)" : "'" + Character.toString(c) + "'");
        });
        return source + ":" + invalidLine + ": record '" + id + "' (line " + headerLine + ") has characters that are not residue letters: " + shown;
    }
}
