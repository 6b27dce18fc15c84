package org.esm2j.input;

/**
 * One FASTA record.
 *
 * @param index      0-based position in the file
 * @param id         the header's first word (what outputs are keyed by)
 * @param header     the whole header line without '>'
 * @param sequence   sequence lines joined, line breaks removed (other whitespace kept for the tokenizer to drop)
 * @param headerLine 1-based line number of the header, for error messages
 */
public record FastaRecord(long index, String id, String header, String sequence, long headerLine) {
}
