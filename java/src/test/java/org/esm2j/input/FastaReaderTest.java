package org.esm2j.input;

import org.esm2j.Esm2jException;
import org.esm2j.ExitCode;
import org.esm2j.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FASTA parsing: the accepted variations, and an error naming the file and line for each malformed input. */
class FastaReaderTest {
    @TempDir
    Path tmp;

    private static List<FastaRecord> readAll(FastaReader reader) {
        List<FastaRecord> out = new ArrayList<>();
        try (reader) {
            FastaRecord r;
            while ((r = reader.next()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static List<FastaRecord> parse(String content) {
        return readAll(FastaReader.ofString("test.fa", content));
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** Asserts a bad-input error whose message starts with {@code where} and contains every fragment. */
    private static void assertBadInput(Runnable action, String where, String... fragments) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(Esm2jException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                .hasMessageStartingWith(where)
                .hasMessageContainingAll(fragments);
    }

    @Test
    void multiLineRecordsAreJoinedAndTheIdIsTheFirstWord() {
        List<FastaRecord> records = parse(">sp|P1|A one protein\nMKT\nAYI\nAKQ\n>second\tdescribed with a tab\nMLS\n");
        assertThat(records).extracting(FastaRecord::id).containsExactly("sp|P1|A", "second");
        assertThat(records).extracting(FastaRecord::sequence).containsExactly("MKTAYIAKQ", "MLS");
        assertThat(records).extracting(FastaRecord::header).containsExactly("sp|P1|A one protein", "second\tdescribed with a tab");
        assertThat(records).extracting(FastaRecord::index).containsExactly(0L, 1L);
        assertThat(records).extracting(FastaRecord::headerLine).containsExactly(1L, 5L);
    }

    @Test
    void spaceAfterTheGreaterThanSignIsNotPartOfTheId() {
        assertThat(parse(">  P12345 desc\nMKT\n")).extracting(FastaRecord::id).containsExactly("P12345");
    }

    @Test
    void crlfLineEndsLeaveNoCarriageReturnInSequences() {
        List<FastaRecord> records = parse(">a desc\r\nMKT\r\nAYI\r\n>b\r\nMLS\r\n");
        assertThat(records).extracting(FastaRecord::id).containsExactly("a", "b");
        assertThat(records).extracting(FastaRecord::sequence).containsExactly("MKTAYI", "MLS");
        assertThat(records.getFirst().header()).isEqualTo("a desc");
    }

    @Test
    void blankLinesAndCommentLinesAreSkipped() {
        String text = "\n; a comment before anything\n\n>a\nMKT\n\n; comment inside a record\nAYI\n   \n\n>b\n\nMLS\n\n";
        List<FastaRecord> records = parse(text);
        assertThat(records).extracting(FastaRecord::id).containsExactly("a", "b");
        assertThat(records).extracting(FastaRecord::sequence).allSatisfy(s -> assertThat(s.strip()).doesNotContain(";"));
        assertThat(records.get(0).sequence().replaceAll("\\s", "")).isEqualTo("MKTAYI");
        assertThat(records.get(1).sequence().replaceAll("\\s", "")).isEqualTo("MLS");
        assertThat(records).extracting(FastaRecord::headerLine).containsExactly(4L, 11L);
    }

    @Test
    void utf8ByteOrderMarkBeforeTheFirstHeaderIsIgnored() throws IOException {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        byte[] body = ">a\nMKT\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = Arrays.copyOf(bom, bom.length + body.length);
        System.arraycopy(body, 0, content, bom.length, body.length);
        List<FastaRecord> records = readAll(FastaReader.open(write("bom.fasta", content)));
        assertThat(records).extracting(FastaRecord::id).containsExactly("a");
    }

    @Test
    void emptyFileHasNoRecords() throws IOException {
        assertThat(readAll(FastaReader.open(write("empty.fasta", new byte[0])))).isEmpty();
    }

    @Test
    void gzipIsRecognisedByItsMagicBytesWhateverTheName() throws IOException {
        String text = ">a\nMKT\nAYI\n>b\nMLS\n";
        for (String name : new String[] {"in.fasta.gz", "in.fasta", "in.txt"}) {
            List<FastaRecord> records = readAll(FastaReader.open(write(name, gzip(text))));
            assertThat(records).as(name).extracting(FastaRecord::sequence).containsExactly("MKTAYI", "MLS");
        }
    }

    @Test
    void concatenatedGzipMembersAreReadToTheEnd() throws IOException {
        // bgzip and `cat a.gz b.gz` produce several gzip members in one file.
        byte[] first = gzip(">a\nMKT\n");
        byte[] second = gzip(">b\nMLS\n");
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        assertThat(readAll(FastaReader.open(write("two.fa.gz", both)))).extracting(FastaRecord::id).containsExactly("a", "b");
    }

    @Test
    void truncatedGzipIsAnErrorNamingTheFile() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append(">seq").append(i).append("\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ\n");
        }
        byte[] whole = gzip(text.toString());
        Path cut = write("cut.fa.gz", Arrays.copyOf(whole, whole.length / 2));
        assertBadInput(() -> readAll(FastaReader.open(cut)), cut.toString(), "truncated");
    }

    @Test
    void dashReadsStandardInput() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(">a x\nMKT\n>b\nMLS\n".getBytes(StandardCharsets.UTF_8)));
            FastaReader reader = FastaReader.open("-");
            assertThat(reader.name()).isEqualTo("<stdin>");
            assertThat(readAll(reader)).extracting(FastaRecord::id).containsExactly("a", "b");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void gzipOnStandardInputIsDecompressed() throws IOException {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(gzip(">a\nMKT\n>b\nMLS\n")));
            assertThat(readAll(FastaReader.open("-"))).extracting(FastaRecord::sequence).containsExactly("MKT", "MLS");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void textBeforeTheFirstHeaderIsAnErrorWithItsLine() {
        assertBadInput(() -> parse("\n; comment\nMKTAYI\n>a\nMKT\n"), "test.fa:3:", "before the first '>'", "MKTAYI", "FASTA");
    }

    @Test
    void binaryFileIsAnErrorWithItsLine() {
        Path weights = TestData.tiny().resolve("model.safetensors");
        assertBadInput(() -> readAll(FastaReader.open(weights)), weights + ":1:", "binary", "is this a FASTA file?");
    }

    @Test
    void binaryDataInsideARecordIsAnErrorWithItsLine() {
        assertBadInput(() -> parse(">a\nMKT\n>b\nML\u0000S\n"), "test.fa:4:", "binary", "column 3");
    }

    @Test
    void recordsWithoutSequenceAreReturnedEmptyWithTheirLineForTheCallerToSkip() {
        // Followed by another header, a blank line, whitespace only, a comment, or the end of the file.
        List<FastaRecord> records = parse(">a\nMKT\n>e1\n>e2 desc\n\n>e3\n   \t\n>b\nMLS\n>stops\n* *\n>e4\n; only a comment\n\n>e5\n");
        assertThat(records).extracting(FastaRecord::id).containsExactly("a", "e1", "e2", "e3", "b", "stops", "e4", "e5");
        assertThat(records).filteredOn(FastaRecord::empty).extracting(FastaRecord::id).containsExactly("e1", "e2", "e3", "stops", "e4", "e5");
        assertThat(records).filteredOn(FastaRecord::empty).extracting(FastaRecord::headerLine).containsExactly(3L, 4L, 6L, 10L, 12L, 15L);
    }

    @Test
    void charactersThatAreNotResidueLettersAreFoundWithTheirLine() {
        List<FastaRecord> records = parse(">ok\nMKT-AY.I*x\n<MASK>k<unk>L<null_1>*\n>gb genbank paste\nMKTAYI\n  61 mlsrq/ 1|2\n>lt\nMK<cls>T\n");
        assertThat(records.get(0).hasInvalidCharacters()).isFalse();
        assertThat(records.get(0).invalidCharacters()).isEmpty();
        FastaRecord gb = records.get(1);
        assertThat(gb.hasInvalidCharacters()).isTrue();
        assertThat(gb.invalidCharacters()).isEqualTo("61/|2");
        assertThat(gb.invalidLine()).isEqualTo(6);
        assertThat(gb.describeInvalid("test.fa")).startsWith("test.fa:6: record 'gb' (line 4)").contains("'6' '1' '/' '|' '2'");
        assertThat(records.get(2).invalidCharacters()).as("a '<' that starts no inline token").isEqualTo("<>");
    }

    @Test
    void undecodableBytesInASequenceAreInvalidCharacters() throws IOException {
        byte[] latin1 = ">a\nMK\u00e9T\n".getBytes(StandardCharsets.ISO_8859_1);
        FastaRecord r = readAll(FastaReader.open(write("latin1.fasta", latin1))).getFirst();
        assertThat(r.hasInvalidCharacters()).isTrue();
        assertThat(r.describeInvalid("x")).contains("undecodable byte");
    }

    @Test
    void headerWithoutIdIsAnErrorWithItsLine() {
        assertBadInput(() -> parse(">a\nMKT\n>   \nMLS\n"), "test.fa:3:", "no id");
    }

    @Test
    void otherCompressionsAreNamedWithHowToDecompress() throws IOException {
        byte[] bzip2 = {'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26};
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x04, 0x00, 0x00, 0x00};
        byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0x00, 0x00, 0x04};
        byte[] zip = {'P', 'K', 3, 4, 0x14, 0x00, 0x00, 0x00};
        Path b = write("in.fa.bz2", bzip2);
        Path z = write("in.fa.zst", zstd);
        Path x = write("in.fa.xz", xz);
        Path p = write("in.zip", zip);
        assertBadInput(() -> FastaReader.open(b), b.toString(), "bzip2", "bunzip2");
        assertBadInput(() -> FastaReader.open(z), z.toString(), "zstd", "zstd -d");
        assertBadInput(() -> FastaReader.open(x), x.toString(), "xz", "xz -d");
        assertBadInput(() -> FastaReader.open(p), p.toString(), "zip", "extract");
    }

    @Test
    void missingFileAndDirectoryAreErrors() {
        Path missing = tmp.resolve("nope.fasta");
        assertBadInput(() -> FastaReader.open(missing), missing.toString(), "not found");
        assertBadInput(() -> FastaReader.open(tmp.toString()), tmp.toString(), "directory");
    }
}
