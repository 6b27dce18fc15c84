package org.esm2j.input;

import org.esm2j.Esm2jException;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Streams FASTA records, one at a time, from a file, a gzip file, or standard input ({@code -}).
 *
 * <p>Multi-line records, CRLF line ends, blank lines, {@code ;} comment lines and a UTF-8 byte order mark are accepted. gzip is
 * recognised by its magic bytes, whatever the file is called. Errors name the file and line: text before
 * the first header, a header with no id, binary content, other compression formats. A record with no sequence
 * is returned (its {@link FastaRecord#empty()} is true) for the caller to report and skip; characters that are
 * not residue letters are found here, where their line is known, and returned with the record.
 */
public final class FastaReader implements AutoCloseable {
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final String BYTE_ORDER_MARK = "\uFEFF";
    /** Distinct invalid characters kept per record (enough to recognise a GenBank paste or a numbered alignment). */
    static final int LISTED_INVALID = 8;
    /** Special tokens that may be written inline, as {@code tokens/Tokenizer} reads them (case-insensitive). */
    private static final String[] INLINE_SPECIALS = {"<mask>", "<unk>", "<null_1>"};

    private final String name;
    private final BufferedReader reader;
    private long lineNumber;
    private String pendingHeader;
    private long pendingHeaderLine;
    private long nextIndex;
    private boolean finished;
    private final StringBuilder invalidCharacters = new StringBuilder();
    private long invalidLine;

    private FastaReader(String name, InputStream raw) throws IOException {
        this.name = name;
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(8);
        int b0 = in.read();
        int b1 = in.read();
        int b2 = in.read();
        int b3 = in.read();
        in.reset();
        InputStream text = in;
        if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
            text = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        } else if (b0 == 'B' && b1 == 'Z' && b2 == 'h') {
            throw Esm2jException.badInput(name + ": compressed with bzip2; decompress it first (bunzip2 -k) or recompress with gzip");
        } else if (b0 == 0x28 && b1 == 0xb5 && b2 == 0x2f && b3 == 0xfd) {
            throw Esm2jException.badInput(name + ": compressed with zstd; decompress it first (zstd -d) or recompress with gzip");
        } else if (b0 == 0xfd && b1 == '7' && b2 == 'z' && b3 == 'X') {
            throw Esm2jException.badInput(name + ": compressed with xz; decompress it first (xz -dk) or recompress with gzip");
        } else if (b0 == 'P' && b1 == 'K' && b2 == 3 && b3 == 4) {
            throw Esm2jException.badInput(name + ": a zip archive; extract the FASTA file first");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.reader = new BufferedReader(new InputStreamReader(text, decoder), 1 << 16);
    }

    /** Opens a FASTA file; {@code -} reads standard input. */
    public static FastaReader open(String pathOrDash) {
        if (pathOrDash.equals("-")) {
            try {
                return new FastaReader("<stdin>", System.in);
            } catch (IOException e) {
                throw Esm2jException.badInput("<stdin>: cannot read: " + e.getMessage());
            }
        }
        try {
            return open(Path.of(pathOrDash));
        } catch (java.nio.file.InvalidPathException e) {
            throw Esm2jException.badInput(pathOrDash + ": not a path on this system: " + e.getReason());
        }
    }

    public static FastaReader open(Path path) {
        if (Files.isDirectory(path)) {
            throw Esm2jException.badInput(path + ": is a directory, not a FASTA file");
        }
        try {
            return new FastaReader(path.toString(), Files.newInputStream(path));
        } catch (NoSuchFileException e) {
            throw Esm2jException.badInput(path + ": file not found");
        } catch (AccessDeniedException e) {
            throw Esm2jException.badInput(path + ": permission denied");
        } catch (IOException e) {
            throw Esm2jException.badInput(path + ": cannot read: " + e.getMessage());
        }
    }

    /** For tests and the library API: records from a string. */
    public static FastaReader ofString(String name, String content) {
        try {
            return new FastaReader(name, new java.io.ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    /** The next record, or null at the end of the input. */
    public FastaRecord next() {
        if (finished) {
            return null;
        }
        try {
            if (pendingHeader == null) {
                String line;
                while ((line = readLine()) != null) {
                    if (line.isBlank() || line.startsWith(";")) {
                        continue;
                    }
                    if (line.startsWith(">")) {
                        pendingHeader = line.substring(1);
                        pendingHeaderLine = lineNumber;
                        break;
                    }
                    throw Esm2jException.badInput(name + ":" + lineNumber + ": text before the first '>' header line ("
                            + abbreviate(line) + "); is this a FASTA file?");
                }
                if (pendingHeader == null) {
                    finished = true;
                    return null;
                }
            }
            String header = pendingHeader;
            long headerLine = pendingHeaderLine;
            pendingHeader = null;
            StringBuilder seq = new StringBuilder();
            invalidCharacters.setLength(0);
            invalidLine = -1;
            String line;
            while ((line = readLine()) != null) {
                if (line.startsWith(">")) {
                    pendingHeader = line.substring(1);
                    pendingHeaderLine = lineNumber;
                    break;
                }
                if (line.startsWith(";")) {
                    continue;
                }
                findInvalidCharacters(line);
                seq.append(line);
            }
            if (pendingHeader == null) {
                finished = true;
            }
            String id = firstWord(header);
            if (id.isEmpty()) {
                throw Esm2jException.badInput(name + ":" + headerLine + ": header line has no id ('>' followed by nothing)");
            }
            return new FastaRecord(nextIndex++, id, header.strip(), seq.toString(), headerLine, invalidCharacters.toString(), invalidLine);
        } catch (IOException e) {
            throw Esm2jException.badInput(name + ":" + lineNumber + ": read error: " + e.getMessage());
        }
    }

    private String readLine() throws IOException {
        String line;
        try {
            line = reader.readLine();
        } catch (java.io.EOFException e) {
            throw Esm2jException.badInput(name + ":" + lineNumber + ": the gzip stream ends early; the file is truncated");
        }
        if (line == null) {
            return null;
        }
        lineNumber++;
        if (lineNumber == 1 && line.startsWith(BYTE_ORDER_MARK)) {
            // Editors on Windows save UTF-8 with a BOM; unstripped, it hides the first '>' and the error shows nothing visible.
            line = line.substring(1);
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            // Control characters never occur in FASTA; NUL and friends mean a binary file (a checkpoint, an archive).
            // Undecodable bytes (a Latin-1 header) are tolerated: in a header they stay, in a sequence they are invalid characters.
            if (c < 0x20 && c != '\t' && c != '\f' && c != 0x0b) {
                throw Esm2jException.badInput(name + ":" + lineNumber + ": binary or non-text data (byte 0x"
                        + Integer.toHexString(c) + " in column " + (i + 1) + "); is this a FASTA file?");
            }
        }
        return line;
    }

    /**
     * Notes the characters of a sequence line that are not residue letters: anything but ASCII letters, the alphabet's
     * {@code .} and {@code -}, {@code *} (a stop codon), whitespace and the inline special tokens.
     */
    private void findInvalidCharacters(String line) {
        for (int i = 0; i < line.length(); ) {
            int c = line.codePointAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '-' || c == '*' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int special = c == '<' ? inlineSpecialLength(line, i) : 0;
            if (special > 0) {
                i += special;
                continue;
            }
            if (invalidLine < 0) {
                invalidLine = lineNumber;
            }
            String ch = Character.toString(c);
            if (invalidCharacters.indexOf(ch) < 0 && invalidCharacters.codePointCount(0, invalidCharacters.length()) < LISTED_INVALID) {
                invalidCharacters.append(ch);
            }
            i += Character.charCount(c);
        }
    }

    private static int inlineSpecialLength(String line, int at) {
        for (String special : INLINE_SPECIALS) {
            if (line.regionMatches(true, at, special, 0, special.length())) {
                return special.length();
            }
        }
        return 0;
    }

    static String firstWord(String header) {
        String h = header.strip();
        int end = 0;
        while (end < h.length() && !Character.isWhitespace(h.charAt(end))) {
            end++;
        }
        return h.substring(0, end);
    }

    private static String abbreviate(String line) {
        return line.length() <= 40 ? "\"" + line + "\"" : "\"" + line.substring(0, 40) + "…\"";
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // Closing a reader we only read from cannot lose data.
        }
    }
}
